"""Slow servers: a server that drips its headers or its body, of the API or of the token endpoint,
cannot keep a call past its per-attempt time or its call deadline.

The bounds asserted are the promise (each call ends by its deadline, plus a generous margin for
a loaded machine), never a speed; the measured time is printed for the report.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from cloudcx import APITimeoutError, AsyncCloudCX, CloudCX, RetryPolicy
from tests.support.hostile_server import (
    Connection,
    HostileServer,
    api_key_settings,
    assert_no_secret,
    hostile,
    password_settings,
    token_answer,
    user_page,
)

# Headers or body of the API, one byte every 50 ms: each read well inside any read timeout.
_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n"
    + b"X: "
    + (b"y" * 300)
)
_SLACK = 2.0  # a loaded CI machine's margin on top of the bound; catches only the unbounded


def _drip_head(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
        return
    connection.drip(_HEAD, 0.05)


def _drip_body(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
        return
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n"
    if connection.send(head):
        connection.drip(b" " * 400, 0.05)


def _drip_token(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        connection.drip(_HEAD, 0.05)
        return
    connection.respond_json(user_page())


def _timed(call: Callable[[], object]) -> tuple[float, APITimeoutError]:
    started = time.monotonic()
    with pytest.raises(APITimeoutError) as caught:
        call()
    return time.monotonic() - started, caught.value


@pytest.mark.parametrize("handler", [_drip_head, _drip_body], ids=["headers", "body"])
def test_a_dripping_api_is_bounded_by_the_attempts_timeout(
    handler: Callable[[str, Connection], None],
) -> None:
    with hostile(handler) as server, CloudCX(**api_key_settings(server, timeout=0.5)) as cx:
        elapsed, error = _timed(cx.users.list)
    print(f"\nslow API ({handler.__name__}), timeout=0.5 s: gave up after {elapsed:.2f} s")
    assert elapsed < 0.5 + _SLACK
    assert not error.deadline_passed  # the attempt's own bound, not the call deadline
    assert_no_secret(error)


@pytest.mark.parametrize("handler", [_drip_head, _drip_body], ids=["headers", "body"])
def test_a_dripping_api_is_bounded_by_the_call_deadline(
    handler: Callable[[str, Connection], None],
) -> None:
    # Per-read timeouts of 10 s and retries: only the call deadline stops the drip.
    settings = api_key_settings(
        server := HostileServer(handler),
        timeout=10.0,
        max_retries=5,
        retry_policy=RetryPolicy(deadline=0.8, base_delay=0.01),
    )
    try:
        with CloudCX(**settings) as cx:
            elapsed, error = _timed(cx.users.list)
    finally:
        server.close()
    print(f"\nslow API ({handler.__name__}), deadline=0.8 s: gave up after {elapsed:.2f} s")
    assert elapsed < 0.8 + _SLACK
    assert error.deadline_passed


@pytest.mark.parametrize("handler", [_drip_head, _drip_body], ids=["headers", "body"])
def test_a_dripping_api_is_bounded_through_the_callers_http_client(
    handler: Callable[[str, Connection], None],
) -> None:
    # The caller's own client, without any timeout: the attempt bound must still apply (it
    # dripped for 20 s, the bounds being enforced only in the library's own pools).
    with (
        hostile(handler) as server,
        httpx.Client(timeout=None) as own,  # noqa: S113 - no timeout of its own, on purpose
        CloudCX(**api_key_settings(server, timeout=0.5), http_client=own) as cx,
    ):
        elapsed, error = _timed(cx.users.list)
    print(f"\nslow API ({handler.__name__}) via http_client=: gave up after {elapsed:.2f} s")
    assert elapsed < 0.5 + _SLACK
    assert_no_secret(error)


@pytest.mark.anyio
async def test_a_dripping_api_is_bounded_through_the_callers_async_http_client() -> None:
    with hostile(_drip_body) as server:
        settings = api_key_settings(server, timeout=10.0, retry_policy=RetryPolicy(deadline=0.8))
        async with (
            httpx.AsyncClient(timeout=None) as own,  # noqa: S113 - no timeout, on purpose
            AsyncCloudCX(**settings, http_client=own) as cx,
        ):
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await cx.users.list()
            elapsed = time.monotonic() - started
    print(f"\nslow API async via http_client=, deadline=0.8 s: gave up after {elapsed:.2f} s")
    assert elapsed < 0.8 + _SLACK


@pytest.mark.anyio
@pytest.mark.parametrize("handler", [_drip_head, _drip_body], ids=["headers", "body"])
async def test_a_dripping_api_is_bounded_async(handler: Callable[[str, Connection], None]) -> None:
    with hostile(handler) as server:
        settings = api_key_settings(server, timeout=10.0, retry_policy=RetryPolicy(deadline=0.8))
        async with AsyncCloudCX(**settings) as cx:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await cx.users.list()
            elapsed = time.monotonic() - started
    print(f"\nslow API async ({handler.__name__}), deadline=0.8 s: gave up after {elapsed:.2f} s")
    assert elapsed < 0.8 + _SLACK


def test_a_dripping_token_endpoint_is_bounded_by_the_call_deadline() -> None:
    policy = RetryPolicy(deadline=0.8, base_delay=0.01)
    with (
        hostile(_drip_token) as server,
        CloudCX(**password_settings(server, timeout=10.0, retry_policy=policy)) as cx,
    ):
        elapsed, error = _timed(cx.users.list)
    print(f"\nslow token endpoint, deadline=0.8 s: gave up after {elapsed:.2f} s")
    assert elapsed < 0.8 + _SLACK
    assert error.deadline_passed
    assert_no_secret(error)


@pytest.mark.anyio
async def test_a_dripping_token_endpoint_is_bounded_async() -> None:
    policy = RetryPolicy(deadline=0.8, base_delay=0.01)
    with hostile(_drip_token) as server:
        async with AsyncCloudCX(
            **password_settings(server, timeout=10.0, retry_policy=policy)
        ) as cx:
            started = time.monotonic()
            with pytest.raises(APITimeoutError):
                await cx.get_token()
            elapsed = time.monotonic() - started
    assert elapsed < 0.8 + _SLACK


class _Recovering:
    """A token endpoint that drips until `recover` is set, then answers at once."""

    def __init__(self) -> None:
        self.recovered = threading.Event()

    def __call__(self, path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token") and not self.recovered.is_set():
            connection.drip(_HEAD, 0.05)
            return
        if path.startswith("/oauth/token"):
            token_answer(connection)
            return
        connection.respond_json(user_page())


def test_callers_waiting_on_a_stuck_token_request_wait_only_their_own_time() -> None:
    handler = _Recovering()
    policy = RetryPolicy(deadline=1.0)
    outcomes: dict[str, float] = {}
    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server, timeout=10.0, retry_policy=policy)) as cx,
    ):

        def call(name: str) -> None:
            started = time.monotonic()
            try:
                cx.users.list()
            except APITimeoutError:
                outcomes[name] = time.monotonic() - started

        threads = [threading.Thread(target=call, args=(f"t{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
            time.sleep(0.1)
        for thread in threads:
            thread.join(timeout=10)
        assert not any(thread.is_alive() for thread in threads)
        handler.recovered.set()
        # The endpoint recovered: the next call obtains a token and succeeds.
        assert cx.users.list().total_elements == 0
    print(f"\nwaiters on a stuck token request gave up after {sorted(outcomes.values())} s")
    assert len(outcomes) == 4
    assert max(outcomes.values()) < 1.0 + _SLACK


@pytest.mark.anyio
async def test_tasks_waiting_on_a_stuck_token_request_wait_only_their_own_time() -> None:
    handler = _Recovering()
    policy = RetryPolicy(deadline=1.0)
    with hostile(handler) as server:
        async with AsyncCloudCX(
            **password_settings(server, timeout=10.0, retry_policy=policy)
        ) as cx:

            async def call() -> float:
                started = time.monotonic()
                with pytest.raises(APITimeoutError):
                    await cx.users.list()
                return time.monotonic() - started

            waits = []
            tasks = []
            for _ in range(4):
                tasks.append(asyncio.ensure_future(call()))
                await asyncio.sleep(0.1)
            waits = await asyncio.wait_for(asyncio.gather(*tasks), 10)
            handler.recovered.set()
            assert (await cx.users.list()).total_elements == 0
    assert max(waits) < 1.0 + _SLACK
