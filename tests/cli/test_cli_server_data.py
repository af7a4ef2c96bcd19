"""Hostile values in the server's data, end to end: a foreign server with a crafted user.

The simulator's directory is fixed, so the user is added to the foreign test server's.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import unicodedata
import uuid
from collections.abc import Iterator

import pytest

from tests.support.cli import CLOUDCX, TIMEOUT, Env
from tests.support.foreign_server import ForeignServer, foreign_server

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow

CLEAR_SCREEN = "\x1b[2J"
FORMULA = '=HYPERLINK("http://evil.example/","open")'
PHONE = "+1-555-0100"


@pytest.fixture
def server() -> Iterator[ForeignServer]:
    with foreign_server() as foreign:
        foreign.state.users.insert(
            0,
            {
                "id": str(uuid.UUID(int=999)),
                "loginCode": "mallory",
                "roles": ["Agents"],
                "firstName": f"Mallory{CLEAR_SCREEN}\x1b]0;pwned\x07",
                "lastName": FORMULA,
                "email": "mallory@example.net",
                "phoneNumber": PHONE,
                "uniqueCode": None,
            },
        )
        yield foreign


def _run(env: Env, server: ForeignServer, *args: str) -> subprocess.CompletedProcess[bytes]:
    # Bytes, not text: universal newlines would turn a CR inside a cell into a line break.
    environ = env.with_(CLOUDCX_BASE_URL=server.base_url, CLOUDCX_API_KEY=server.api_key)
    return subprocess.run(
        [CLOUDCX, "users", "list", "--page-size", "5", *args],
        env=environ,
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_the_table_escapes_control_characters(env: Env, server: ForeignServer) -> None:
    result = _run(env, server, "--columns", "loginCode,firstName,lastName")
    assert result.returncode == 0, result.stderr
    table = result.stdout.decode()
    assert {char for char in table if unicodedata.category(char) == "Cc"} == {"\n"}
    assert r"Mallory\x1b[2J\x1b]0;pwned\x07" in table.splitlines()[1]


def test_csv_defuses_formulas_and_json_stays_exact(env: Env, server: ForeignServer) -> None:
    as_csv = _run(env, server, "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout.decode(), newline="")))
    assert rows[0]["lastName"] == "'" + FORMULA
    assert rows[0]["phoneNumber"] == "'" + PHONE
    assert rows[0]["firstName"] == f"Mallory{CLEAR_SCREEN}\x1b]0;pwned\x07"  # data, not a screen

    for fmt in ("json", "jsonl"):
        result = _run(env, server, "--format", fmt)
        assert result.returncode == 0, result.stderr
        text = result.stdout.decode()
        first = json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0])
        assert first["firstName"] == f"Mallory{CLEAR_SCREEN}\x1b]0;pwned\x07"
        assert first["lastName"] == FORMULA
        assert first["phoneNumber"] == PHONE
