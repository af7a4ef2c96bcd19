"""Read the spec's operations into plain records, and write them as `cloudcx_openapi.operations`.

This is our own emitter over the spec YAML (no stock openapi-python-client template is copied):
`regenerate.py` calls `write_operation_table` after the generator has run. The same records
feed the generated resource classes (`resource_classes.py`). Names follow the generator's own
rules (`openapi_python_client.strings`), so a parameter's `python_name` is the keyword the
generated `api/` function takes and a model's class name is the generated class.

Conventions read from the spec (the README's "Adding an endpoint when the API grows"):

* resource: the operation's first tag, snake_case; method: `x-cloudcx-method`, else the
  snake_case `operationId`;
* an operation that declares `security: []` (the token request) is not a resource operation;
* the success response is the lowest 2xx; its JSON body is the CloudCX envelope (`code`,
  `message`, `data`), and `data` is a named schema (a `$ref`, alone or in a `oneOf`/`anyOf`/
  `allOf` with `null`), an array of a named object schema (a `$ref` to an array schema, or an
  inline `type: array`, whose `items` is a `$ref`), or always `null` (`type: "null"`);
* nullability is read in both spellings: OpenAPI 3.1 `type: [x, "null"]` (or a `oneOf` with
  `type: "null"`) and OpenAPI 3.0 `nullable: true`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml
from openapi_python_client.strings import ClassName, PythonIdentifier, kebab_case, snake_case

METHOD_EXTENSION = "x-cloudcx-method"
HTTP_METHODS = ("get", "put", "post", "delete", "patch")
PAGE_PARAMETERS = ("pageIndex", "pageSize")
# The generator's default `field_prefix`, for names that are not identifiers.
_FIELD_PREFIX = "field_"


class SpecError(Exception):
    """The spec breaks a convention the generated resources rely on."""


# The record types are those of the generated module, defined once in its prelude (`_HEADER`
# below) and executed here, so the emitter and `cloudcx_openapi.operations` cannot disagree.
def _record_types() -> tuple[type, type]:
    module = sys.modules.setdefault("_operation_records", ModuleType("_operation_records"))
    exec(compile(_HEADER, "cloudcx_openapi/operations.py", "exec"), module.__dict__)  # noqa: S102
    return module.Parameter, module.Operation


def _resolve(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local `$ref`s until a schema (or parameter) that is not a reference."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and "$ref" in node:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
            raise SpecError(f"unsupported reference {ref!r}")
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _ref_name(node: Any) -> str | None:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def _is_null_schema(node: Any) -> bool:
    """Whether `node` admits only `null`: OpenAPI 3.1 `type: "null"`, `enum: [null]`, or the
    closest OpenAPI 3.0 form, a nullable object with no properties (`maxProperties: 0`)."""
    if not isinstance(node, Mapping):
        return False
    empty_object = node.get("nullable") is True and node.get("maxProperties") == 0
    return node.get("type") == "null" or node.get("enum") == [None] or empty_object


def _type_and_nullable(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[str, bool]:
    """The schema's JSON type (the first that is not "null") and whether null is allowed."""
    nullable = bool(schema.get("nullable", False))
    declared = schema.get("type")
    if isinstance(declared, list):
        types = [str(kind) for kind in declared]
        nullable = nullable or "null" in types
        others = [kind for kind in types if kind != "null"]
        return (others[0] if others else "null"), nullable
    if isinstance(declared, str):
        return declared, nullable
    for key in ("oneOf", "anyOf", "allOf"):
        branches = schema.get(key)
        if isinstance(branches, list):
            nullable = nullable or any(_is_null_schema(branch) for branch in branches)
            for branch in branches:
                if not _is_null_schema(branch):
                    kind, inner_nullable = _type_and_nullable(spec, _resolve(spec, branch))
                    return kind, nullable or inner_nullable
    if "properties" in schema:
        return "object", nullable
    return "any", nullable


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _parameter(
    spec: Mapping[str, Any],
    name: str,
    location: str,
    required: bool,
    schema: Mapping[str, Any],
    description: str,
) -> ParameterInfo:
    json_type, nullable = _type_and_nullable(spec, schema)
    items = _resolve(spec, schema.get("items")) if json_type == "array" else None
    enum = schema.get("enum")
    return ParameterInfo(
        name=name,
        python_name=str(PythonIdentifier(name, prefix=_FIELD_PREFIX)),
        cli_name=kebab_case(name),
        location=location,
        required=required,
        json_type=json_type,
        format=schema.get("format"),
        nullable=nullable,
        has_default="default" in schema,
        default=schema.get("default"),
        enum=tuple(enum) if isinstance(enum, list) else None,
        minimum=_number(schema.get("minimum")),
        maximum=_number(schema.get("maximum")),
        min_length=schema.get("minLength"),
        max_length=schema.get("maxLength"),
        items_type=_type_and_nullable(spec, items)[0] if isinstance(items, Mapping) else None,
        secret=schema.get("format") == "password",
        description=" ".join(str(description or schema.get("description") or "").split()),
    )


