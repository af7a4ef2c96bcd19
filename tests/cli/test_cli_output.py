"""The table writer on its own: alignment by display width, and widths that only grow."""

from __future__ import annotations

import io
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
