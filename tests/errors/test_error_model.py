"""The error hierarchy, and errors that do not come from a server's answer."""

from __future__ import annotations

import socket

import httpx
import pytest

import cloudcx
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
from cloudcx._response import describe_url
from cloudcx.testing import Fault, Simulator
from tests.support.clients import credentials
from tests.support.clock import FakeClock

API_ERRORS = [
    AuthenticationError,
    PermissionDeniedError,
    NotFoundError,
    RateLimitError,
    ServerError,
]


def test_every_exported_error_is_a_cloudcx_error() -> None:
    errors = [getattr(cloudcx, name) for name in cloudcx.__all__ if name.endswith("Error")]
    assert len(errors) == 13
    assert all(issubclass(error, CloudCXError) for error in errors)


def test_the_hierarchy_is_the_issues() -> None:
    assert all(issubclass(error, APIError) for error in API_ERRORS)
    assert issubclass(APITimeoutError, APIConnectionError)
    assert not issubclass(APIConnectionError, APIError)
    assert not issubclass(InvalidResponseError, APIError)


def test_api_error_describes_the_request_without_secrets() -> None:
    url = describe_url(
        httpx.URL("https://user:pw@cx.example.net/openapi/v2/user/page?pageIndex=1&token=abc")
    )
    assert url == "https://cx.example.net/openapi/v2/user/page?pageIndex=1&token=%2A%2A%2A"
    error = RateLimitError("slow down", retry_after=2.0, code="4290", method="GET", url=url)
    assert error.retry_after == 2.0
    assert error.status_code == 429
    assert str(error) == f"slow down | code=4290 | status=429 | request=GET {url}"


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_refused_connection_is_retried_then_raised() -> None:
    clock = FakeClock()
    base_url = f"http://127.0.0.1:{unused_port()}"
    with (
        CloudCX(base_url=base_url, api_key="k", retry_policy=clock.policy()) as cx,
        pytest.raises(APIConnectionError) as info,
    ):
        cx.users.list()
    assert type(info.value) is APIConnectionError
    assert "after 3 attempts" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_refused_connection_is_retried_then_raised_async() -> None:
    clock = FakeClock()
    base_url = f"http://127.0.0.1:{unused_port()}"
    async with AsyncCloudCX(base_url=base_url, api_key="k", retry_policy=clock.policy()) as cx:
        with pytest.raises(APIConnectionError):
            await cx.users.list()
    assert clock.sleeps == [0.5, 1.0]


def test_decode_errors_chain_nothing_that_holds_the_body() -> None:
    # A chained JSONDecodeError would keep the whole body (and any secret the server
    # echoed) in its `doc`; the error's own excerpt, masked, is what remains.
    with Simulator(users=3) as sim, CloudCX(**credentials(sim)) as cx:
        sim.inject(Fault.not_json(), route="users")
        with pytest.raises(InvalidResponseError) as info:
            cx.users.list()
    assert info.value.__cause__ is None
    assert info.value.__context__ is None
    assert info.value.body_excerpt
