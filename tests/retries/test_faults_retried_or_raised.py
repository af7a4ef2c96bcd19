"""Every fault knob of the simulator, against the real client over HTTP, sync and async.

A retriable fault injected up to `max_retries` times is retried to success; one more time and
it surfaces as its typed error; with `max_retries=0` it surfaces at once. A non-retriable fault
is sent exactly once (the simulator's counters say so) and raises its typed error.
"""

from __future__ import annotations

import email.utils
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from cloudcx import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    CloudCXError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from cloudcx.testing import Fault, Simulator
from tests.support.clients import SimFactory, credentials
from tests.support.clients import sync_client as password_client
from tests.support.clock import FakeClock

# The delay fault outlasts this read timeout; everything else answers in milliseconds.
SHORT_READ = httpx.Timeout(5.0, read=0.3)
DELAY = 0.9


@dataclass(frozen=True)
class Case:
    """A fault, the error it must end in, and what that error must carry."""

    name: str
    fault: Fault
    error: type[CloudCXError]
    exact: bool = True
    status: int | None = None
    code: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    client: dict[str, Any] = field(default_factory=dict)
    # The waits a retry takes at the default backoff (jitter pinned to its upper bound).
    waits: tuple[float, ...] = (0.5, 1.0)

    def __str__(self) -> str:
        return self.name


def _http_date(seconds_from_now: float) -> str:
    return email.utils.formatdate(time.time() + seconds_from_now, usegmt=True)


RETRIABLE = [
    Case("502", Fault.status(502), ServerError, status=502, code="5020"),
    Case("503", Fault.status(503), ServerError, status=503, code="5030"),
    Case("504", Fault.status(504), ServerError, status=504, code="5040"),
    Case("408", Fault.status(408), APIError, status=408, code="4080"),
    Case("429", Fault.status(429), RateLimitError, status=429, attributes={"retry_after": None}),
    Case(
        "429-retry-after-seconds",
        Fault.status(429, retry_after=3),
        RateLimitError,
        status=429,
        attributes={"retry_after": 3.0},
        waits=(3.0, 3.0),
    ),
    Case("html-502", Fault.html(502), ServerError, status=502),
    Case("reset", Fault.reset(), APIConnectionError),
    Case("read-timeout", Fault.delay(DELAY), APITimeoutError, client={"timeout": SHORT_READ}),
]

NOT_RETRIABLE = [
    Case("400", Fault.status(400), APIError, status=400, code="4000"),
    Case("401-api-key", Fault.status(401), AuthenticationError, status=401),
    Case("403", Fault.status(403), PermissionDeniedError, status=403, code="4030"),
    Case("404", Fault.status(404), NotFoundError, status=404, code="4040"),
    Case("422", Fault.status(422), APIError, status=422, code="4220"),
    Case("500", Fault.status(500), ServerError, status=500, code="5000"),
    Case(
        "envelope-200",
        Fault.envelope_error("5001", "internal error"),
        APIError,
        status=200,
        code="5001",
        attributes={"message": "internal error"},
    ),
    Case(
        "envelope-400",
        Fault.envelope_error("4001", "bad keywords", http_status=400),
        APIError,
        status=400,
        code="4001",
        attributes={"message": "bad keywords"},
    ),
    Case(
        "envelope-403",
        Fault.envelope_error("4031", "not yours", http_status=403),
        PermissionDeniedError,
        status=403,
        code="4031",
    ),
    Case("truncated", Fault.truncated(), InvalidResponseError, status=200),
    Case(
        "html-200",
        Fault.html(200),
        InvalidResponseError,
        status=200,
        attributes={"content_type": "text/html"},
    ),
    Case("not-json", Fault.not_json(), InvalidResponseError, status=200),
    Case(
        "missing-total-pages", Fault.missing_field("totalPages"), InvalidResponseError, status=200
    ),
    # Strict decoding only: by default a nullable field that is missing reads as null.
    Case(
        "missing-user-email",
        Fault.missing_field("content.0.email"),
        InvalidResponseError,
        status=200,
        client={"strict": True},
    ),
    Case(
        "wrong-type-total-pages", Fault.wrong_type("totalPages"), InvalidResponseError, status=200
    ),
    Case(
        "wrong-type-roles",
        Fault.wrong_type("content.0.roles", "Admin"),
        InvalidResponseError,
        status=200,
    ),
    Case("wrong-type-id", Fault.wrong_type("content.0.id", 42), InvalidResponseError, status=200),
]