def _parameters(
    spec: Mapping[str, Any], path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> Iterator[ParameterInfo]:
    declared: dict[tuple[str, str], Mapping[str, Any]] = {}
    for raw in [*path_item.get("parameters", []), *operation.get("parameters", [])]:
        parameter = _resolve(spec, raw)
        declared[(parameter["in"], parameter["name"])] = parameter
    for location in ("path", "query"):
        for (where, name), parameter in declared.items():
            if where != location:
                continue
            schema = _resolve(spec, parameter.get("schema", {}))
            yield _parameter(
                spec,
                name,
                location,
                bool(parameter.get("required", location == "path")),
                schema,
                parameter.get("description", ""),
            )
    unsupported = sorted({where for where, _ in declared} - {"path", "query"})
    if unsupported:
        raise SpecError(f"{operation['operationId']}: parameters in {unsupported} are not supported")
    body = _resolve(spec, operation.get("requestBody", {}))
    if body:
        content = body.get("content", {})
        if "application/json" not in content:
            raise SpecError(f"{operation['operationId']}: a request body must be application/json")
        schema = _resolve(spec, content["application/json"].get("schema", {}))
        required = set(schema.get("required", []))
        for name, property_schema in schema.get("properties", {}).items():
            resolved = _resolve(spec, property_schema)
            yield _parameter(spec, name, "body", name in required, resolved, resolved.get("description", ""))


def _success(spec: Mapping[str, Any], operation: Mapping[str, Any]) -> tuple[int, Mapping[str, Any]]:
    statuses = sorted(int(status) for status in operation.get("responses", {}) if str(status).isdigit())
    for status in statuses:
        if 200 <= status < 300:
            return status, _resolve(spec, operation["responses"][str(status)])
    raise SpecError(f"{operation['operationId']}: no 2xx response")


def _data_schema(spec: Mapping[str, Any], operation_id: str, response: Mapping[str, Any]) -> Any:
    """The `data` property's schema of the success envelope, references kept."""
    media = response.get("content", {}).get("application/json")
    if media is None:
        raise SpecError(f"{operation_id}: the success response has no application/json body")
    envelope = _resolve(spec, media.get("schema", {}))
    # A success response may offer the error envelope beside the success one (`oneOf`/`anyOf`):
    # the success envelope is the branch whose `data` is not always null.
    for key in ("oneOf", "anyOf"):
        branches = [_resolve(spec, branch) for branch in envelope.get(key, [])]
        carrying = [b for b in branches if not _is_null_schema(b.get("properties", {}).get("data"))]
        if len(carrying) == 1:
            envelope = carrying[0]
        elif branches and not carrying:
            envelope = branches[0]  # every branch has a null `data`
    properties = envelope.get("properties", {})
    if "code" not in properties or "data" not in properties:
        raise SpecError(f"{operation_id}: the success body is not a CloudCX envelope (code, message, data)")
    return properties["data"]


def _data_branch(data: Any) -> Any:
    """`data`'s schema other than `null`: the one other branch of a oneOf/anyOf/allOf, or itself."""
    if isinstance(data, Mapping) and "$ref" not in data:
        for key in ("oneOf", "anyOf", "allOf"):
            branches = [branch for branch in data.get(key, []) if not _is_null_schema(branch)]
            if len(branches) == 1:
                return branches[0]
    return data


def _data_ref(data: Any) -> str | None:
    """The schema name `data` refers to, alone or beside `null` in a oneOf/anyOf/allOf."""
    return _ref_name(_data_branch(data))


def _list_item(spec: Mapping[str, Any], operation_id: str, data: Any) -> str | None:
    """The schema name of the items when `data` is an array, else None.

    The array is a `$ref` to an array schema or an inline `type: array`; its `items` must be a
    `$ref` to an object schema, so that each item decodes into a generated model.
    """
    branch = _data_branch(data)
    schema = _resolve(spec, branch)
    if not isinstance(schema, Mapping) or _type_and_nullable(spec, schema)[0] != "array":
        return None
    items = schema.get("items")
    name = _ref_name(items)
    if name is None or _type_and_nullable(spec, _resolve(spec, items))[0] != "object":
        where = f"schema {_ref_name(branch)!r}" if _ref_name(branch) else "an inline array schema"
        raise SpecError(
            f"{operation_id}: the envelope's data is an array ({where}) whose items are not a "
            "named object schema: give `items` a $ref to an object schema"
        )
    return name


def _data_model(operation_id: str, data: Any, list_item: str | None) -> str | None:
    """The class name of the data's model (of its items for a list), or None when always null."""
    if _is_null_schema(data):
        return None
    name = list_item or _data_ref(data)
    if name is None:
        raise SpecError(f"{operation_id}: the envelope's data must be a named schema ($ref), an array of one, or null")
    return str(ClassName(name, prefix=_FIELD_PREFIX))


def _data_nullable(spec: Mapping[str, Any], data: Any) -> bool:
    """Whether the spec lets the envelope's `data` be null (either spelling, or always null)."""
    return _is_null_schema(data) or _type_and_nullable(spec, _resolve(spec, data))[1]


def _page_item_model(spec: Mapping[str, Any], data: Any) -> str | None:
    """The class name of a page's items when `data` is a page (`content` array, `totalPages`)."""
    name = _data_ref(data)
    if name is None:
        return None
    properties = _resolve(spec, spec["components"]["schemas"][name]).get("properties", {})
    content = _resolve(spec, properties.get("content", {}))
    item = _ref_name(content.get("items"))
    if "totalPages" not in properties or content.get("type") != "array" or item is None:
        return None
    return str(ClassName(item, prefix=_FIELD_PREFIX))


def _record_fields(spec: Mapping[str, Any], data: Any, paged: bool, list_item: str | None) -> tuple[str, ...]:
    """The API field names of the records an operation returns (see `Operation.record_fields`)."""
    name = list_item or _data_ref(data)
    if name is None:
        return ()
    schema = _resolve(spec, spec["components"]["schemas"][name])
    if paged:
        content = _resolve(spec, schema.get("properties", {}).get("content", {}))
        schema = _resolve(spec, content.get("items", {}))
    return tuple(str(field) for field in schema.get("properties", {}))


def _tag_descriptions(spec: Mapping[str, Any]) -> dict[str, str]:
    """Each tag's description from the spec's `tags`, on one line, by tag name."""
    return {
        str(tag["name"]): " ".join(str(tag.get("description") or "").split())
        for tag in spec.get("tags") or []
        if isinstance(tag, Mapping) and "name" in tag
    }


def _example(response: Mapping[str, Any]) -> str | None:
    media = response.get("content", {}).get("application/json", {})
    if "example" in media:
        return json.dumps(media["example"], ensure_ascii=False)
    for example in media.get("examples", {}).values():
        if isinstance(example, Mapping) and "value" in example:
            return json.dumps(example["value"], ensure_ascii=False)
    return None


def walker_names(method: str) -> tuple[str, str]:
    """The item walker's and the page walker's names for paged method `method`."""
    if method == "list":
        return "iter", "iter_pages"
    stem = method.removeprefix("list_")
    return f"iter_{stem}", f"iter_{stem}_pages"


def load_spec(path: Path) -> dict[str, Any]:
    """The spec as plain data."""
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise SpecError(f"{path} is not an OpenAPI document")
    return loaded


def read_operations(spec: Mapping[str, Any]) -> list[OperationInfo]:
    """Every resource operation of the spec, in spec order (the token request left out)."""
    operations: list[OperationInfo] = []
    default_security = spec.get("security", [])
    tag_descriptions = _tag_descriptions(spec)
    for path, path_item in spec.get("paths", {}).items():
        for http_method in HTTP_METHODS:
            operation = path_item.get(http_method)
            if operation is None:
                continue
            operation_id = str(operation["operationId"])
            if operation.get("security", None) == []:
                continue  # the token request: served by the auth layer, not a resource
            security = operation.get("security", default_security)
            tags = operation.get("tags") or []
            if not tags:
                raise SpecError(f"{operation_id}: an operation needs a tag (its resource)")
            parameters = tuple(_parameters(spec, path_item, operation))
            names = [parameter.python_name for parameter in parameters]
            if len(set(names)) != len(names) or {"timeout", "concurrency"} & set(names):
                raise SpecError(
                    f"{operation_id}: two arguments share a Python name, or one is called "
                    "`timeout` or `concurrency` (the methods' own keywords)"
                )
            status, response = _success(spec, operation)
            data = _data_schema(spec, operation_id, response)
            list_item = _list_item(spec, operation_id, data)
            wire = {(parameter.location, parameter.name) for parameter in parameters}
            item_model = _page_item_model(spec, data)
            paged = all(("query", name) in wire for name in PAGE_PARAMETERS) and item_model is not None
            method = str(operation.get(METHOD_EXTENSION) or snake_case(operation_id))
            item_walker, page_walker = walker_names(method) if paged else (None, None)
            data_nullable = _data_nullable(spec, data)
            if paged and data_nullable:
                raise SpecError(
                    f"{operation_id}: a paged operation's data (a page) may not be null: its walkers need every page"
                )
            operations.append(
                OperationInfo(
                    operation_id=operation_id,
                    resource=snake_case(str(tags[0])),
                    method=method,
                    http_method=http_method.upper(),
                    path=str(path),
                    summary=" ".join(str(operation.get("summary", "")).split()),
                    description=str(operation.get("description", "")).strip(),
                    parameters=parameters,
                    paged=paged,
                    data_model=_data_model(operation_id, data, list_item),
                    item_model=item_model if paged else None,
                    success_status=status,
                    success_example=_example(response),
                    security=tuple(tuple(sorted(requirement)) for requirement in security),
                    api_module=f"{snake_case(str(tags[0]))}.{PythonIdentifier(operation_id, prefix='')}",
                    item_walker=item_walker,
                    page_walker=page_walker,
                    documented_statuses=tuple(str(status) for status in operation.get("responses", {})),
                    resource_description=tag_descriptions.get(str(tags[0]), ""),
                    record_fields=_record_fields(spec, data, paged, list_item),
                    data_list=list_item is not None,
                    data_nullable=data_nullable,
                )
            )
    seen: set[tuple[str, str]] = set()
    for operation in operations:
        key = (operation.resource, operation.method)
        if key in seen:
            raise SpecError(f"two operations are {operation.resource}.{operation.method}: set {METHOD_EXTENSION}")
        seen.add(key)
    return operations


_HEADER = '''"""The API's operations as data, generated from the spec: NEVER edit by hand.

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

'''


ParameterInfo, OperationInfo = _record_types()


def _literal(value: Any) -> str:
    """Python source for a JSON-like value (tuples for lists, so the table stays immutable)."""
    if isinstance(value, list | tuple):
        inner = "".join(f"{_literal(item)}, " for item in value)
        return f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_literal(key)}: {_literal(item)}" for key, item in value.items()) + "}"
    return repr(value)


