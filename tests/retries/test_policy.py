"""The retry policy's pure parts: `Retry-After` parsing, full-jitter backoff, validation."""

from __future__ import annotations

import email.utils
import math
from typing import Any

import httpx
import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError, RetryPolicy
from cloudcx._response import parse_retry_after
from cloudcx._transport import RETRY_STATUSES, RetryTransport
from tests.support.clock import FakeClock

NOW = 1_700_000_000.0


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("-3", 0.0),
        (email.utils.formatdate(NOW + 42, usegmt=True), 42.0),
        (email.utils.formatdate(NOW - 42, usegmt=True), 0.0),
    ],
)
def test_retry_after_is_read_as_seconds_or_a_date(header: str, seconds: float) -> None:
    assert parse_retry_after(header, now=NOW) == pytest.approx(seconds)


@pytest.mark.parametrize("header", [None, "", "soon", "nan", "inf", "1e400", "Wed, 99 Foo"])
def test_unusable_retry_after_is_ignored(header: str | None) -> None:
    assert parse_retry_after(header, now=NOW) is None


def test_backoff_is_full_jitter_under_a_doubling_capped_bound() -> None:
    bounds: list[float] = []

    def jitter(upper: float) -> float:
        bounds.append(upper)
        return upper / 2

    policy = RetryPolicy(jitter=jitter)
    waits = [policy.backoff(retry) for retry in range(7)]
    assert bounds == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert waits == [bound / 2 for bound in bounds]


@pytest.mark.parametrize("base_delay", [0.0, 0.5, 8.0])
def test_backoff_stays_capped_however_many_retries_came_before(base_delay: float) -> None:
    # With max_retries=10**6 and a server that answers 503 at once, retry 1024 comes well
    # within the deadline: 2.0**1024 raised OverflowError out of the client's call.
    policy = RetryPolicy(base_delay=base_delay, max_delay=8.0, jitter=lambda upper: upper)
    for retry in (1023, 1024, 10**6, 10**400):
        assert policy.backoff(retry) == min(8.0, base_delay * 2.0**1023)


def test_default_jitter_stays_within_its_bound() -> None:
    policy = RetryPolicy()
    waits = [policy.backoff(3) for _ in range(200)]
    assert all(0.0 <= wait <= 4.0 for wait in waits)
    assert len(set(waits)) > 1  # random, not fixed


def test_a_jitter_function_cannot_push_a_wait_out_of_bounds() -> None:
    assert RetryPolicy(jitter=lambda upper: upper * 10).backoff(0) == 0.5
    assert RetryPolicy(jitter=lambda upper: -1.0).backoff(0) == 0.0


def test_the_retried_statuses_are_the_issues() -> None:
    assert frozenset({408, 429, 502, 503, 504}) == RETRY_STATUSES


@pytest.mark.parametrize(
    "settings",
    [{"base_delay": -1}, {"max_delay": "8"}, {"max_retry_after": True}, {"deadline": 0}],
)
def test_policy_refuses_bad_settings(settings: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**settings)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("name", ["base_delay", "max_delay", "max_retry_after", "deadline"])
def test_policy_refuses_numbers_that_are_not_finite(name: str, value: float) -> None:
    # A NaN deadline used to shrink every timeout to 1 ms; infinity makes a wait endless.
    with pytest.raises(ConfigurationError, match=f"RetryPolicy.{name} must be a finite number"):
        RetryPolicy(**{name: value})  # type: ignore[arg-type]


@pytest.mark.parametrize("max_retries", [-1, 1.5, True])
def test_clients_refuse_bad_max_retries(max_retries: object) -> None:
    with pytest.raises(ConfigurationError):
        CloudCX(base_url="http://127.0.0.1:9", api_key="k", max_retries=max_retries)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        AsyncCloudCX(base_url="http://127.0.0.1:9", api_key="k", max_retries=max_retries)  # type: ignore[arg-type]


def test_a_broken_connection_is_resent_only_when_that_is_safe() -> None:
    # A unit test of the transport's one decision, on a mock network that always fails.
    sent: list[str] = []
    failure: type[httpx.TransportError] = httpx.ReadError

    def network(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        raise failure("broken", request=request)

    transport = RetryTransport(
        httpx.MockTransport(network),
        policy=FakeClock().policy(),
        resendable_urls=["http://cx.test/oauth/token"],
    )
    with httpx.Client(transport=transport) as http:
        for method, url, attempts in [
            ("POST", "http://cx.test/other", 1),  # may have been processed: not resent
            ("POST", "http://cx.test/oauth/token", 3),  # the token request: safe to resend
            ("GET", "http://cx.test/openapi/v2/user/page?pageIndex=2", 3),  # idempotent
        ]:
            sent.clear()
            with pytest.raises(httpx.ReadError):
                http.request(method, url)
            assert len(sent) == attempts, url
        failure = httpx.ConnectError  # nothing was sent: any method is resent
        sent.clear()
        with pytest.raises(httpx.ConnectError):
            http.post("http://cx.test/other")
        assert len(sent) == 3


_POLICY_CASES = {
    "deadline 10**400": {"deadline": 10**400},
    "base_delay 10**5000": {"base_delay": 10**5000},
    "max_delay -10**400": {"max_delay": -(10**400)},
}


@pytest.mark.parametrize("settings", _POLICY_CASES.values(), ids=_POLICY_CASES.keys())
def test_a_bad_retry_policy_names_its_field(settings: dict[str, Any]) -> None:
    (name,) = settings
    with pytest.raises(ConfigurationError, match=f"RetryPolicy.{name}"):
        RetryPolicy(**settings)