def check_error(case: Case, exc: CloudCXError, sim: Simulator) -> None:
    """The error is of the case's type and carries its attributes, and no credential."""
    if case.exact:
        assert type(exc) is case.error, repr(exc)
    else:
        assert isinstance(exc, case.error), repr(exc)
    if case.status is not None:
        assert getattr(exc, "status_code", None) == case.status
    if case.code is not None:
        assert getattr(exc, "code", None) == case.code
    for name, value in case.attributes.items():
        assert getattr(exc, name) == value, name
    assert getattr(exc, "method", None) == "GET"
    assert "/openapi/v2/user/page" in (getattr(exc, "url", None) or "")
    assert sim.api_key not in str(exc)
    if isinstance(exc, InvalidResponseError):
        assert len(exc.body_excerpt.encode()) <= 200 * 3  # 200 bytes, leniently decoded


def sync_client(sim: Simulator, clock: FakeClock, case: Case, **extra: Any) -> CloudCX:
    return CloudCX(**credentials(sim), retry_policy=clock.policy(), **case.client, **extra)


def async_client(sim: Simulator, clock: FakeClock, case: Case, **extra: Any) -> AsyncCloudCX:
    return AsyncCloudCX(**credentials(sim), retry_policy=clock.policy(), **case.client, **extra)


@pytest.mark.parametrize("case", RETRIABLE, ids=str)
def test_retriable_fault_recovers_sync(sim: Simulator, clock: FakeClock, case: Case) -> None:
    sim.inject(case.fault, route="users", count=2)
    with sync_client(sim, clock, case) as cx:
        page = cx.users.list()
    assert page.total_elements == 30
    assert sim.api_requests == 3
    assert clock.sleeps == list(case.waits)


@pytest.mark.parametrize("case", RETRIABLE, ids=str)
def test_retriable_fault_exhausts_sync(sim: Simulator, clock: FakeClock, case: Case) -> None:
    sim.inject(case.fault, route="users", count=3)
    with sync_client(sim, clock, case) as cx, pytest.raises(case.error) as info:
        cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 3
    assert len(clock.sleeps) == 2


@pytest.mark.parametrize("case", RETRIABLE, ids=str)
def test_retriable_fault_surfaces_without_retries_sync(
    sim: Simulator, clock: FakeClock, case: Case
) -> None:
    sim.inject(case.fault, route="users", count=1)
    with sync_client(sim, clock, case, max_retries=0) as cx, pytest.raises(case.error) as info:
        cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 1
    assert clock.sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize("case", RETRIABLE, ids=str)
async def test_retriable_fault_recovers_async(sim: Simulator, clock: FakeClock, case: Case) -> None:
    sim.inject(case.fault, route="users", count=2)
    async with async_client(sim, clock, case) as cx:
        page = await cx.users.list()
    assert page.total_elements == 30
    assert sim.api_requests == 3
    assert clock.sleeps == list(case.waits)


@pytest.mark.anyio
@pytest.mark.parametrize("case", RETRIABLE, ids=str)
async def test_retriable_fault_exhausts_async(sim: Simulator, clock: FakeClock, case: Case) -> None:
    sim.inject(case.fault, route="users", count=3)
    async with async_client(sim, clock, case) as cx:
        with pytest.raises(case.error) as info:
            await cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 3


@pytest.mark.anyio
@pytest.mark.parametrize("case", RETRIABLE, ids=str)
async def test_retriable_fault_surfaces_without_retries_async(
    sim: Simulator, clock: FakeClock, case: Case
) -> None:
    sim.inject(case.fault, route="users", count=1)
    async with async_client(sim, clock, case, max_retries=0) as cx:
        with pytest.raises(case.error) as info:
            await cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("case", NOT_RETRIABLE, ids=str)
def test_non_retriable_fault_is_sent_once_sync(
    sim: Simulator, clock: FakeClock, case: Case
) -> None:
    sim.inject(case.fault, route="users", count=3)
    with sync_client(sim, clock, case) as cx, pytest.raises(case.error) as info:
        cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 1
    assert clock.sleeps == []


@pytest.mark.anyio
@pytest.mark.parametrize("case", NOT_RETRIABLE, ids=str)
async def test_non_retriable_fault_is_sent_once_async(
    sim: Simulator, clock: FakeClock, case: Case
) -> None:
    sim.inject(case.fault, route="users", count=3)
    async with async_client(sim, clock, case) as cx:
        with pytest.raises(case.error) as info:
            await cx.users.list()
    check_error(case, info.value, sim)
    assert sim.api_requests == 1
    assert clock.sleeps == []


def test_invalid_response_carries_a_masked_excerpt(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.html(200), route="users")
    with (
        CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx,
        pytest.raises(InvalidResponseError) as info,
    ):
        cx.users.list()
    error = info.value
    assert error.body_excerpt.startswith("<html>")
    assert len(error.body_excerpt) <= 200
    assert error.reason.startswith("the server answered with an HTML page")


