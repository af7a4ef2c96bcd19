"""The simulator serves every operation of the spec: one added to a copy of the spec is served
from its example, with its parameters validated, after generation only."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cloudcx.testing import Simulator
from tests.support.grown_spec import QUEUE_ID, example_of

# Slow: the module first generates a package from a grown spec.
# One worker runs every test of the "grown" group, so the grown package is generated once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

QUEUES = "/openapi/v2/call-queue"


@pytest.fixture(scope="module")
def served(grown: Path) -> Iterator[Simulator]:
    with Simulator(users=3, operations=str(grown / "cloudcx_openapi" / "operations.py")) as sim:
        yield sim


@pytest.fixture(scope="module")
def http(served: Simulator) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {served.api_key}"}
    with httpx.Client(base_url=served.base_url, headers=headers, trust_env=False, timeout=10) as c:
        yield c


def test_a_spec_only_operation_answers_with_its_example_marked(http: httpx.Client) -> None:
    response = http.get(f"{QUEUES}/{QUEUE_ID}")
    assert response.status_code == 200
    assert response.headers["x-cloudcx-simulator"] == "example"
    assert response.json() == example_of("/openapi/v2/call-queue/{queueId}", "get")
    deleted = http.delete(f"{QUEUES}/{QUEUE_ID}")
    assert deleted.status_code == 200
    assert deleted.json() == {"code": "0000", "message": None, "data": None}
    created = http.post(QUEUES, json={"name": "Sales", "priority": 2, "recordCalls": False})
    assert created.status_code == 200, created.text
    assert created.headers["x-cloudcx-simulator"] == "example"


def test_behaviour_is_kept_for_the_user_page(http: httpx.Client) -> None:
    response = http.get("/openapi/v2/user/page", params={"pageSize": 2})
    assert response.status_code == 200
    assert "x-cloudcx-simulator" not in response.headers
    assert response.json()["data"]["totalElements"] == 3


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "status", "code"),
    [
        ("GET", f"{QUEUES}/page", {"pageSize": "abc"}, None, 400, "4000"),
        ("GET", f"{QUEUES}/page", {"pageSize": "101"}, None, 422, "4220"),
        ("GET", f"{QUEUES}/page", {"state": "frozen"}, None, 422, "4220"),
        ("POST", QUEUES, {}, {"priority": 1}, 400, "4000"),
        # createCallQueue documents no 422: out of range is its documented 400.
        ("POST", QUEUES, {}, {"name": "x" * 41}, 400, "4000"),
        ("POST", QUEUES, {}, {"name": "Sales", "priority": "high"}, 400, "4000"),
        ("POST", QUEUES, {}, {"name": "Sales", "priority": 10}, 400, "4000"),
        ("POST", QUEUES, {}, {"name": "Sales", "recordCalls": 1}, 400, "4000"),
        ("POST", QUEUES, {}, [1], 400, "4000"),
    ],
)
def test_a_bad_parameter_gets_the_error_envelope(
    http: httpx.Client,
    method: str,
    path: str,
    params: dict[str, str],
    body: object,
    status: int,
    code: str,
) -> None:
    content = None if body is None else json.dumps(body).encode()
    response = http.request(method, path, params=params, content=content)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert response.json()["data"] is None
    assert "x-cloudcx-simulator" not in response.headers


def test_credentials_are_checked_as_for_the_user_page(served: Simulator) -> None:
    with httpx.Client(trust_env=False, timeout=10) as client:
        missing = client.get(f"{served.base_url}{QUEUES}/{QUEUE_ID}")
        wrong = client.get(
            f"{served.base_url}{QUEUES}/{QUEUE_ID}", headers={"Authorization": "Bearer nope"}
        )
    assert missing.status_code == wrong.status_code == 401
    assert missing.json()["code"] == "4010"
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]


def test_an_unknown_route_is_not_a_documented_404(http: httpx.Client) -> None:
    response = http.get(f"{QUEUES}/{QUEUE_ID}/members")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["x-cloudcx-simulator"] == "no-route"
    wrong_method = http.put(f"{QUEUES}/{QUEUE_ID}")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "GET, HEAD, DELETE"


def test_the_installed_table_does_not_serve_the_new_operations(
    sim: Simulator, client: httpx.Client
) -> None:
    # Without the grown table, the same request is no route: the table is what adds it.
    response = client.get(
        f"{sim.base_url}{QUEUES}/{QUEUE_ID}", headers={"Authorization": f"Bearer {sim.api_key}"}
    )
    assert response.headers["x-cloudcx-simulator"] == "no-route"