def _record(kind: str, record: ParameterInfo | OperationInfo, indent: str) -> str:
    lines = [f"{kind}("]
    for name in record.__dataclass_fields__:
        value = getattr(record, name)
        if name == "parameters":
            inner = "".join(f"{indent}        {_record('Parameter', item, indent + '        ')},\n" for item in value)
            lines.append(f"{indent}    parameters=(\n{inner}{indent}    ),")
        else:
            lines.append(f"{indent}    {name}={_literal(value)},")
    lines.append(f"{indent})")
    return "\n".join(lines)


def render_operation_table(operations: list[OperationInfo]) -> str:
    """The source of `cloudcx_openapi/operations.py`."""
    body = "".join(f"    {_record('Operation', operation, '    ')},\n" for operation in operations)
    return (
        _HEADER
        + f"\nOPERATIONS: tuple[Operation, ...] = (\n{body})\n"
        + '"""Every resource operation of the spec, in spec order."""\n\n'
        + "BY_ID: Mapping[str, Operation] = MappingProxyType({operation.operation_id: operation for operation in OPERATIONS})\n"
        + '"""The operations by `operationId`."""\n'
    )


def write_operation_table(spec_path: Path, package_dir: Path) -> list[OperationInfo]:
    """Write `operations.py` into the generated package; return the records it holds."""
    operations = read_operations(load_spec(spec_path))
    (package_dir / "operations.py").write_text(render_operation_table(operations), encoding="utf-8")
    return operations
