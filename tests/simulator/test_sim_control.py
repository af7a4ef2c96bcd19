"""Counters, the request log, directory changes, hosts, life cycle, control endpoints, speed."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cloudcx.testing import RecordedRequest, Simulator
from tests.support.simulator_http import PageFetcher, TokenRequester, password_form


def test_counters_and_request_log(
    sim: Simulator, request_token: TokenRequester, get_page: PageFetcher
) -> None:
    assert (sim.token_requests, sim.api_requests, sim.requests) == (0, 0, [])
    request_token(sim)
    request_token(sim, password="wrong")
    get_page(sim, sim.api_key, pageIndex=2, keywords="si")
    get_page(sim, None)
    assert (sim.token_requests, sim.api_requests) == (2, 2)
    log = sim.requests
    assert [entry.status for entry in log] == [200, 400, 200, 401]
    token_request = log[0]
    assert isinstance(token_request, RecordedRequest)
    assert (token_request.method, token_request.path) == ("POST", "/oauth/token")
    assert token_request.form == password_form(sim)
    assert "authorization" not in token_request.headers
    page_request = log[2]
    assert page_request.query == {"pageIndex": ["2"], "keywords": ["si"]}
    assert page_request.headers["authorization"] == f"Bearer {sim.api_key}"
    assert page_request.form is None
    sim.reset_counters()
    assert (sim.token_requests, sim.api_requests, sim.requests) == (0, 0, [])


def test_unknown_paths_are_logged_but_not_counted(sim: Simulator, client: httpx.Client) -> None:
    client.get(sim.base_url + "/elsewhere")
    assert (sim.token_requests, sim.api_requests) == (0, 0)
    assert [(r.path, r.status) for r in sim.requests] == [("/elsewhere", 404)]


def test_add_and_remove_users_mid_walk(sim: Simulator, get_page: PageFetcher) -> None:
    def total() -> int:
        count: int = get_page(sim, sim.api_key).json()["data"]["totalElements"]
        return count

    first_page = get_page(sim, sim.api_key, pageSize=50).json()["data"]["content"]
    sim.add_users(5)
    assert total() == 65
    second_page = get_page(sim, sim.api_key, pageSize=50, pageIndex=2).json()["data"]
    assert second_page["numberOfElements"] == 15
    assert len({u["id"] for u in first_page + second_page["content"]}) == 65
    sim.remove_users(10)
    assert total() == 55
    sim.remove_users(1000)
    assert total() == 0
    assert sim.stats()["users"] == 0


def test_directory_is_deterministic(get_page: PageFetcher) -> None:
    pages = []
    for _ in range(2):
        with Simulator(users=120) as sim:
            sim.add_users(3)
            pages.append(
                [get_page(sim, sim.api_key, pageIndex=i, pageSize=100).json() for i in (1, 2)]
            )
    assert pages[0] == pages[1]
    with Simulator(users=10) as small:
        head = get_page(small, small.api_key).json()["data"]["content"]
    assert head == pages[0][0]["data"]["content"][:10]


def test_separate_token_server(
    request_token: TokenRequester, get_page: PageFetcher, client: httpx.Client
) -> None:
    with Simulator(users=3, separate_token_server=True) as sim:
        assert not sim.token_url.startswith(sim.base_url + "/")
        assert sim.token_url.endswith("/oauth/token")
        token = request_token(sim).json()["access_token"]
        assert get_page(sim, token).status_code == 200
        on_api_host = client.post(sim.base_url + "/oauth/token", data=password_form(sim))
        assert on_api_host.status_code == 404
        token_host = sim.token_url.removesuffix("/oauth/token")
        assert client.get(token_host + "/openapi/v2/user/page").status_code == 404
        assert sim.token_requests == 1


def test_latency_is_added_to_user_pages(sim: Simulator, get_page: PageFetcher) -> None:
    sim.set_latency(0.15)
    started = time.monotonic()
    assert get_page(sim, sim.api_key).status_code == 200
    assert time.monotonic() - started >= 0.15
    sim.set_latency(0)
    with pytest.raises(ValueError, match="seconds"):
        sim.set_latency(-1)


def test_explicit_start_and_stop() -> None:
    sim = Simulator(users=1)
    with pytest.raises(RuntimeError):
        _ = sim.base_url
    assert sim.start() is sim
    try:
        with pytest.raises(RuntimeError):
            sim.start()
        with httpx.Client(trust_env=False) as http:
            assert http.get(sim.base_url + "/nowhere").status_code == 404
    finally:
        sim.stop()
    sim.stop()
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(sim.base_url + "/nowhere")


def test_stop_closes_idle_keep_alive_connections(client: httpx.Client) -> None:
    with Simulator(users=1) as sim:
        assert client.get(sim.base_url + "/x").status_code == 404
    # The pooled connection was closed by the server; the client notices and fails cleanly.
    with pytest.raises(httpx.TransportError):
        client.get(sim.base_url + "/x")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="users"):
        Simulator(users=-1)
    with pytest.raises(ValueError, match="token_ttl"):
        Simulator(token_ttl=0)
    with pytest.raises(ValueError, match="rotate"):
        Simulator(rotate_refresh_tokens=True)


@pytest.mark.parametrize(
    ("method", "action", "payload", "check"),
    [
        ("POST", "users", {"add": 2}, lambda s: s["users"] == 62),
        ("POST", "latency", {"seconds": 0.01}, lambda s: s["latency"] == 0.01),
        ("POST", "faults", {"fault": {"kind": "reset"}, "route": "users", "count": 3},
         lambda s: s["pending_faults"] == 3),
        ("GET", "stats", None, lambda s: s["api_requests"] == 0),
    ],
)  # fmt: skip
def test_control_endpoints(
    sim: Simulator,
    client: httpx.Client,
    method: str,
    action: str,
    payload: dict[str, Any] | None,
    check: Callable[[dict[str, Any]], bool],
) -> None:
    response = client.request(method, f"{sim.base_url}/_simulator/{action}", json=payload)
    assert response.status_code == 200, response.text
    assert check(response.json())


def test_control_endpoint_errors(sim: Simulator, client: httpx.Client) -> None:
    base = sim.base_url + "/_simulator/"
    assert client.post(base + "explode").status_code == 404
    assert client.get(base + "reset").status_code == 405
    assert client.post(base + "users", json={"add": -1}).status_code == 400
    assert client.post(base + "faults", json={"fault": {"kind": "nope"}}).status_code == 400
    assert client.post(base + "latency", content=b"not json").status_code == 400
    assert (sim.api_requests, sim.requests) == (0, [])


def test_keep_alive_requests_are_fast(sim: Simulator, client: httpx.Client) -> None:
    # The one timing check: catches the ~40 ms Nagle/delayed-ACK stall per request.
    url = sim.base_url + "/openapi/v2/user/page"
    auth = {"Authorization": f"Bearer {sim.api_key}"}
    assert client.get(url, headers=auth).status_code == 200  # open the connection
    count = 200
    started = time.perf_counter()
    for _ in range(count):
        client.get(url, headers=auth, params={"pageSize": 25})
    elapsed = time.perf_counter() - started
    print(f"\n{count} keep-alive requests: {elapsed / count * 1000:.3f} ms per request")
    assert elapsed < 2.0
