"""Single flight: many threads or tasks, one token request; a failure reaches every waiter."""

from __future__ import annotations

import asyncio
import socketserver
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from cloudcx import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    CloudCX,
    RetryPolicy,
    Token,
)
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, async_client, grant_kwargs, serving, sync_client

WORKERS = 64
JOIN_TIMEOUT = 60.0  # a hang guard, not a timing assertion


def _in_threads(count: int, work: object) -> list[object]:
    """Run `work()` in `count` threads released together; return each result or exception."""
    assert callable(work)
    barrier = threading.Barrier(count)

    def run() -> object:
        barrier.wait(timeout=JOIN_TIMEOUT)
        try:
            return work()
        except Exception as exc:
            return exc

    with ThreadPoolExecutor(max_workers=count) as pool:
        futures = [pool.submit(run) for _ in range(count)]
        return [future.result(timeout=JOIN_TIMEOUT) for future in futures]


def test_64_threads_without_a_token_make_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    # A slow token endpoint keeps every thread waiting on the one request in flight.
    sim.inject(Fault.delay(0.3), route="token")
    with sync_client(sim) as cx:
        results = _in_threads(WORKERS, lambda: cx.users.list(page_size=1).total_elements)
    assert results == [30] * WORKERS
    assert sim.token_requests == 1
    assert sim.api_requests == WORKERS


@pytest.mark.anyio
async def test_64_tasks_without_a_token_make_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")
    async with async_client(sim) as cx:
        pages = await asyncio.gather(*(cx.users.list(page_size=1) for _ in range(WORKERS)))
    assert [page.total_elements for page in pages] == [30] * WORKERS
    assert sim.token_requests == 1
    assert sim.api_requests == WORKERS


def test_64_threads_after_a_revocation_make_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        cx.users.list()
        sim.revoke_access_tokens()
        sim.reset_counters()
        sim.inject(Fault.delay(0.3), route="token")
        results = _in_threads(WORKERS, lambda: cx.users.list(page_size=1).total_elements)
    assert results == [30] * WORKERS
    assert sim.token_requests == 1


@pytest.mark.anyio
async def test_64_tasks_after_a_revocation_make_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        await cx.users.list()
        sim.revoke_access_tokens()
        sim.reset_counters()
        sim.inject(Fault.delay(0.3), route="token")
        await asyncio.gather(*(cx.users.list(page_size=1) for _ in range(WORKERS)))
    assert sim.token_requests == 1


def test_wrong_password_storm_makes_one_token_request(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")
    with CloudCX(**grant_kwargs(sim, password="wrong")) as cx:
        results = _in_threads(16, lambda: cx.users.list())
    assert sim.token_requests == 1
    assert sim.api_requests == 0
    assert all(isinstance(r, AuthenticationError) for r in results)
    errors = [r for r in results if isinstance(r, AuthenticationError)]
    assert {e.error for e in errors} == {"invalid_grant"}
    # Each waiter raises its own exception object.
    assert len({id(e) for e in errors}) == 16


@pytest.mark.anyio
async def test_wrong_password_storm_of_tasks_makes_one_token_request(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")
    async with async_client(sim, password="wrong") as cx:
        results = await asyncio.gather(
            *(cx.users.list() for _ in range(16)), return_exceptions=True
        )
    assert sim.token_requests == 1
    assert all(isinstance(r, AuthenticationError) and r.error == "invalid_grant" for r in results)


def test_a_new_call_after_a_failure_tries_again(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.status(401), route="token")  # the first token request is refused
    with sync_client(sim) as cx:
        with pytest.raises(AuthenticationError):
            cx.users.list()
        assert cx.users.list().total_elements == 30
    assert sim.token_requests == 2


def test_get_token_is_single_flight_too(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")
    with sync_client(sim) as cx:
        tokens = _in_threads(WORKERS, cx.get_token)
    assert all(isinstance(t, Token) for t in tokens)
    assert len({id(t) for t in tokens}) == 1
    assert sim.token_requests == 1


@pytest.mark.anyio
async def test_cancelled_token_request_lets_the_next_caller_fetch(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(1.0), route="token")
    async with async_client(sim) as cx:
        first = asyncio.ensure_future(cx.get_token())
        await asyncio.sleep(0.2)
        first.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        # The cancelled attempt is no failure to share: the next caller obtains a token.
        token = await cx.get_token()
        assert token.access_token
    assert sim.token_requests == 2


@pytest.mark.anyio
async def test_a_request_cancelled_mid_flight_leaves_no_lock_behind(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        await cx.users.list()
        sim.inject(Fault.delay(2.0), route="users")
        stuck = asyncio.ensure_future(cx.users.list())
        await asyncio.sleep(0.3)  # the auth flow is suspended at its `yield`
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        # A lock held across the yield would hang here; the timeout is only a hang guard.
        sim.revoke_access_tokens()
        page = await asyncio.wait_for(cx.users.list(), timeout=JOIN_TIMEOUT)
    assert page.total_elements == 30
    assert sim.token_requests == 2


@contextmanager
def _hanging_up_server() -> Iterator[tuple[str, list[int]]]:
    """A loopback server that reads a request, waits, and hangs up without answering."""
    accepted: list[int] = []

    class HangUp(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            accepted.append(1)
            self.request.recv(65536)
            time.sleep(0.3)  # long enough for every caller to be waiting

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), HangUp)
    server.daemon_threads = True
    with serving(server) as url:
        yield f"{url}/oauth/token", accepted


def test_a_connection_failure_reaches_every_waiter(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        _hanging_up_server() as (token_url, accepted),
        sync_client(sim, token_url=token_url, max_retries=0) as cx,
    ):
        results = _in_threads(16, lambda: cx.users.list())
    assert all(isinstance(r, APIConnectionError) for r in results)
    errors = [r for r in results if isinstance(r, APIConnectionError)]
    assert {e.url for e in errors} == {token_url}
    assert len(accepted) == 1
    assert sim.api_requests == 0


def test_a_caller_out_of_time_does_not_fail_a_waiter_with_time_left(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    # The first token request outlasts the hasty caller's deadline, not the patient one's.
    sim.inject(Fault.delay(1.0), route="token")
    with sync_client(sim) as cx:
        hasty = cx.with_options(retry_policy=RetryPolicy(deadline=0.3))
        holding = threading.Event()
        outcome: dict[str, object] = {}

        def hasty_call() -> None:
            holding.set()
            try:
                hasty.users.list(page_size=1)
            except Exception as exc:
                outcome["hasty"] = exc

        thread = threading.Thread(target=hasty_call)
        thread.start()
        assert holding.wait(JOIN_TIMEOUT)
        time.sleep(0.1)  # let the hasty caller take the token lock first
        page = cx.users.list(page_size=1)
        thread.join(JOIN_TIMEOUT)
    assert isinstance(outcome.get("hasty"), APITimeoutError)
    assert page.total_elements == 30
    assert sim.token_requests == 2


@pytest.mark.anyio
async def test_a_task_out_of_time_does_not_fail_a_task_with_time_left(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(1.0), route="token")
    async with async_client(sim) as cx:
        hasty = cx.with_options(retry_policy=RetryPolicy(deadline=0.3))
        first = asyncio.create_task(hasty.users.list(page_size=1))
        await asyncio.sleep(0.1)  # the hasty task takes the token lock first
        page = await cx.users.list(page_size=1)
        with pytest.raises(APITimeoutError):
            await first
    assert page.total_elements == 30
    assert sim.token_requests == 2
