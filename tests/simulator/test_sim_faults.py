"""Fault injection, observed the way a client sees it."""

from __future__ import annotations

import time

import httpx
import pytest

from cloudcx.testing import Fault, Simulator
from tests.support.simulator_http import PageFetcher, TokenRequester


def test_status_fault_on_users(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.status(503, retry_after=2), route="users", count=2)
    for _ in range(2):
        response = get_page(sim, sim.api_key)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert response.json() == {"code": "5030", "message": "Service Unavailable", "data": None}
    assert get_page(sim, sim.api_key).status_code == 200


def test_status_fault_with_http_date_and_401(sim: Simulator, get_page: PageFetcher) -> None:
    date = "Wed, 21 Oct 2015 07:28:00 GMT"
    sim.inject(Fault.status(429, retry_after=date), route="users")
    sim.inject(Fault.status(401), route="users")
    limited = get_page(sim, sim.api_key)
    assert (limited.status_code, limited.headers["retry-after"]) == (429, date)
    unauthorized = get_page(sim, sim.api_key)
    assert unauthorized.status_code == 401
    assert unauthorized.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_status_fault_on_token_is_an_oauth_error(
    sim: Simulator, request_token: TokenRequester
) -> None:
    sim.inject(Fault.status(503), route="token")
    sim.inject(Fault.status(500), route="token")
    unavailable = request_token(sim)
    assert unavailable.status_code == 503
    assert unavailable.json()["error"] == "temporarily_unavailable"
    assert request_token(sim).json()["error"] == "server_error"
    assert request_token(sim).status_code == 200


def test_faults_target_their_route_only(
    sim: Simulator, request_token: TokenRequester, get_page: PageFetcher
) -> None:
    sim.inject(Fault.status(502), route="users")
    assert request_token(sim).status_code == 200
    assert get_page(sim, sim.api_key).status_code == 502


def test_fault_for_any_route(
    sim: Simulator, request_token: TokenRequester, get_page: PageFetcher
) -> None:
    sim.inject(Fault.status(504), count=2)
    assert request_token(sim).status_code == 504
    assert get_page(sim, sim.api_key).status_code == 504
    assert get_page(sim, sim.api_key).status_code == 200


def test_reset_drops_the_connection(
    sim: Simulator, get_page: PageFetcher, request_token: TokenRequester
) -> None:
    sim.inject(Fault.reset(), route="users")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
        get_page(sim, sim.api_key)
    assert sim.requests[-1].status == 0
    assert get_page(sim, sim.api_key).status_code == 200
    sim.inject(Fault.reset(), route="token")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError, httpx.ConnectError)):
        request_token(sim)


def test_delay_trips_a_client_timeout(sim: Simulator, client: httpx.Client) -> None:
    sim.inject(Fault.delay(0.5), route="users")
    url = sim.base_url + "/openapi/v2/user/page"
    auth = {"Authorization": f"Bearer {sim.api_key}"}
    with pytest.raises(httpx.ReadTimeout):
        client.get(url, headers=auth, timeout=0.1)
    sim.inject(Fault.delay(0.2), route="users")
    started = time.monotonic()
    assert client.get(url, headers=auth).status_code == 200
    assert time.monotonic() - started >= 0.2


def test_truncated_body(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.truncated(), route="users")
    with pytest.raises(httpx.RemoteProtocolError):
        get_page(sim, sim.api_key)
    assert sim.requests[-1].status == 200
    assert get_page(sim, sim.api_key).status_code == 200


@pytest.mark.parametrize("status", [502, 503])
def test_html_error_page(sim: Simulator, get_page: PageFetcher, status: int) -> None:
    sim.inject(Fault.html() if status == 502 else Fault.html(status), route="users")
    response = get_page(sim, sim.api_key)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html"
    assert response.text.startswith("<html>")
    assert str(status) in response.text


def test_missing_field(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.missing_field(), route="users")
    sim.inject(Fault.missing_field("content.0.id"), route="users")
    sim.inject(Fault.missing_field("code"), route="users")
    first = get_page(sim, sim.api_key)
    assert first.status_code == 200
    assert "totalPages" not in first.json()["data"]
    assert "totalElements" in first.json()["data"]
    second = get_page(sim, sim.api_key).json()
    assert "id" not in second["data"]["content"][0]
    assert "id" in second["data"]["content"][1]
    assert "code" not in get_page(sim, sim.api_key).json()


def test_wrong_type(sim: Simulator, get_page: PageFetcher, request_token: TokenRequester) -> None:
    sim.inject(Fault.wrong_type(), route="users")
    sim.inject(Fault.wrong_type("content.0.roles", "Admin"), route="users")
    sim.inject(Fault.wrong_type("expires_in", "soon"), route="token")
    assert get_page(sim, sim.api_key).json()["data"]["totalPages"] == "many"
    assert get_page(sim, sim.api_key).json()["data"]["content"][0]["roles"] == "Admin"
    assert request_token(sim).json()["expires_in"] == "soon"


def test_field_faults_leave_error_responses_alone(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.missing_field(), route="users")
    response = get_page(sim, None)
    assert response.status_code == 401
    assert response.json()["code"] == "4010"
    assert "totalPages" in get_page(sim, sim.api_key).json()["data"]


@pytest.mark.parametrize("http_status", [200, 400])
def test_envelope_error(sim: Simulator, get_page: PageFetcher, http_status: int) -> None:
    sim.inject(Fault.envelope_error(http_status=http_status), route="users")
    response = get_page(sim, sim.api_key)
    assert response.status_code == http_status
    assert response.json() == {"code": "5001", "message": "internal error", "data": None}


def test_not_json(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.not_json(), route="users")
    response = get_page(sim, sim.api_key)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


def test_faults_queue_in_order_and_can_be_cleared(sim: Simulator, get_page: PageFetcher) -> None:
    sim.inject(Fault.status(500), route="users")
    sim.inject(Fault.status(502), route="users")
    assert get_page(sim, sim.api_key).status_code == 500
    assert sim.stats()["pending_faults"] == 1
    sim.clear_faults()
    assert get_page(sim, sim.api_key).status_code == 200


def test_bad_injections_are_refused(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="route"):
        sim.inject(Fault.reset(), route="nowhere")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="count"):
        sim.inject(Fault.reset(), count=0)
    with pytest.raises(ValueError, match="kind"):
        Fault("explode")  # type: ignore[arg-type]


def test_fault_round_trips_through_json() -> None:
    fault = Fault.wrong_type("content.0.roles", ["x", 1])
    assert Fault.from_json(fault.to_json()) == fault
