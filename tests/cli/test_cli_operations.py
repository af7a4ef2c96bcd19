"""Every operation of the spec is a command: one added to a copy of the spec is offered, typed
and documented from the spec, and runs through the typed client method."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path

import pytest

from cloudcx.cli._parser import build_parser
from cloudcx.testing import Simulator
from cloudcx_openapi.operations import Operation
from tests.support.cli import Env, api_key_env, run_script
from tests.support.grown_spec import QUEUE_ID, example_of

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]


def _parse(table: Sequence[Operation], argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            build_parser(table).parse_args(argv)
        except SystemExit as exc:
            return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_each_new_operation_is_a_command(table: Sequence[Operation]) -> None:
    status, out, _ = _parse(table, ["call-queues", "--help"])
    assert status == 0
    for command in ("list", "create-call-queue", "get-call-queue", "delete-call-queue"):
        assert command in out
    status, out, _ = _parse(table, ["users", "--help"])
    assert "list users, one page or all" in out  # the hand-written command stays


def test_help_comes_from_the_spec(table: Sequence[Operation]) -> None:
    status, out, _ = _parse(table, ["call-queues", "list", "--help"])
    assert status == 0
    assert "List call queues, one page at a time." in out
    assert "Only queues in this state." in out
    assert "{open,closed}" in out
    assert "--all" in out
    assert "cx.call_queues.list(...)" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["call-queues", "list", "--page-size", "abc"],
        ["call-queues", "list", "--page-size", "101"],
        ["call-queues", "list", "--state", "frozen"],
        ["call-queues", "get-call-queue"],
        ["call-queues", "create-call-queue", "--name", "x", "--priority", "high"],
        ["call-queues", "create-call-queue", "--priority", "1"],
    ],
)
def test_a_bad_flag_exits_2(table: Sequence[Operation], argv: list[str]) -> None:
    status, _, err = _parse(table, argv)
    assert status == 2
    assert "error:" in err


def test_typed_flags_are_parsed(table: Sequence[Operation]) -> None:
    args = build_parser(table).parse_args(
        [
            "call-queues",
            "create-call-queue",
            "--name",
            "Sales",
            "--priority",
            "4",
            "--no-record-calls",
        ]
    )
    assert (args.arg_name, args.arg_priority, args.arg_record_calls) == ("Sales", 4, False)


def _grown_env(env: Env, sim: Simulator, grown: Path) -> dict[str, str]:
    # The grown package first: its typed resources are what the command calls. It is found on
    # PYTHONPATH, so these runs need the executable in a child process (`run_script`).
    return {**api_key_env(env, sim), "PYTHONPATH": os.pathsep.join([str(grown)])}


def test_a_new_command_runs_end_to_end(env: Env, grown_sim: Simulator, grown: Path) -> None:
    environ = _grown_env(env, grown_sim, grown)
    got = run_script(
        ["call-queues", "get-call-queue", "--queue-id", QUEUE_ID, "--format", "json"], environ
    )
    assert got.returncode == 0, got.stderr
    example = example_of("/openapi/v2/call-queue/{queueId}", "get")
    assert isinstance(example, dict)
    assert json.loads(got.stdout) == example["data"]
    listed = run_script(["call-queues", "list", "--all", "--format", "jsonl"], environ)
    assert listed.returncode == 0, listed.stderr
    assert [json.loads(line)["id"] for line in listed.stdout.splitlines()] == [QUEUE_ID]
    deleted = run_script(["call-queues", "delete-call-queue", "--queue-id", QUEUE_ID], environ)
    assert (deleted.returncode, deleted.stdout) == (0, "")
    refused = run_script(["call-queues", "list"], {**environ, "CLOUDCX_API_KEY": "wrong"})
    assert refused.returncode == 3
    assert "wrong" not in refused.stderr
