"""A generated command whose operation's `data` is a list: every item a row, in every format.

The grown spec's `listQueueAgents` (`data`: an inline array of `Agent`) is added to the spec
only; after generation it is `cloudcx call-queues list-queue-agents`, which calls the typed
`cx.call_queues.list_queue_agents(...)` (returning `list[Agent]`), takes `--columns` (the
item's fields), and writes table, csv, json (one array) and jsonl. The simulator serves it from
the spec's example; a foreign server whose `data` is not a list gets the CLI's error for an
answer it cannot understand, with no traceback.
"""

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
from tests.support.cli import Env, run_script
from tests.support.clients import serving
from tests.support.grown_spec import QUEUE_AGENTS, QUEUE_ID
from tests.support.scripted_server import Reply, scripted_server

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

COMMAND = ["call-queues", "list-queue-agents", "--queue-id", QUEUE_ID]


def _agents(env: Env, base_url: str, api_key: str, grown: Path, *args: str) -> tuple[int, str, str]:
    """Run `cloudcx call-queues list-queue-agents ARGS` with the grown package's resources."""
    environ = env.with_(
        CLOUDCX_BASE_URL=base_url, CLOUDCX_API_KEY=api_key, PYTHONPATH=os.pathsep.join([str(grown)])
    )
    got = run_script([*COMMAND, *args], environ)
    return got.returncode, got.stdout, got.stderr


def test_the_table_marks_the_operation_a_list_of_agents(table: Sequence[Operation]) -> None:
    (operation,) = [op for op in table if op.operation_id == "listQueueAgents"]
    assert (operation.data_model, operation.data_list, operation.paged) == ("Agent", True, False)
    assert operation.record_fields == ("id", "name", "available")


def test_a_list_command_takes_columns_but_not_all(table: Sequence[Operation]) -> None:
    parser = build_parser(table)
    args = parser.parse_args([*COMMAND, "--columns", "NAME,id"])
    assert args.columns == ("name", "id")
    with pytest.raises(SystemExit) as refused:
        parser.parse_args([*COMMAND, "--all"])
    assert refused.value.code == 2


def test_help_names_the_items_columns_and_no_walk(table: Sequence[Operation]) -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser(table).parse_args([*COMMAND, "--help"])
    text = out.getvalue()
    assert "List the agents of a call queue." in text
    assert "columns (API field names; snake_case works too):\n  id, name, available" in text
    assert "  cloudcx call-queues list-queue-agents --format csv --columns id,name" in text
    assert "--all" not in text


def test_every_format_writes_every_item(env: Env, grown_sim: Simulator, grown: Path) -> None:
    def agents(*args: str) -> str:
        status, out, err = _agents(env, grown_sim.base_url, grown_sim.api_key, grown, *args)
        assert status == 0, err
        return out

    assert json.loads(agents("--format", "json")) == QUEUE_AGENTS
    lines = agents("--format", "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == QUEUE_AGENTS
    rows = list(csv.reader(io.StringIO(agents("--format", "csv"))))
    assert rows == [
        ["id", "name", "available"],
        ["a-1", "Ada", "True"],
        ["a-2", 'Grace, "Amazing"', "False"],
    ]
    table = agents().splitlines()
    assert table[0].split() == ["id", "name", "available"]
    assert [line.split()[0] for line in table[1:]] == ["a-1", "a-2"]
    chosen = agents("--format", "csv", "--columns", "name,ID")
    assert list(csv.reader(io.StringIO(chosen))) == [
        ["name", "id"],
        ["Ada", "a-1"],
        ['Grace, "Amazing"', "a-2"],
    ]
    assert [request.path for request in grown_sim.requests if "agents" in request.path] == [
        f"/openapi/v2/call-queue/{QUEUE_ID}/agents"
    ] * 5


def test_an_unknown_column_is_a_usage_error_before_any_request(
    env: Env, grown_sim: Simulator, grown: Path
) -> None:
    status, out, err = _agents(
        env, grown_sim.base_url, grown_sim.api_key, grown, "--columns", "name,salary"
    )
    assert (status, out) == (2, "")
    assert "unknown column 'salary'; choose from id, name, available" in err
    assert not [request for request in grown_sim.requests if "agents" in request.path]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b'{"code":"0000","message":null,"data":{"id":"a-1","name":"Ada"}}', "data is not a list"),
        (b'{"code":"0000","message":null,"data":[{"id":"a-1"}]}', "data[0].name is missing"),
    ],
)
def test_a_data_that_is_not_a_list_of_agents_is_an_api_error_not_a_traceback(
    env: Env, grown: Path, body: bytes, reason: str
) -> None:
    server = scripted_server()
    server.reply = Reply(body=body)
    with serving(server) as base_url:
        status, out, err = _agents(env, base_url, "foreign-key-1", grown, "--format", "json")
    assert (status, out) == (1, "")
    assert reason in err
    assert "Traceback" not in err


def test_an_error_envelope_is_the_apis_error(env: Env, grown: Path) -> None:
    server = scripted_server()
    server.reply = Reply(body=b'{"code":"4031","message":"not in your tenant","data":null}')
    with serving(server) as base_url:
        status, out, err = _agents(env, base_url, "foreign-key-1", grown)
    assert (status, out) == (1, "")
    assert "not in your tenant" in err
