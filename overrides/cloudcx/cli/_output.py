"""Writing users (or any operation's records) as a table, JSON, JSON Lines or CSV, page by page.

Every writer takes pages as they arrive and writes (and flushes) each at once, so that
`cloudcx users list --all` streams. JSON is one array, opened before the first page and closed
after the last. The table's column widths are set by the first page and only ever grow: a later,
wider value widens its column from that row on, and the rows already written stay as they were.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TextIO

from .._exceptions import ConfigurationError
from ._visible import visible

__all__ = [
    "COLUMNS",
    "FORMATS",
    "TABLE_COLUMNS",
    "Record",
    "RowWriter",
    "column_list",
    "defuse_formula",
    "display_width",
    "make_writer",
    "parse_columns",
]

COLUMNS = (
    "id",
    "loginCode",
    "firstName",
    "lastName",
    "email",
    "roles",
    "phoneNumber",
    "uniqueCode",
)
"""Every field of a user, by the API's names, in the API's order."""

TABLE_COLUMNS = ("loginCode", "firstName", "lastName", "email", "roles")
"""The table's default columns: what fits a terminal. The other formats show every field."""

FORMATS = ("table", "json", "jsonl", "csv")

_GAP = "  "


def parse_columns(spec: str, known: Sequence[str] = COLUMNS) -> tuple[str, ...]:
    """Parse `--columns loginCode,email` against the `known` API field names.

    snake_case (`login_code`) and any case also work; each column is given its API name.
    """
    by_key = {name.replace("_", "").lower(): name for name in known}
    chosen: list[str] = []
    for part in spec.split(","):
        key = part.strip().replace("_", "").lower()
        if not key:
            continue
        if key not in by_key:
            raise ConfigurationError(
                f"unknown column {part.strip()!r}; choose from {', '.join(known)}"
            )
        chosen.append(by_key[key])
    if not chosen:
        raise ConfigurationError("--columns needs at least one column")
    return tuple(chosen)


def column_list(known: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    """The argparse `type` of a `--columns` flag over the `known` fields.

    A bad list is a usage error (exit 2, naming the known fields), before any request is made.
    """

    def columns(text: str) -> tuple[str, ...]:
        try:
            return parse_columns(text, known)
        except ConfigurationError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return columns


class Record(Protocol):
    """What the writers take: a user, or any model the API returns."""

    def to_dict(self) -> dict[str, Any]:
        """The record by the API's field names."""


def _record(item: Record, columns: Sequence[str]) -> dict[str, Any]:
    data = item.to_dict()
    return {name: data.get(name) for name in columns}


# OWASP's CSV-injection list: a cell starting with one of these opens as a formula in Excel,
# LibreOffice and Google Sheets. NUL too, as ASVS 5 (1.2.10) adds it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def defuse_formula(cell: str) -> str:
    """Prefix `cell` with `'` if a spreadsheet would read it as a formula (OWASP's guard).

    Phone numbers such as "+1-555-0100" get the quote too: it is also what keeps a spreadsheet
    from reading them as arithmetic (1 - 555 - 100) or as a number without its "+".
    """
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _cell(value: Any, *, roles_separator: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        # Nested objects (other operations' models): JSON keeps them readable and unambiguous.
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return roles_separator.join(str(item) for item in value)
    return str(value)


class RowWriter(Protocol):
    """Writes records (users, or any operation's items) page by page."""

    def write(self, items: Iterable[Record]) -> None:
        """Write one page of records and flush."""

    def close(self) -> None:
        """Finish the output (closing brackets); writes nothing else."""


class _JsonWriter:
    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out, self._columns, self._count = out, columns, 0

    def write(self, items: Iterable[Record]) -> None:
        for item in items:
            self._out.write("[\n  " if self._count == 0 else ",\n  ")
            self._out.write(json.dumps(_record(item, self._columns), ensure_ascii=False))
            self._count += 1
        self._out.flush()

    def close(self) -> None:
        self._out.write("\n]\n" if self._count else "[]\n")
        self._out.flush()


class _JsonLinesWriter:
    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out, self._columns = out, columns

    def write(self, items: Iterable[Record]) -> None:
        for item in items:
            self._out.write(json.dumps(_record(item, self._columns), ensure_ascii=False) + "\n")
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


class _CsvWriter:
    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out, self._columns = out, columns
        # Each row is formatted with "\r\n" in a buffer, then ended with the "\n" Unix tools
        # expect: Python 3.11's csv quotes a field holding a CR only if CR is in the line
        # terminator, and an unquoted CR splits the row for every reader.
        self._row = io.StringIO()
        self._csv = csv.writer(self._row, lineterminator="\r\n")
        self._write_row(columns)

    def _write_row(self, cells: Iterable[str]) -> None:
        self._row.seek(0)
        self._row.truncate()
        self._csv.writerow(cells)
        self._out.write(self._row.getvalue()[:-2] + "\n")

    def write(self, items: Iterable[Record]) -> None:
        for item in items:
            record = _record(item, self._columns)
            self._write_row(
                defuse_formula(_cell(record[name], roles_separator=",")) for name in self._columns
            )
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: wide (CJK) characters 2, combining marks 0."""
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1
        for char in text
    )


class _TableWriter:
    def __init__(self, out: TextIO, columns: Sequence[str]) -> None:
        self._out, self._columns = out, columns
        self._widths = [len(name) for name in columns]
        self._started = False

    def _line(self, cells: Sequence[str]) -> str:
        padded = (
            cell + " " * (width - display_width(cell))
            for cell, width in zip(cells, self._widths, strict=True)
        )
        return _GAP.join(padded).rstrip() + "\n"

    def write(self, items: Iterable[Record]) -> None:
        rows = [
            [
                visible(_cell(value, roles_separator=", "))
                for value in _record(item, self._columns).values()
            ]
            for item in items
        ]
        for row in rows:
            self._widths = [
                max(width, display_width(cell))
                for width, cell in zip(self._widths, row, strict=True)
            ]
        if not self._started and rows:
            self._out.write(self._line(self._columns))
            self._started = True
        self._out.writelines(self._line(row) for row in rows)
        self._out.flush()

    def close(self) -> None:
        self._out.flush()


def make_writer(fmt: str, out: TextIO, columns: Sequence[str]) -> RowWriter:
    """Return the writer for format `fmt` (one of `FORMATS`)."""
    writers: dict[str, Callable[[TextIO, Sequence[str]], RowWriter]] = {
        "table": _TableWriter,
        "json": _JsonWriter,
        "jsonl": _JsonLinesWriter,
        "csv": _CsvWriter,
    }
    return writers[fmt](out, columns)