def test_retry_after_as_http_date_is_honoured(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(429, retry_after=_http_date(30)), route="users", count=1)
    with CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        cx.users.list()
    assert sim.api_requests == 2
    [wait] = clock.sleeps
    assert 25.0 < wait <= 30.0


def test_retry_after_as_http_date_is_reported_when_exhausted(
    sim: Simulator, clock: FakeClock
) -> None:
    sim.inject(Fault.status(429, retry_after=_http_date(20)), route="users", count=1)
    with (
        CloudCX(**credentials(sim), retry_policy=clock.policy(), max_retries=0) as cx,
        pytest.raises(RateLimitError) as info,
    ):
        cx.users.list()
    assert info.value.retry_after is not None
    assert 15.0 < info.value.retry_after <= 20.0


def test_retry_after_beyond_the_cap_surfaces_at_once(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503, retry_after=61), route="users", count=1)
    with (
        CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx,
        pytest.raises(ServerError),
    ):
        cx.users.list()
    assert sim.api_requests == 1
    assert clock.sleeps == []


def test_retry_after_at_the_cap_is_waited_for(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503, retry_after=60), route="users", count=1)
    with CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx:
        cx.users.list()
    assert clock.sleeps == [60.0]


def test_backoff_is_capped(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503), route="users", count=6)
    policy = clock.policy(deadline=None)
    with CloudCX(**credentials(sim), retry_policy=policy, max_retries=6) as cx:
        cx.users.list()
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_overall_deadline_stops_the_retries(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503), route="users", count=10)
    policy = clock.policy(deadline=3.0)
    with (
        CloudCX(**credentials(sim), retry_policy=policy, max_retries=10) as cx,
        pytest.raises(ServerError),
    ):
        cx.users.list()
    # 0.5 + 1.0 fit in 3 s; the next wait (2.0) would end past the deadline.
    assert clock.sleeps == [0.5, 1.0]
    assert sim.api_requests == 3
    sim.clear_faults()


def test_deadline_caps_each_attempts_timeout(sim: Simulator) -> None:
    sim.inject(Fault.delay(DELAY), route="users", count=1)
    policy = FakeClock().policy(deadline=0.3)
    with CloudCX(**credentials(sim), retry_policy=policy) as cx, pytest.raises(APITimeoutError):
        cx.users.list()  # the 30 s default read timeout is cut to the 0.3 s deadline
    assert sim.api_requests == 1


def test_token_request_faults_are_retried(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503), route="token", count=2)
    with CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx:
        page = cx.users.list()
    assert page.total_elements == 30
    assert sim.token_requests == 3
    assert sim.api_requests == 1
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    "fault",
    [Fault.reset(), Fault.status(429, retry_after=1), Fault.status(502), Fault.status(504)],
    ids=["reset", "429", "502", "504"],
)
def test_token_post_is_resent_after_a_transient_failure(
    sim: Simulator, clock: FakeClock, fault: Fault
) -> None:
    sim.inject(fault, route="token", count=1)
    with CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx:
        cx.users.list()
    assert sim.token_requests == 2
    assert len(clock.sleeps) == 1


@pytest.mark.anyio
async def test_token_request_faults_are_retried_async(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.reset(), route="token", count=1)
    sim.inject(Fault.status(503), route="token", count=1)
    async with AsyncCloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx:
        await cx.users.list()
    assert sim.token_requests == 3


def test_token_request_exhausted_surfaces_typed(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(503), route="token", count=3)
    with (
        CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx,
        pytest.raises(ServerError) as info,
    ):
        cx.users.list()
    assert info.value.status_code == 503
    assert sim.token_requests == 3
    assert sim.api_requests == 0


def test_refused_token_request_is_not_retried(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(400), route="token", count=3)
    with (
        CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx,
        pytest.raises(AuthenticationError) as info,
    ):
        cx.users.list()
    assert info.value.error == "invalid_request"
    assert sim.token_requests == 1
    sim.clear_faults()


def test_401_is_left_to_the_token_refresh(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(401), route="users", count=1)
    with CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx:
        cx.users.list()
    assert sim.api_requests == 2  # the refused request, then its resend with a new token
    assert sim.token_requests == 2
    assert clock.sleeps == []


def test_401_after_refresh_raises_authentication_error(sim: Simulator, clock: FakeClock) -> None:
    sim.inject(Fault.status(401), route="users", count=5)
    with (
        CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx,
        pytest.raises(AuthenticationError) as info,
    ):
        cx.users.list()
    assert info.value.status_code == 401
    assert sim.api_requests == 2
    assert clock.sleeps == []
    sim.clear_faults()


def test_token_requests_are_retried_by_the_transport(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.status(503, retry_after=0), route="token")
    with password_client(sim) as cx:
        assert cx.users.list().total_elements == 30
    assert sim.token_requests == 2
