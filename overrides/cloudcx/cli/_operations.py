"""A command for every operation of the spec: `cloudcx <resource> <method>`, from the table.

As the AWS CLI is generated from its service models, these commands come from the generated
operation table (`cloudcx_openapi.operations`), so an operation added to the spec is a command
after `make generate`, with no file here changed:

* the command is `cloudcx <resource> <method>`, both kebab-case (`call-queues list-members`);
  a command written by hand (`users list`) takes precedence over the generated one;
* each parameter is one flag, `--<kebab-case name>`, typed from its schema (int, float,
  `--x/--no-x` for a boolean, the enum's choices, JSON for an object), required when the spec
  says so and has no default; `--help` shows the spec's summary, description and parameter
  descriptions;
* a secret parameter (`format: password`) is never a flag, where shell history and `ps` would
  keep it: it is read from `CLOUDCX_ARG_<NAME>`, else asked for without echo on a terminal;
* a paged operation also takes `--all`, which walks every page; a paged operation and one
  whose `data` is a list take `--columns`, the fields to show (the API's names of the item
  schema's properties, snake_case too), as `users list`;
* a resource's `--help` quotes the description of its tag in the spec;
* the call goes through the typed client method `cx.<resource>.<method>(...)`, so the errors,
  exit codes and masking of secrets are the client's; the output is a page's items or a list's,
  one row per item (table, csv, jsonl; json: one array), an object as one row (one JSON object
  with json), and nothing for a `null` `data`.
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

from cloudcx_openapi.operations import OPERATIONS, Operation, Parameter

from .._exceptions import ConfigurationError
from ._errors import EXIT_OK
from ._output import FORMATS, Record, RowWriter, column_list, make_writer
from ._session import open_client, prompt_for_password
from ._settings import Settings

__all__ = ["add_operation_commands", "run_operation"]

# A string: argparse's class is generic to type checkers only.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
#: Makes (or returns the existing) group of a resource's commands.
GroupFactory = Callable[[str, str], Subparsers]

_SECRET_ENVIRONMENT = "CLOUDCX_ARG_"
_ARGUMENT_PREFIX = "arg_"
# The page number a paged operation takes (the table's paging convention): the walk sets it.
_PAGE_INDEX = "pageIndex"


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _argument_type(parameter: Parameter) -> Callable[[str], Any]:
    """Convert and check one flag value against the parameter's schema (argparse shows errors)."""
    kind = parameter.items_type if parameter.json_type == "array" else parameter.json_type

    def convert(text: str) -> Any:
        value: Any = text
        try:
            if kind == "integer":
                value = int(text)
            elif kind == "number":
                value = float(text)
                if not math.isfinite(value):
                    raise ValueError(text)
            elif kind in ("object", "any"):
                value = json.loads(text)
        except ValueError:
            what = {"integer": "a whole number", "number": "a number"}.get(kind or "", "JSON")
            raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None
        _check_bounds(parameter, value)
        return value

    convert.__name__ = kind or "value"  # argparse names the type in its error messages
    return convert


def _check_bounds(parameter: Parameter, value: Any) -> None:
    if isinstance(value, int | float):
        if parameter.minimum is not None and value < parameter.minimum:
            raise argparse.ArgumentTypeError(f"must be at least {parameter.minimum:g}, got {value}")
        if parameter.maximum is not None and value > parameter.maximum:
            raise argparse.ArgumentTypeError(f"must be at most {parameter.maximum:g}, got {value}")
    if isinstance(value, str):
        if parameter.min_length is not None and len(value) < parameter.min_length:
            raise argparse.ArgumentTypeError(f"must be at least {parameter.min_length} characters")
        if parameter.max_length is not None and len(value) > parameter.max_length:
            raise argparse.ArgumentTypeError(f"must be at most {parameter.max_length} characters")


def help_text(text: str) -> str:
    """`text` (a spec's) as an argument's or a command's help, which argparse `%`-formats."""
    return text.replace("%", "%%")


def raw_text(text: str) -> str:
    """`text` (a spec's) as a description or epilog, each `%` shown as written.

    argparse `%`-formats those only when they hold `%(prog)`, so only then is `%` escaped.
    """
    return help_text(text) if "%(prog)" in text else text


