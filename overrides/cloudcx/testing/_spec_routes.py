"""Every operation of the spec, served: routes from the operation table, answers from examples.

The routes come from the generated operation table (`cloudcx_openapi.operations`), never from a
list written here, so an operation added to the spec is served after `make generate`. Operations
the simulator has behaviour for (the user page) keep it; any other operation is answered from
the spec: the credentials are checked as for the user page, every parameter is validated against
its schema (400 `"4000"` for a malformed or missing one, 422 `"4220"` for one out of range, as the
user page does), and the body is the spec's success example, marked `X-CloudCX-Simulator:
example`. A path no operation describes gets a `text/plain` 404 marked `X-CloudCX-Simulator:
no-route`, which no documented (JSON envelope) response matches.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import math
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote

from cloudcx_openapi.operations import OPERATIONS, Operation, Parameter

from .._exceptions import ConfigurationError
from ._http import Request, Response, envelope

__all__ = [
    "MARK_HEADER",
    "OperationRoutes",
    "example_endpoint",
    "load_operations",
    "method_not_allowed",
    "no_route",
    "unauthorized",
]

#: The response header that tells an example answer (and a missing route) from a real one.
MARK_HEADER = "X-CloudCX-Simulator"

_INTEGER = re.compile(r"[+-]?[0-9]+")
_INTEGER_LIMITS = {"int32": 2**31 - 1, "int64": 2**63 - 1}
_TEMPLATE = re.compile(r"\{([^{}/]+)\}")
_EMPTY_DATA = b'{"code":"0000","message":null,"data":null}'
_EMPTY_LIST = b'{"code":"0000","message":null,"data":[]}'


def load_operations(table: str | None = None) -> tuple[Operation, ...]:
    """The operations to serve: the installed table, or the generated `operations.py` at `table`.

    A table file is what `generator/regenerate.py --spec S --out D` writes to
    `D/cloudcx_openapi/operations.py`: it needs only the standard library to load. A table
    written by an older generator, whose `Operation` or `Parameter` lacks a field the simulator
    reads (the table's fields are only ever added), is refused with a `ConfigurationError`
    naming the fields, rather than failing on the first request that reads one.
    """
    if table is None:
        return OPERATIONS
    path = Path(table)
    name = f"_cloudcx_simulator_table_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None or not path.is_file():
        raise ValueError(f"no operation table at {table}")
    module = importlib.util.module_from_spec(spec)
    # Registered first: dataclasses look their module up while the file runs.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if not isinstance(getattr(module, "OPERATIONS", None), tuple) or not _field_names(
        getattr(module, "Operation", None)
    ):
        raise ConfigurationError(f"{table} is not an operation table: no OPERATIONS of Operation")
    missing = [
        f"{installed.__name__}.{field.name}"
        for installed in (Operation, Parameter)
        for field in dataclasses.fields(installed)
        if field.name not in _field_names(getattr(module, installed.__name__, None))
    ]
    if missing:
        raise ConfigurationError(
            f"the operation table {table} was written by an older generator: it lacks "
            f"{', '.join(missing)}; regenerate it with this version's generator/regenerate.py"
        )
    return cast("tuple[Operation, ...]", module.OPERATIONS)


def _field_names(table_class: object) -> set[str]:
    """The field names of a table's dataclass (none for anything else)."""
    if not isinstance(table_class, type) or not dataclasses.is_dataclass(table_class):
        return set()
    return {field.name for field in dataclasses.fields(table_class)}


@dataclass(frozen=True)
class _Route:
    operation: Operation
    pattern: re.Pattern[str]
    names: tuple[str, ...]


def _route(operation: Operation) -> _Route:
    names = tuple(_TEMPLATE.findall(operation.path))
    parts = _TEMPLATE.split(operation.path)
    # split() alternates literal text and parameter names: escape the text, capture a segment.
    regex = "".join(
        re.escape(part) if index % 2 == 0 else "([^/]+)" for index, part in enumerate(parts)
    )
    return _Route(operation, re.compile(regex), names)


class OperationRoutes:
    """The operations of a table by path template, literal paths before templated ones."""

    def __init__(self, operations: Sequence[Operation]) -> None:
        routes = [_route(operation) for operation in operations]
        self._routes = sorted(routes, key=lambda route: len(route.names))

    def matches(self, path: str) -> list[tuple[Operation, dict[str, str]]]:
        """Every operation whose path template matches `path`, with its path parameters."""
        found: list[tuple[Operation, dict[str, str]]] = []
        for route in self._routes:
            match = route.pattern.fullmatch(path)
            if match is not None:
                found.append((route.operation, dict(zip(route.names, match.groups(), strict=True))))
        return found

    def serves(self, path: str) -> bool:
        """Whether some operation's path template matches `path`."""
        return any(route.pattern.fullmatch(path) for route in self._routes)


def no_route(path: str) -> Response:
    """A path the spec does not describe: unlike any documented response (not a JSON envelope)."""
    body = f"no operation of the spec serves {path}\n".encode()
    return Response(404, body, "text/plain; charset=utf-8", ((MARK_HEADER, "no-route"),))


def method_not_allowed(method: str, allowed: Sequence[str]) -> Response:
    """405 with `Allow` (HEAD wherever GET is): the envelope the user page has always sent."""
    methods = sorted(set(allowed) | ({"HEAD"} if "GET" in allowed else set()), key=_method_order)
    return envelope(405, "4050", f"{method} is not allowed", (("Allow", ", ".join(methods)),))


def _method_order(method: str) -> tuple[int, str]:
    order = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
    return (order.index(method) if method in order else len(order), method)


def unauthorized(challenge: str) -> Response:
    """401 with the RFC 6750 challenge, in the API's error envelope."""
    return envelope(401, "4010", "invalid or expired token", (("WWW-Authenticate", challenge),))


def _malformed(message: str) -> Response:
    return envelope(400, "4000", message)


def _out_of_range(message: str) -> Response:
    return envelope(422, "4220", message)


def _kind(parameter: Parameter) -> str:
    """The JSON type one value of the parameter has (an array's items for an array)."""
    if parameter.json_type == "array":
        return parameter.items_type or "any"
    return parameter.json_type


def _from_text(parameter: Parameter, text: str) -> tuple[Any, Response | None]:
    """Read a path or query value as its schema's type; a response when it is malformed."""
    name, kind = parameter.name, _kind(parameter)
    if kind == "integer":
        limit = _INTEGER_LIMITS.get(parameter.format or "int64", _INTEGER_LIMITS["int64"])
        if not _INTEGER.fullmatch(text) or abs(int(text)) > limit:
            return None, _malformed(f"{name} must be an integer")
        return int(text), None
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            return None, _malformed(f"{name} must be a number")
        return number, None
    if kind == "boolean":
        if text not in ("true", "false"):
            return None, _malformed(f"{name} must be true or false")
        return text == "true", None
    return text, None


_JSON_TYPES: Mapping[str, tuple[type, ...]] = {
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "string": (str,),
    "array": (list,),
    "object": (dict,),
}


def _json_type_error(parameter: Parameter, value: Any, kind: str) -> Response | None:
    if value is None:
        return None if parameter.nullable else _malformed(f"{parameter.name} must not be null")
    expected = _JSON_TYPES.get(kind)
    if expected is None:
        return None
    if (isinstance(value, bool) and kind != "boolean") or not isinstance(value, expected):
        return _malformed(f"{parameter.name} must be of type {kind}")
    return None


def _range_error(parameter: Parameter, value: Any) -> Response | None:
    """422 when a well-formed value breaks the schema's enum, bounds or lengths."""
    name = parameter.name
    if value is None:
        return None
    if parameter.enum is not None and value not in parameter.enum:
        choices = ", ".join(json.dumps(choice) for choice in parameter.enum)
        return _out_of_range(f"{name} must be one of {choices}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if parameter.minimum is not None and value < parameter.minimum:
            return _out_of_range(f"{name} must be at least {parameter.minimum:g}")
        if parameter.maximum is not None and value > parameter.maximum:
            return _out_of_range(f"{name} must be at most {parameter.maximum:g}")
    if isinstance(value, str):
        if parameter.min_length is not None and len(value) < parameter.min_length:
            return _out_of_range(f"{name} must be at least {parameter.min_length} characters")
        if parameter.max_length is not None and len(value) > parameter.max_length:
            return _out_of_range(f"{name} must be at most {parameter.max_length} characters")
    return None


def _check_texts(parameter: Parameter, texts: Sequence[str]) -> Response | None:
    for text in texts if parameter.json_type == "array" else texts[:1]:
        value, malformed = _from_text(parameter, text)
        problem = malformed or _range_error(parameter, value)
        if problem is not None:
            return problem
    return None


def _check_json(parameter: Parameter, value: Any) -> Response | None:
    problem = _json_type_error(parameter, value, parameter.json_type)
    if problem is not None or value is None:
        return problem
    if parameter.json_type == "array":
        for item in value:
            problem = _json_type_error(parameter, item, _kind(parameter)) or _range_error(
                parameter, item
            )
            if problem is not None:
                return problem
        return None
    return _range_error(parameter, value)


def _body(operation: Operation, request: Request) -> tuple[dict[str, Any], Response | None]:
    """The JSON body's top-level properties (empty when the operation takes none)."""
    if not any(parameter.location == "body" for parameter in operation.parameters):
        return {}, None
    if not request.body.strip():
        return {}, None
    try:
        document = json.loads(request.body)
    except (UnicodeDecodeError, ValueError):
        return {}, _malformed("the body must be JSON")
    if not isinstance(document, dict):
        return {}, _malformed("the body must be a JSON object")
    return document, None


def _documents(operation: Operation, status: int) -> bool:
    """Whether the spec documents `status` for the operation (itself, its class, or default)."""
    written = operation.documented_statuses
    return str(status) in written or f"{status // 100}XX" in written or "default" in written


def parameter_error(
    operation: Operation, path_values: Mapping[str, str], request: Request
) -> Response | None:
    """The error envelope for the first parameter that breaks the spec, or None when all fit.

    A value out of range is a 422 only where the operation documents one; elsewhere it is the
    400 every operation documents for a bad parameter, so a contract test never sees a status
    the spec does not list.
    """
    problem = _first_parameter_error(operation, path_values, request)
    if problem is not None and problem.status == 422 and not _documents(operation, 422):
        return _malformed(json.loads(problem.body)["message"])
    return problem


def _first_parameter_error(
    operation: Operation, path_values: Mapping[str, str], request: Request
) -> Response | None:
    body, problem = _body(operation, request)
    if problem is not None:
        return problem
    for parameter in operation.parameters:
        name = parameter.name
        if parameter.location == "body":
            given = name in body
            problem = _check_json(parameter, body[name]) if given else None
        else:
            texts = request.query.get(name, [])
            if parameter.location == "path":
                texts = [unquote(path_values[name])] if name in path_values else []
            given = bool(texts)
            problem = _check_texts(parameter, texts) if given else None
        if not given and parameter.required:
            problem = _malformed(f"{name} is required")
        if problem is not None:
            return problem
    return None


def needs_credentials(operation: Operation) -> bool:
    """Whether every security alternative of the operation names a scheme (none is empty)."""
    return bool(operation.security) and all(operation.security)


def example_endpoint(
    operation: Operation, path_values: Mapping[str, str], request: Request
) -> Response:
    """Answer an operation the simulator has no behaviour for: the spec's success example.

    The caller has checked the credentials (see :func:`needs_credentials`).
    """
    problem = parameter_error(operation, path_values, request)
    if problem is not None:
        return problem
    example = operation.success_example
    # An operation whose example the spec leaves out answers with the smallest valid envelope.
    empty = _EMPTY_LIST if operation.data_list else _EMPTY_DATA
    body = example.encode() if example is not None else empty
    return Response(operation.success_status, body, "application/json", ((MARK_HEADER, "example"),))
