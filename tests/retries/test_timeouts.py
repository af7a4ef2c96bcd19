"""Default, per-client and per-call timeouts, against a simulator that answers late."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from cloudcx import (
    DEFAULT_TIMEOUT,
    APITimeoutError,
    AsyncCloudCX,
    CloudCX,
    ConfigurationError,
    RetryPolicy,
)
from cloudcx.testing import Fault, Simulator
from tests.support.clients import credentials
from tests.support.clock import FakeClock

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


@pytest.mark.parametrize(
    "timeout",
    [
        math.inf,
        1e300,
        math.nan,
        httpx.Timeout(-1.0),
        httpx.Timeout(math.inf),
        httpx.Timeout(5.0, read=0.0),
        httpx.Timeout(5.0, pool=1e300),
    ],
    ids=repr,
)
def test_timeouts_that_no_socket_takes_are_refused(sim: Simulator, timeout: object) -> None:
    # Before the check, these escaped as ValueError or OverflowError from the socket layer.
    with pytest.raises(ConfigurationError, match="timeout"):
        CloudCX(**credentials(sim), timeout=timeout)  # type: ignore[arg-type]
    with (
        CloudCX(**credentials(sim), retry_policy=RetryPolicy(deadline=None)) as cx,
        pytest.raises(ConfigurationError, match="timeout"),
    ):
        cx.users.list(timeout=timeout)  # type: ignore[arg-type]
    assert sim.api_requests == 0


@pytest.mark.anyio
@pytest.mark.parametrize("timeout", [1e300, httpx.Timeout(-1.0)], ids=repr)
async def test_timeouts_that_no_socket_takes_are_refused_async(
    sim: Simulator, timeout: float | httpx.Timeout
) -> None:
    async with AsyncCloudCX(**credentials(sim), retry_policy=RetryPolicy(deadline=None)) as cx:
        with pytest.raises(ConfigurationError, match="timeout"):
            await cx.users.list(timeout=timeout)
    assert sim.api_requests == 0


def test_a_timeout_of_none_phases_is_accepted(sim: Simulator) -> None:
    with CloudCX(**credentials(sim), timeout=httpx.Timeout(None, connect=5.0)) as cx:
        assert cx.users.list().total_elements == 30


def _resend_after_a_401(sim: Simulator, clock: FakeClock) -> tuple[dict[str, Any], list[object]]:
    """Arrange a 503 whose Retry-After uses up most of the deadline, then a 401, then slow
    answers: the resend after the token renewal belongs to the same call, so it gets only what
    is left of the call's deadline (one deadline across all attempts of a call)."""
    tokens: list[object] = []

    def on_token(token: object) -> None:
        tokens.append(token)
        if len(tokens) == 2:  # the renewal after the 401: from now on the API answers late
            sim.set_latency(0.3)

    settings = {
        **credentials(sim, "password"),
        "on_token": on_token,
        "retry_policy": clock.policy(deadline=10.0),
    }
    return settings, tokens


def test_the_resend_after_a_401_shares_the_calls_deadline(sim: Simulator, clock: FakeClock) -> None:
    settings, tokens = _resend_after_a_401(sim, clock)
    with CloudCX(**settings) as cx:
        cx.get_token()
        sim.revoke_access_tokens()
        sim.inject(Fault.status(503, retry_after="9.8"), route="users", count=1)
        # The 503's wait leaves 0.2 s of the call's deadline; the 401, the token renewal and
        # the resend share it, so the resend's 0.3 s answer ends the call with a timeout.
        with pytest.raises(APITimeoutError):
            cx.users.list()
    assert len(tokens) == 2
    assert clock.sleeps == [9.8]
    assert sim.api_requests == 3


@pytest.mark.anyio
async def test_the_resend_after_a_401_shares_the_calls_deadline_async(
    sim: Simulator, clock: FakeClock
) -> None:
    settings, tokens = _resend_after_a_401(sim, clock)
    async with AsyncCloudCX(**settings) as cx:
        await cx.get_token()
        sim.revoke_access_tokens()
        sim.inject(Fault.status(503, retry_after="9.8"), route="users", count=1)
        with pytest.raises(APITimeoutError):
            await cx.users.list()
    assert len(tokens) == 2
    assert sim.api_requests == 3


@pytest.mark.parametrize("deadline", [1e12, 1e300])
def test_a_far_deadline_leaves_unlimited_phases_unlimited(sim: Simulator, deadline: float) -> None:
    # The deadline used to be written into every phase without a limit, and a socket's timer
    # overflowed on it.
    with CloudCX(
        **credentials(sim),
        timeout=httpx.Timeout(None),
        retry_policy=RetryPolicy(deadline=deadline),
    ) as cx:
        assert cx.users.list().total_elements == 30
