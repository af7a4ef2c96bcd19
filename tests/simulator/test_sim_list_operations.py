"""The simulator serves an operation whose `data` is a list from the spec, as any other.

With the grown table, `GET /openapi/v2/call-queue/{queueId}/agents` (`listQueueAgents`) answers
with the spec's example, a list, to a caller with credentials, as for every operation. A list
operation whose spec gives no example answers with the smallest valid list envelope, `data: []`,
which the typed method decodes (a `null` `data` would be refused as not a list).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cloudcx.testing import Simulator
from cloudcx.testing._http import Request
from cloudcx.testing._spec_routes import example_endpoint, load_operations
from cloudcx_openapi.operations import Operation
from tests.support.grown_spec import QUEUE_AGENTS, QUEUE_ID

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

AGENTS = f"/openapi/v2/call-queue/{QUEUE_ID}/agents"


@pytest.fixture(scope="module")
def served(grown: Path) -> Iterator[Simulator]:
    with Simulator(users=3, operations=str(grown / "cloudcx_openapi" / "operations.py")) as sim:
        yield sim


def test_a_list_operation_answers_with_its_example(served: Simulator) -> None:
    headers = {"Authorization": f"Bearer {served.api_key}"}
    with httpx.Client(base_url=served.base_url, headers=headers, trust_env=False, timeout=10) as c:
        response = c.get(AGENTS)
    assert response.status_code == 200
    assert response.headers["x-cloudcx-simulator"] == "example"
    assert response.json() == {"code": "0000", "message": None, "data": QUEUE_AGENTS}
    unauthorized = httpx.get(served.base_url + AGENTS, trust_env=False, timeout=10)
    assert unauthorized.status_code == 401


def test_a_list_operation_without_an_example_answers_an_empty_list(grown: Path) -> None:
    table = load_operations(str(grown / "cloudcx_openapi" / "operations.py"))
    (listing,) = [op for op in table if op.operation_id == "listQueueAgents"]
    (single,) = [op for op in table if op.operation_id == "getCallQueue"]
    request = Request("GET", AGENTS, {}, {}, b"", None)
    expected: list[tuple[Operation, list[object] | None]] = [(listing, []), (single, None)]
    for operation, data in expected:
        bare = dataclasses.replace(operation, success_example=None)
        response = example_endpoint(bare, {"queueId": QUEUE_ID}, request)
        assert response.status == 200
        assert json.loads(response.body) == {"code": "0000", "message": None, "data": data}
