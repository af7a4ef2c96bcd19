"""Write `cloudcx_openapi.resources`: the typed resource classes, from the operation table.

Our own small template (`resources.py.jinja`, beside this file) over the records of
`operation_table.py`; `regenerate.py` runs it after the table. Per tag, four classes: `<Tag>`
and `Async<Tag>` (one method per operation, plus the walkers of paged ones) and their
`with_raw_response` twins; `SyncResources`/`AsyncResources` attach them all to the clients.

Names (also in the README's "Adding an endpoint when the API grows"):

* the method: `x-cloudcx-method`, else the snake_case `operationId`;
* the walkers of a paged method `m`: `iter`/`iter_pages` for `list`; `iter_<x>`/
  `iter_<x>_pages` for `list_<x>`; otherwise `iter_<m>`/`iter_<m>_pages`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
from openapi_python_client.strings import pascal_case

from operation_table import OperationInfo, ParameterInfo, SpecError

TEMPLATE = Path(__file__).resolve().parent / "resources.py.jinja"
_SCALARS = {"integer": "int", "number": "float", "boolean": "bool", "string": "str"}
_RESERVED_METHODS = {"with_raw_response"}


def _scalar(json_type: str | None, format_: str | None) -> str:
    if json_type == "string" and format_ == "uuid":
        return "UUID | str"
    return _SCALARS.get(json_type or "", "Any")


def annotation(parameter: ParameterInfo) -> str:
    """The Python type of an argument, from its JSON schema."""
    if parameter.enum and all(isinstance(choice, str) for choice in parameter.enum):
        base = "Literal[" + ", ".join(repr(choice) for choice in parameter.enum) + "]"
    elif parameter.json_type == "array":
        base = f"Sequence[{_scalar(parameter.items_type, None)}]"
    elif parameter.json_type == "object":
        base = "Mapping[str, Any]"
    else:
        base = _scalar(parameter.json_type, parameter.format)
    optional = parameter.nullable or not (parameter.required or parameter.has_default)
    return f"{base} | None" if optional else base


def signature_default(parameter: ParameterInfo) -> str:
    """` = <default>` for an argument that has one, else nothing (required)."""
    if parameter.has_default:
        return f" = {parameter.default!r}"
    if parameter.required:
        return ""
    return " = None"


def docstring_text(text: str) -> str:
    """`text` made safe inside a triple-quoted docstring."""
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').strip()


def wrap(text: str, indent: int) -> str:
    """`text` wrapped for a docstring line that starts `indent` columns in (later lines)."""
    lines = textwrap.wrap(text, width=96 - indent, break_long_words=False, break_on_hyphens=False)
    return ("\n" + " " * indent).join(lines)


@dataclass(frozen=True)
class _Resource:
    name: str
    class_name: str
    operations: tuple[OperationInfo, ...]


def _resources(operations: Sequence[OperationInfo]) -> list[_Resource]:
    by_name: dict[str, list[OperationInfo]] = {}
    for operation in operations:
        by_name.setdefault(operation.resource, []).append(operation)
    resources = []
    for name, members in by_name.items():
        taken: set[str] = set(_RESERVED_METHODS)
        for operation in members:
            walkers = (operation.item_walker, operation.page_walker) if operation.paged else ()
            names = [operation.method, *walkers]
            clash = taken.intersection(names)
            if clash or not operation.method.isidentifier():
                raise SpecError(f"{operation.operation_id}: the method name {sorted(clash)} is taken or invalid")
            taken.update(names)
        resources.append(_Resource(name, pascal_case(name), tuple(members)))
    return resources


def render_resources(operations: Sequence[OperationInfo]) -> str:
    """The source of `cloudcx_openapi/resources.py`."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE.parent),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - Python source, not HTML
    )
    models = sorted(
        {operation.data_model for operation in operations if operation.data_model}
        | {operation.item_model for operation in operations if operation.item_model}
    )
    return environment.get_template(TEMPLATE.name).render(
        resources=_resources(operations),
        models=models,
        lists=any(operation.data_list for operation in operations),
        annotation=annotation,
        signature_default=signature_default,
        docstring_text=docstring_text,
        wrap=wrap,
    )


def write_resources(operations: Sequence[OperationInfo], package_dir: Path) -> None:
    """Write `resources.py` into the generated package."""
    (package_dir / "resources.py").write_text(render_resources(operations), encoding="utf-8")
