"""The API's operations as data, generated from the spec: NEVER edit by hand.

Written by `generator/operation_table.py` (run by `make generate`) from `spec/cloudcx.yaml`.
Standard library only, so that anything (the simulator, the CLI, the typed resources, tests)
can read it without importing httpx or the models.

Shape (stable: fields may be added, none renamed or removed):

* `OPERATIONS`: a tuple of `Operation`, one per operation except the token request
  (`security: []`), in spec order. `BY_ID` maps `operation_id` to it.
* `Operation`: `operation_id`; `resource` (the first tag, snake_case) and `method`
  (`x-cloudcx-method`, else the snake_case `operationId`), so the typed call is
  `cx.<resource>.<method>(...)`; `http_method` (upper case); `path` (with `{name}` templates);
  `summary`, `description`; `parameters` (a tuple of `Parameter`: path, then query, then the
  top-level properties of the JSON body); `paged` (takes `pageIndex`/`pageSize` and its `data`
  is a page: a `content` array and `totalPages`); `data_model` (the class name, in
  `cloudcx_openapi.models`, of the envelope's `data`, of each of its items when `data_list`,
  or None when `data` is always null);
  `item_model` (for a paged operation, the class name of the page's items, else None);
  `success_status`; `success_example` (the success response's first example, as JSON text, or
  None); `security` (the alternatives, each a tuple of scheme names, as in the spec);
  `api_module` (`<tag>.<operation>` under `cloudcx_openapi.api`); `item_walker` and
  `page_walker` (a paged operation's walker methods, e.g. `iter` and `iter_pages` for `list`,
  `iter_<x>` and `iter_<x>_pages` for `list_<x>`, `iter_<m>` and `iter_<m>_pages` otherwise;
  None when not paged); `documented_statuses` (every response status the spec documents, as
  written: `"200"`, `"422"`, `"4XX"`, `"default"`); `resource_description` (the description
  of the spec's tag that names the resource, on one line, or ""); `record_fields` (the API
  field names of the records the operation returns, in the schema's order: a page's items for
  a paged operation, a list's items, else the envelope's `data`; empty when `data` is always
  null); `data_list` (the envelope's `data` is a JSON array, each item a `data_model`: the
  method returns `list[<data_model>]`); `data_nullable` (the spec lets the envelope's `data`
  be null: the method returns `<data_model> | None`, or `list[<data_model>] | None`).
* `Parameter`: `name` (on the wire), `python_name` (the keyword argument), `cli_name`
  (kebab-case), `location` ("path", "query" or "body"), `required`, `json_type` ("string",
  "integer", "number", "boolean", "array", "object" or "any"), `format`, `nullable`,
  `has_default` and `default`, `enum` (a tuple, or None), `minimum`, `maximum`, `min_length`,
  `max_length`, `items_type` (an array's item JSON type), `secret` (`format: password`),
  `description` (one line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class Parameter:
    """One argument of an operation: a path or query parameter, or a top-level body property."""

    name: str
    python_name: str
    cli_name: str
    location: str
    required: bool
    json_type: str
    format: str | None
    nullable: bool
    has_default: bool
    default: Any
    enum: tuple[Any, ...] | None
    minimum: float | None
    maximum: float | None
    min_length: int | None
    max_length: int | None
    items_type: str | None
    secret: bool
    description: str


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of the API, as `cx.<resource>.<method>(...)` calls it."""

    operation_id: str
    resource: str
    method: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    paged: bool
    data_model: str | None
    item_model: str | None
    success_status: int
    success_example: str | None
    security: tuple[tuple[str, ...], ...]
    api_module: str
    item_walker: str | None
    page_walker: str | None
    documented_statuses: tuple[str, ...]
    resource_description: str
    record_fields: tuple[str, ...]
    data_list: bool
    data_nullable: bool


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        operation_id="listUsers",
        resource="users",
        method="list",
        http_method="GET",
        path="/openapi/v2/user/page",
        summary="List users, one page at a time",
        description='Returns one page of the user directory, optionally filtered by `keywords`. Pages are\nrequested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor\'s\nexample shows. The result is wrapped in the standard envelope: `code` `"0000"` means\nsuccess; any other code is an error whose `data` is `null`.',
        parameters=(
            Parameter(
                name="pageIndex",
                python_name="page_index",
                cli_name="page-index",
                location="query",
                required=False,
                json_type="integer",
                format="int32",
                nullable=False,
                has_default=True,
                default=1,
                enum=None,
                minimum=1,
                maximum=None,
                min_length=None,
                max_length=None,
                items_type=None,
                secret=False,
                description="The page to return, counting from 1. **Assumption.** The minimum and the default.",
            ),
            Parameter(
                name="pageSize",
                python_name="page_size",
                cli_name="page-size",
                location="query",
                required=False,
                json_type="integer",
                format="int32",
                nullable=False,
                has_default=True,
                default=25,
                enum=None,
                minimum=1,
                maximum=100,
                min_length=None,
                max_length=None,
                items_type=None,
                secret=False,
                description="How many users a page holds. **Assumption.** The range (1 to 100) and the default.",
            ),
            Parameter(
                name="keywords",
                python_name="keywords",
                cli_name="keywords",
                location="query",
                required=False,
                json_type="string",
                format=None,
                nullable=False,
                has_default=False,
                default=None,
                enum=None,
                minimum=None,
                maximum=None,
                min_length=None,
                max_length=256,
                items_type=None,
                secret=False,
                description="Text to search the directory for. **Assumption.** The match is case-insensitive, against each user's `loginCode`, `firstName`, `lastName` and `email`, at most 256 characters; empty or absent means every user.",
            ),
        ),
        paged=True,
        data_model="UserPage",
        item_model="User",
        success_status=200,
        success_example='{"code": "0000", "message": null, "data": {"totalPages": 1, "totalElements": 1, "size": 25, "number": 0, "numberOfElements": 1, "content": [{"id": "75d86d40-f7d9-4025-8a1c-8a868f918289", "loginCode": "freesiaTest", "roles": ["Admin", "Agents"], "firstName": "freesia", "lastName": "Test", "email": "frees1aa@gmail.com", "phoneNumber": null, "uniqueCode": null}]}}',
        security=(
            ("oauth2",),
            ("apiKey",),
        ),
        api_module="users.list_users",
        item_walker="iter",
        page_walker="iter_pages",
        documented_statuses=(
            "200",
            "400",
            "401",
            "422",
            "429",
            "5XX",
        ),
        resource_description="The contact centre's user directory.",
        record_fields=(
            "id",
            "loginCode",
            "roles",
            "firstName",
            "lastName",
            "email",
            "phoneNumber",
            "uniqueCode",
        ),
        data_list=False,
        data_nullable=False,
    ),
)
"""Every resource operation of the spec, in spec order."""

BY_ID: Mapping[str, Operation] = MappingProxyType({operation.operation_id: operation for operation in OPERATIONS})
"""The operations by `operationId`."""
