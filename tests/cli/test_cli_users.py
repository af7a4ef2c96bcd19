"""`cloudcx users list`: every format, columns, pages, `--all` and keywords, parsed back."""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest

from cloudcx.testing import Fault, Simulator
from tests.support.cli import CLOUDCX, TIMEOUT, Env, api_key_env, read_until, run

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow

ALL_FIELDS = [
    "id",
    "loginCode",
    "firstName",
    "lastName",
    "email",
    "roles",
    "phoneNumber",
    "uniqueCode",
]


def test_json_is_one_array_of_every_field(env: Env, sim: Simulator) -> None:
    result = run(["users", "list", "--format", "json"], api_key_env(env, sim))
    assert result.returncode == 0, result.stderr
    users = json.loads(result.stdout)
    assert len(users) == 25
    assert list(users[0]) == ALL_FIELDS
    assert users[0]["loginCode"] == sim.username
    assert users[0]["roles"] == ["Admin", "Agents"]
    assert result.stderr == ""


def test_jsonl_is_one_object_per_line(env: Env, sim: Simulator) -> None:
    result = run(["users", "list", "--format", "jsonl", "--page-size", "10"], api_key_env(env, sim))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 10
    records = [json.loads(line) for line in lines]
    assert all(list(record) == ALL_FIELDS for record in records)
    assert len({record["id"] for record in records}) == 10


def test_csv_has_a_header_and_flat_cells(env: Env, sim: Simulator) -> None:
    result = run(["users", "list", "--format", "csv"], api_key_env(env, sim))
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 25
    assert list(rows[0]) == ALL_FIELDS
    assert rows[0]["roles"] == "Admin,Agents"
    assert rows[0]["phoneNumber"] == ""  # null becomes an empty cell


def test_columns_choose_and_order_the_fields(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    as_csv = run(["users", "list", "--format", "csv", "--columns", "email,login_code"], environ)
    assert as_csv.returncode == 0, as_csv.stderr
    header, first, *_ = as_csv.stdout.splitlines()
    assert header == "email,loginCode"
    assert first == f"frees1aa@gmail.com,{sim.username}"

    as_json = run(["users", "list", "--format", "json", "--columns", "ID,roles"], environ)
    assert [list(user) for user in json.loads(as_json.stdout)] == [["id", "roles"]] * 25

    table = run(["users", "list", "--columns", "loginCode"], environ)
    assert table.stdout.splitlines()[:2] == ["loginCode", sim.username]


def test_an_unknown_column_is_a_usage_error(env: Env, sim: Simulator) -> None:
    result = run(["users", "list", "--columns", "loginCode,salary"], api_key_env(env, sim))
    assert result.returncode == 2
    assert "unknown column 'salary'" in result.stderr
    assert result.stdout == ""


def test_all_walks_every_page_and_streams_each(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    result = run(["users", "list", "--all", "--page-size", "25", "--format", "jsonl"], environ)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert len(ids) == 60
    assert len(set(ids)) == 60
    pages = [r.query["pageIndex"] for r in sim.requests if r.path.endswith("/user/page")]
    assert pages == [["1"], ["2"], ["3"]]
    # Piped stderr: no progress indicator.
    assert result.stderr == ""

    as_json = run(["users", "list", "--all", "--format", "json"], environ)
    assert [user["id"] for user in json.loads(as_json.stdout)] == ids
    as_csv = run(["users", "list", "--all", "--format", "csv", "--columns", "id"], environ)
    assert as_csv.stdout.splitlines() == ["id", *ids]


def test_page_and_page_size_pick_one_page(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    everyone = run(["users", "list", "--all", "--format", "jsonl", "--columns", "id"], environ)
    ids = [json.loads(line)["id"] for line in everyone.stdout.splitlines()]
    second = run(
        ["users", "list", "--page", "2", "--page-size", "20", "--format", "csv", "--columns", "id"],
        environ,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[1:] == ids[20:40]


def test_keywords_filter_on_the_server(env: Env, sim: Simulator) -> None:
    result = run(
        ["users", "list", "--all", "--keywords", "si", "--format", "jsonl"], api_key_env(env, sim)
    )
    assert result.returncode == 0, result.stderr
    users = [json.loads(line) for line in result.stdout.splitlines()]
    assert 0 < len(users) < 60
    for user in users:
        haystack = " ".join([user["loginCode"], user["firstName"], user["lastName"], user["email"]])
        assert "si" in haystack.casefold()
    sent = {tuple(r.query["keywords"]) for r in sim.requests if r.path.endswith("/user/page")}
    assert sent == {("si",)}


def test_no_match_gives_empty_output_and_a_note(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    table = run(["users", "list", "--keywords", "no-such-user-anywhere"], environ)
    assert table.returncode == 0, table.stderr
    assert table.stdout == ""
    assert table.stderr == "no users found\n"
    as_json = run(
        ["users", "list", "--all", "--keywords", "nobody-at-all", "--format", "json"], environ
    )
    assert json.loads(as_json.stdout) == []


def test_piped_table_is_aligned_without_terminal_extras(env: Env, sim: Simulator) -> None:
    result = run(["users", "list", "--page-size", "5"], api_key_env(env, sim))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["loginCode", "firstName", "lastName", "email", "roles"]
    assert len(lines) == 6
    starts = [lines[0].index(name) for name in ("firstName", "lastName", "email", "roles")]
    for line in lines[1:]:
        for start in starts:
            assert line[start - 2 : start] == "  "
            assert line[start] != " "
    assert result.stderr == ""  # the page hint is for terminals only


def test_a_closed_pipe_ends_the_listing_quietly(env: Env) -> None:
    with Simulator(users=2000) as big:
        process = subprocess.Popen(
            [CLOUDCX, "users", "list", "--all", "--page-size", "100", "--format", "jsonl"],
            env=api_key_env(env, big),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()  # like `| head -1`
        _, stderr = process.communicate(timeout=TIMEOUT)
    assert json.loads(first)["loginCode"] == big.username
    assert process.returncode == 141
    assert stderr == b""


def test_all_writes_each_page_before_fetching_the_next(env: Env, sim: Simulator) -> None:
    # Each page takes a while; once page 1's rows are out, later pages are made to fail. Rows
    # buffered until the end would never be seen.
    sim.set_latency(0.3)
    process = subprocess.Popen(
        [CLOUDCX, "users", "list", "--all", "--format", "jsonl"],
        env=api_key_env(env, sim),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    start = read_until(process.stdout, b"\n")
    sim.inject(Fault.envelope_error("5000", "page unavailable", 200), route="users", count=10)
    rest, stderr = process.communicate(timeout=TIMEOUT)
    rows = (start + rest).decode().splitlines()
    assert process.returncode == 1
    assert b"page unavailable" in stderr
    assert len(rows) in (25, 50)
    assert json.loads(rows[0])["loginCode"] == sim.username


def test_a_page_past_the_last_says_so(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    table = run(["users", "list", "--page", "99"], environ)
    assert table.returncode == 0, table.stderr
    assert table.stdout == ""
    assert table.stderr == "page 99 is past the last page (3)\n"
    # On stderr in every format; stdout stays the (empty) data.
    as_json = run(
        ["users", "list", "--page", "5", "--page-size", "30", "--format", "json"], environ
    )
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == []
    assert as_json.stderr == "page 5 is past the last page (2)\n"
    # The last page itself is no mistake.
    last = run(["users", "list", "--page", "3", "--format", "jsonl"], environ)
    assert len(last.stdout.splitlines()) == 10
    assert last.stderr == ""