def _help(parameter: Parameter) -> str:
    """The flag's help: the spec's description, then its constraints and default."""
    notes: list[str] = []
    if parameter.minimum is not None or parameter.maximum is not None:
        low = "" if parameter.minimum is None else f"{parameter.minimum:g}"
        high = "" if parameter.maximum is None else f"{parameter.maximum:g}"
        notes.append(f"{low or '...'} to {high or '...'}")
    if parameter.max_length is not None:
        notes.append(f"at most {parameter.max_length} characters")
    if parameter.json_type == "array":
        notes.append("repeat the flag for each item")
    if parameter.json_type in ("object", "any"):
        notes.append("as JSON")
    if parameter.has_default and parameter.default is not None:
        notes.append(f"default: {json.dumps(parameter.default)}")
    if parameter.required and not parameter.has_default:
        notes.append("required")
    text = parameter.description
    return help_text(f"{text} ({'; '.join(notes)})" if notes else text or "-")


def _add_flag(parser: argparse.ArgumentParser, parameter: Parameter) -> None:
    flag = f"--{parameter.cli_name}"
    dest = _ARGUMENT_PREFIX + parameter.python_name
    required = parameter.required and not parameter.has_default
    if parameter.json_type == "boolean":
        parser.add_argument(
            flag,
            dest=dest,
            action=argparse.BooleanOptionalAction,
            default=None,
            required=required,
            help=_help(parameter),
        )
        return
    choices = None
    if parameter.enum is not None and parameter.json_type != "array":
        choices = [choice for choice in parameter.enum if choice is not None]
    parser.add_argument(
        flag,
        dest=dest,
        type=_argument_type(parameter),
        choices=choices,
        action="append" if parameter.json_type == "array" else "store",
        required=required,
        metavar=None if choices else _kebab(parameter.python_name).upper(),
        help=_help(parameter),
    )


def _description(operation: Operation) -> str:
    summary = operation.summary or operation.operation_id
    lines = [summary[:1].upper() + summary[1:].rstrip(".") + "."]
    if operation.description:
        lines += ["", operation.description]
    return "\n".join(lines)


def _epilog(operation: Operation, command: str) -> str:
    secrets = [parameter for parameter in operation.parameters if parameter.secret]
    lines = [
        f"calls cx.{operation.resource}.{operation.method}(...): "
        f"{operation.http_method} {operation.path} ({operation.operation_id})"
    ]
    for parameter in secrets:
        lines.append(
            f"{parameter.name} is a secret: set {_secret_variable(parameter)}, or type it at the "
            "prompt (never on the command line)"
        )
    if operation.paged:
        lines.append("--all walks every page, streamed as it arrives")
    if _takes_columns(operation):
        lines += [
            "",
            "columns (API field names; snake_case works too):",
            f"  {', '.join(operation.record_fields)}",
            "  every format shows every field unless --columns says otherwise.",
        ]
    lines += ["", "examples:", f"  cloudcx {command} --help"]
    if _takes_columns(operation):
        walk = "--all " if operation.paged else ""
        lines.append(
            f"  cloudcx {command} {walk}--format csv --columns "
            f"{','.join(operation.record_fields[:2])}"
        )
    return "\n".join(lines)


def _takes_columns(operation: Operation) -> bool:
    """Whether the command writes a list of records whose fields the spec names."""
    return (operation.paged or operation.data_list) and bool(operation.record_fields)


def _resource_help(operation: Operation) -> str:
    """The resource's one-line help: its tag's description in the spec, else its name."""
    return operation.resource_description or f"the {operation.resource.replace('_', ' ')} resource"


def _secret_variable(parameter: Parameter) -> str:
    return _SECRET_ENVIRONMENT + parameter.python_name.upper()


