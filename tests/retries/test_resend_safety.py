"""A gateway's 502/504 is retried only for a request that is safe to send twice.

The only POST the SDK sends today is the token request (safe: see `cloudcx._transport`), so these
tests send a raw POST through the client's own transport, as a generated POST operation would.
"""

from __future__ import annotations

import pytest

from cloudcx import AsyncCloudCX, CloudCX
from cloudcx.testing import Fault, Simulator
from tests.support.clients import credentials
from tests.support.clock import FakeClock

USERS_PATH = "/openapi/v2/user/page"


@pytest.mark.parametrize("status", [502, 504])
def test_a_post_is_not_resent_after_a_gateway_error(
    sim: Simulator, clock: FakeClock, status: int
) -> None:
    with CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        sim.reset_counters()
        sim.inject(Fault.status(status), route="users", count=1)
        response = cx.client.get_httpx_client().post(USERS_PATH, json={"loginCode": "new.agent"})
    assert response.status_code == status
    assert [(r.method, r.status) for r in sim.requests] == [("POST", status)]
    assert clock.sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize("status", [502, 504])
async def test_a_post_is_not_resent_after_a_gateway_error_async(
    sim: Simulator, clock: FakeClock, status: int
) -> None:
    async with AsyncCloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        sim.reset_counters()
        sim.inject(Fault.status(status), route="users", count=1)
        http = cx.client.get_async_httpx_client()
        response = await http.post(USERS_PATH, json={"loginCode": "new.agent"})
    assert response.status_code == status
    assert [(r.method, r.status) for r in sim.requests] == [("POST", status)]


@pytest.mark.parametrize("status", [408, 429, 503])
def test_a_post_is_resent_after_a_status_that_says_it_was_not_processed(
    sim: Simulator, clock: FakeClock, status: int
) -> None:
    with CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        sim.reset_counters()
        sim.inject(Fault.status(status), route="users", count=1)
        cx.client.get_httpx_client().post(USERS_PATH, json={"loginCode": "new.agent"})
    # The resend reaches the route, which answers a POST with 405: it was sent twice.
    assert [(r.method, r.status) for r in sim.requests] == [("POST", status), ("POST", 405)]


@pytest.mark.parametrize("status", [502, 504])
def test_a_get_is_still_resent_after_a_gateway_error(
    sim: Simulator, clock: FakeClock, status: int
) -> None:
    with CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        sim.inject(Fault.status(status), route="users", count=1)
        assert cx.users.list().total_elements == 30
    assert sim.api_requests == 2
