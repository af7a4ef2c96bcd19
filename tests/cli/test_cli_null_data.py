"""A generated command whose operation's `data` the spec lets be null writes nothing for null.

The grown spec's `findCallQueue` (`data`: `oneOf` a `CallQueue` or null) becomes
`cloudcx call-queues find-call-queue`, which calls the typed `cx.call_queues.find_call_queue`
(returning `CallQueue | None`). Against a foreign server answering `"data": null` it exits 0
with nothing written, in every format, and no traceback; a queue that is there is written as
usual. `get-call-queue`, whose `data` may not be null, still refuses a null `data`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.cli import Env, run_script
from tests.support.clients import serving
from tests.support.grown_spec import QUEUE_ID
from tests.support.scripted_server import Reply, scripted_server

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

NULL_DATA = b'{"code":"0000","message":null,"data":null}'
QUEUE = {"id": QUEUE_ID, "name": "Support", "priority": 3, "recordCalls": True}


def _run(env: Env, grown: Path, body: bytes, *command: str) -> tuple[int, str, str]:
    """Run `cloudcx call-queues COMMAND` against a foreign server answering `body`."""
    server = scripted_server()
    server.reply = Reply(body=body)
    with serving(server) as base_url:
        environ = env.with_(
            CLOUDCX_BASE_URL=base_url,
            CLOUDCX_API_KEY="foreign-key-1",
            PYTHONPATH=os.pathsep.join([str(grown)]),
        )
        got = run_script(["call-queues", *command], environ)
    return got.returncode, got.stdout, got.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "jsonl"])
def test_a_null_data_writes_nothing(env: Env, grown: Path, fmt: str) -> None:
    status, out, err = _run(
        env, grown, NULL_DATA, "find-call-queue", "--name", "nobody", "--format", fmt
    )
    assert (status, out.strip()) == (0, ""), err
    assert "Traceback" not in err


def test_a_queue_that_is_there_is_written(env: Env, grown: Path) -> None:
    body = json.dumps({"code": "0000", "message": None, "data": QUEUE}).encode()
    status, out, err = _run(env, grown, body, "find-call-queue", "--name", "s", "--format", "json")
    assert status == 0, err
    assert json.loads(out) == QUEUE


def test_a_null_data_where_the_spec_forbids_it_is_an_error(env: Env, grown: Path) -> None:
    status, out, err = _run(env, grown, NULL_DATA, "get-call-queue", "--queue-id", QUEUE_ID)
    assert (status, out) == (1, "")
    assert "data is not an object" in err
    assert "Traceback" not in err