def add_operation_commands(
    group: GroupFactory,
    parents: Sequence[argparse.ArgumentParser],
    operations: Sequence[Operation] | None = None,
) -> None:
    """Add `<resource> <method>` for every operation of the table (default: the installed one).

    `group(resource, help)` returns the resource's subcommands (made once); `parents` are the
    options every command takes. A command already there (written by hand) is left as it is.
    """
    for operation in OPERATIONS if operations is None else operations:
        resource, name = _kebab(operation.resource), _kebab(operation.method)
        commands = group(resource, _resource_help(operation))
        if name in commands.choices:
            continue
        parser = commands.add_parser(
            name,
            parents=parents,
            help=help_text((operation.summary or operation.operation_id).rstrip(".")),
            description=raw_text(_description(operation)),
            epilog=raw_text(_epilog(operation, f"{resource} {name}")),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        parser.set_defaults(handler="operation", operation=operation)
        for parameter in operation.parameters:
            if not parameter.secret:
                _add_flag(parser, parameter)
        if operation.paged:
            parser.add_argument("--all", action="store_true", help="every page, streamed")
        if _takes_columns(operation):
            parser.add_argument(
                "--columns",
                type=column_list(operation.record_fields),
                help=help_text(
                    "comma-separated columns to show, e.g. " + ",".join(operation.record_fields[:2])
                ),
            )
        parser.add_argument(
            "--format", choices=FORMATS, default="table", help="output format (default: table)"
        )


def _secret(parameter: Parameter) -> str | None:
    value = os.environ.get(_secret_variable(parameter))
    if value is None and sys.stdin.isatty():
        try:
            value = getpass.getpass(f"{parameter.name}: ") or None
        except EOFError:
            value = None
    if value is None and parameter.required:
        raise ConfigurationError(f"{parameter.name} is required: set {_secret_variable(parameter)}")
    return value


def _arguments(operation: Operation, args: argparse.Namespace) -> dict[str, Any]:
    """The typed method's keyword arguments: the flags given, and the secrets."""
    arguments: dict[str, Any] = {}
    for parameter in operation.parameters:
        value = (
            _secret(parameter)
            if parameter.secret
            else getattr(args, _ARGUMENT_PREFIX + parameter.python_name)
        )
        if value is not None:
            arguments[parameter.python_name] = value
    return arguments


def _columns(items: Sequence[Record]) -> tuple[str, ...]:
    """Every field the items have, in the order they first appear."""
    seen: dict[str, None] = {}
    for item in items:
        seen.update(dict.fromkeys(item.to_dict()))
    return tuple(seen)


class _Rows:
    """A writer of the chosen `columns`; without them, made at the first non-empty batch.

    Without chosen columns, the fields of that first batch name the columns.
    """

    def __init__(self, fmt: str, columns: Sequence[str] | None = None) -> None:
        self._format = fmt
        self._writer: RowWriter | None = None
        if columns:
            self._writer = make_writer(fmt, sys.stdout, columns)

    def write(self, items: Iterable[Record]) -> None:
        batch = list(items)
        if self._writer is None and batch:
            self._writer = make_writer(self._format, sys.stdout, _columns(batch))
        if self._writer is not None:
            self._writer.write(batch)

    def close(self) -> None:
        if self._writer is None:
            self._writer = make_writer(self._format, sys.stdout, ())
        self._writer.close()


def _write_result(result: Any, fmt: str, rows: _Rows) -> None:
    """Items (a list's, a page's) as rows; an object as one row (one JSON object with json).

    None (a `null` `data`) writes nothing.
    """
    if result is None:
        return
    content = getattr(result, "content", None)
    if isinstance(content, list) and hasattr(result, "total_pages"):
        result = content
    if isinstance(result, list):
        rows.write(result)
        rows.close()
    elif fmt == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False), flush=True)
    else:
        rows.write([result])
        rows.close()


def run_operation(args: argparse.Namespace, settings: Settings) -> int:
    """Run a generated command: call `cx.<resource>.<method>(...)` and write what it returns."""
    operation: Operation = args.operation
    arguments = _arguments(operation, args)
    settings = prompt_for_password(settings)
    with open_client(settings) as cx:
        resource = getattr(cx, operation.resource)
        rows = _Rows(args.format, getattr(args, "columns", None))
        if getattr(args, "all", False):
            for parameter in operation.parameters:
                if parameter.name == _PAGE_INDEX:
                    arguments.pop(parameter.python_name, None)
            # The page walker the generated resource has (the table names it).
            for page in getattr(resource, str(operation.page_walker))(**arguments):
                rows.write(page.content)
            rows.close()
        else:
            _write_result(getattr(resource, operation.method)(**arguments), args.format, rows)
    return EXIT_OK
