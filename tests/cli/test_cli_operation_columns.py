"""`--columns` on every list-like generated command, as on `users list`: the API's field names
(snake_case and any case too), in the order given, in every format; an unknown name is a usage
error naming the fields of the spec's schema, before any request is made."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from cloudcx.cli._parser import build_parser
from cloudcx.testing import Simulator
from cloudcx_openapi.operations import Operation
from tests.support.cli import Env, api_key_env, run, run_script
from tests.support.grown_spec import QUEUE_ID

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

QUEUE_FIELDS = "id, name, priority, recordCalls"
USER_FIELDS = "id, loginCode, firstName, lastName, email, roles, phoneNumber, uniqueCode"


def _queues(env: Env, sim: Simulator, grown: Path, *args: str) -> tuple[int, str, str]:
    """Run `cloudcx call-queues list ARGS` with the grown package's typed resources."""
    environ = {**api_key_env(env, sim), "PYTHONPATH": os.pathsep.join([str(grown)])}
    got = run_script(["call-queues", "list", *args], environ)
    return got.returncode, got.stdout, got.stderr


def _queue_requests(sim: Simulator) -> list[str]:
    return [request.path for request in sim.requests if "call-queue" in request.path]


def test_only_list_like_commands_take_columns(table: Sequence[Operation]) -> None:
    parser = build_parser(table)
    listing = parser.parse_args(["call-queues", "list", "--columns", "NAME,record_calls"])
    assert listing.columns == ("name", "recordCalls")
    for command in (["get-call-queue", "--queue-id", QUEUE_ID], ["create-call-queue"]):
        with pytest.raises(SystemExit) as refused:
            parser.parse_args(["call-queues", *command, "--columns", "name"])
        assert refused.value.code == 2


def test_columns_choose_and_order_a_new_resources_fields(
    env: Env, grown_sim: Simulator, grown: Path
) -> None:
    status, out, err = _queues(env, grown_sim, grown, "--format", "csv", "--columns", "name,id")
    assert status == 0, err
    assert list(csv.reader(io.StringIO(out))) == [["name", "id"], ["Support", QUEUE_ID]]

    status, out, err = _queues(
        env, grown_sim, grown, "--all", "--format", "jsonl", "--columns", "record_calls,ID"
    )
    assert status == 0, err
    assert [json.loads(line) for line in out.splitlines()] == [
        {"recordCalls": True, "id": QUEUE_ID}
    ]

    status, out, err = _queues(env, grown_sim, grown, "--columns", "Priority")
    assert status == 0, err
    assert out.splitlines() == ["priority", "3"]

    # Without --columns, every field the records have, as before.
    status, out, err = _queues(env, grown_sim, grown, "--format", "json")
    assert status == 0, err
    assert list(json.loads(out)[0]) == ["id", "name", "priority", "recordCalls"]


def test_an_unknown_column_of_a_new_resource_is_a_usage_error(
    env: Env, grown_sim: Simulator, grown: Path
) -> None:
    status, out, err = _queues(env, grown_sim, grown, "--columns", "name,salary")
    assert status == 2
    assert out == ""
    assert "usage: cloudcx call-queues list" in err
    assert f"unknown column 'salary'; choose from {QUEUE_FIELDS}" in err
    assert "Traceback" not in err
    assert _queue_requests(grown_sim) == []  # refused before any request

    status, _, err = _queues(env, grown_sim, grown, "--columns", " , ")
    assert status == 2
    assert "--columns needs at least one column" in err


def test_users_list_columns_have_the_same_semantics(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    chosen = run(["users", "list", "--format", "csv", "--columns", "Email,login_code"], environ)
    assert chosen.returncode == 0, chosen.stderr
    assert chosen.stdout.splitlines()[0] == "email,loginCode"

    assert len(sim.requests) == 1
    unknown = run(["users", "list", "--columns", "loginCode,salary"], environ)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert "usage: cloudcx users list" in unknown.stderr
    assert f"unknown column 'salary'; choose from {USER_FIELDS}" in unknown.stderr
    assert len(sim.requests) == 1  # refused before any request


def test_help_names_the_columns_of_the_spec(table: Sequence[Operation]) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser(table).parse_args(["call-queues", "list", "--help"])
    assert "--columns COLUMNS" in out.getvalue()
    assert f"columns (API field names; snake_case works too):\n  {QUEUE_FIELDS}" in out.getvalue()
