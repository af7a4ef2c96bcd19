"""Default, per-client and per-call timeouts, against a simulator that answers late."""

from __future__ import annotations

import httpx
import pytest

from cloudcx import DEFAULT_TIMEOUT, APITimeoutError, AsyncCloudCX, CloudCX, ConfigurationError
from cloudcx.testing import Fault, Simulator
from tests.retries._support import credentials

LATE = 0.8


def test_default_timeouts_are_connect_5s_read_30s(sim: Simulator) -> None:
    assert httpx.Timeout(30.0, connect=5.0) == DEFAULT_TIMEOUT
    with CloudCX(**credentials(sim)) as cx:
        assert cx._http.timeout == httpx.Timeout(30.0, connect=5.0)


def test_client_timeout_applies_to_every_call(sim: Simulator) -> None:
    sim.inject(Fault.delay(LATE), route="users")
    with (
        CloudCX(**credentials(sim), timeout=0.2, max_retries=0) as cx,
        pytest.raises(APITimeoutError) as info,
    ):
        cx.users.list()
    assert info.value.method == "GET"


def test_call_timeout_overrides_the_clients(sim: Simulator) -> None:
    with CloudCX(**credentials(sim), max_retries=0) as cx:
        sim.inject(Fault.delay(LATE), route="users")
        with pytest.raises(APITimeoutError):
            cx.users.list(timeout=0.2)
        sim.inject(Fault.delay(0.3), route="users")
        assert cx.users.list(timeout=5.0).total_elements == 30


@pytest.mark.anyio
async def test_call_timeout_overrides_the_clients_async(sim: Simulator) -> None:
    async with AsyncCloudCX(**credentials(sim), max_retries=0) as cx:
        sim.inject(Fault.delay(LATE), route="users")
        with pytest.raises(APITimeoutError):
            await cx.users.list(timeout=httpx.Timeout(5.0, read=0.2))
        assert (await cx.users.list()).total_elements == 30


@pytest.mark.parametrize("timeout", [0, -1, "30", True])
def test_bad_timeouts_are_refused(sim: Simulator, timeout: object) -> None:
    with pytest.raises(ConfigurationError):
        CloudCX(**credentials(sim), timeout=timeout)  # type: ignore[arg-type]


def test_bad_call_timeout_is_refused(sim: Simulator) -> None:
    with CloudCX(**credentials(sim)) as cx, pytest.raises(ConfigurationError):
        cx.users.list(timeout="soon")  # type: ignore[arg-type]
    assert sim.api_requests == 0
