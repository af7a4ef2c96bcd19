"""The operation table (`cloudcx_openapi.operations`), generated from the spec's operations.

The table is what the typed resources, the simulator and the CLI are built from, so its reading
of the spec's conventions is pinned here: names, parameter constraints, paging, the data model,
nullability in both OpenAPI spellings.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloudcx_openapi.operations import BY_ID, OPERATIONS
from tests.support.generator_modules import load_module_file
from tests.support.tools import ROOT

emitter = load_module_file("operation_table")
SpecError: type[Exception] = emitter.SpecError
read_operations = emitter.read_operations


def test_the_token_request_is_not_a_resource_operation() -> None:
    assert [operation.operation_id for operation in OPERATIONS] == ["listUsers"]
    assert "requestToken" not in BY_ID


def test_list_users_is_users_list_paged_into_user_pages() -> None:
    operation = BY_ID["listUsers"]
    assert (operation.resource, operation.method) == ("users", "list")
    assert (operation.http_method, operation.path) == ("GET", "/openapi/v2/user/page")
    assert operation.paged
    assert (operation.data_model, operation.item_model) == ("UserPage", "User")
    assert operation.security == (("oauth2",), ("apiKey",))
    assert operation.api_module == "users.list_users"
    assert (operation.item_walker, operation.page_walker) == ("iter", "iter_pages")
    example = json.loads(operation.success_example or "null")
    assert example["code"] == "0000"


def test_parameters_carry_names_and_constraints() -> None:
    page_size = {parameter.name: parameter for parameter in BY_ID["listUsers"].parameters}[
        "pageSize"
    ]
    assert (page_size.python_name, page_size.cli_name) == ("page_size", "page-size")
    assert (page_size.location, page_size.json_type, page_size.format) == (
        "query",
        "integer",
        "int32",
    )
    assert (page_size.minimum, page_size.maximum, page_size.default) == (1, 100, 25)
    assert page_size.has_default
    assert not page_size.required


def _spec_with(operation: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = emitter.load_spec(ROOT / "spec" / "cloudcx.yaml")
    spec["paths"]["/openapi/v2/thing"] = {"post": operation}
    spec["components"]["schemas"].update(schemas)
    return spec


def _envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "200": {
            "description": "ok",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"code": {}, "data": data}}
                }
            },
        }
    }


@pytest.mark.parametrize(
    "note_schema",
    [
        {"type": ["string", "null"]},
        {"type": "string", "nullable": True},
        {"oneOf": [{"type": "string"}, {"type": "null"}]},
    ],
)
def test_nullability_is_read_in_both_openapi_spellings(note_schema: dict[str, Any]) -> None:
    operation = {
        "operationId": "createThing",
        "tags": ["Call Queues"],
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["name"],
                        "properties": {"name": {"type": "string"}, "note": note_schema},
                    }
                }
            }
        },
        "responses": _envelope({"type": "null"}),
    }
    (table,) = [
        op for op in read_operations(_spec_with(operation, {})) if op.path.endswith("thing")
    ]
    assert (table.resource, table.method, table.http_method) == (
        "call_queues",
        "create_thing",
        "POST",
    )
    assert table.data_model is None
    assert not table.paged
    assert (table.item_walker, table.page_walker) == (None, None)
    name, note = table.parameters
    assert (name.location, name.required, name.nullable) == ("body", True, False)
    assert (note.json_type, note.required, note.nullable) == ("string", False, True)


def test_an_envelope_data_that_is_no_named_schema_is_refused() -> None:
    operation = {
        "operationId": "makeThing",
        "tags": ["things"],
        "responses": _envelope({"type": "object", "properties": {"x": {"type": "string"}}}),
    }
    with pytest.raises(SpecError, match="named schema"):
        read_operations(_spec_with(operation, {}))


def test_two_operations_with_one_method_name_are_refused() -> None:
    operation = {
        "operationId": "anything",
        "x-cloudcx-method": "list",
        "tags": ["users"],
        "responses": _envelope({"type": "null"}),
    }
    with pytest.raises(SpecError, match=r"users\.list"):
        read_operations(_spec_with(operation, {}))


def test_the_resource_description_is_its_tags_description() -> None:
    assert BY_ID["listUsers"].resource_description == "The contact centre's user directory."
    spec = _spec_with(
        {"operationId": "makeThing", "tags": ["things"], "responses": _envelope({"type": "null"})},
        {},
    )
    (thing,) = [op for op in read_operations(spec) if op.operation_id == "makeThing"]
    assert thing.resource_description == ""
    spec["tags"].append({"name": "things", "description": "Things,\n  on  two lines."})
    (thing,) = [op for op in read_operations(spec) if op.operation_id == "makeThing"]
    assert thing.resource_description == "Things, on two lines."


def test_record_fields_are_the_item_or_data_schemas_properties() -> None:
    user_fields = emitter.load_spec(ROOT / "spec" / "cloudcx.yaml")["components"]["schemas"][
        "User"
    ]["properties"]
    assert BY_ID["listUsers"].record_fields == tuple(user_fields)
    assert "loginCode" in BY_ID["listUsers"].record_fields
    thing = {"type": "object", "properties": {"id": {"type": "string"}, "size": {}}}
    for data, fields in [
        ({"$ref": "#/components/schemas/Thing"}, ("id", "size")),
        ({"type": "null"}, ()),
    ]:
        spec = _spec_with(
            {"operationId": "makeThing", "tags": ["things"], "responses": _envelope(data)},
            {"Thing": thing},
        )
        (made,) = [op for op in read_operations(spec) if op.operation_id == "makeThing"]
        assert made.record_fields == fields
