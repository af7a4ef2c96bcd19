"""Which timed-out token request is shared with the callers waiting for it: a fact, not a guess.

A timeout of the endpoint's own making (the token request's `timeout`) reaches every waiter, as
any failure does; one that only says the holder's call deadline ran out is the holder's alone.
The holder's deadline runs on a fake clock here, so that what is left of it when the request
fails says nothing of the cause: a timeout of the request's own with 0.03 s of deadline left is
still shared, and a deadline-caused one with the whole deadline left on the clock is not.
"""

from __future__ import annotations

import asyncio
import socketserver
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from cloudcx import APITimeoutError, RetryPolicy
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, async_client, serving, sync_client
from tests.support.clock import FakeClock

JOIN_TIMEOUT = 60.0  # a hang guard, not a timing assertion
OWN_TIMEOUT = 0.5  # the token request's read timeout
HOLDER_DEADLINE = 10.0  # on the holder's fake clock
LEFT_WHEN_IT_FAILS = 0.03  # of the holder's deadline, on its clock, when its request times out


class _HolderClock(FakeClock):
    """The holder's fake clock, remembering where it started."""

    def __init__(self) -> None:
        super().__init__()
        self.start = self.now


@contextmanager
def _silent_token_server(clock: _HolderClock) -> Iterator[tuple[str, list[int]]]:
    """A token endpoint that reads each request and never answers.

    While the holder waits for the answer (bounded by its own read timeout, its deadline being
    far), the holder's clock is moved to just before its deadline: when the read times out,
    nearly nothing is left of the deadline, though the deadline had no part in it.
    """
    accepted: list[int] = []

    class Silent(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            accepted.append(1)
            self.request.recv(65536)
            time.sleep(OWN_TIMEOUT / 2)  # the holder is in its read by now
            clock.now = clock.start + HOLDER_DEADLINE - LEFT_WHEN_IT_FAILS
            time.sleep(OWN_TIMEOUT * 2)  # past the holder's read timeout

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Silent)
    server.daemon_threads = True
    with serving(server) as url:
        yield f"{url}/oauth/token", accepted


def _holder_policy(clock: FakeClock, deadline: float) -> RetryPolicy:
    return RetryPolicy(deadline=deadline, clock=clock)


def _hold(call: Callable[[], object]) -> Callable[[], object]:
    """Start `call` in a thread and let it take the token lock; the returned function joins it.

    Joining returns what the call raised, or None.
    """
    outcome: list[Exception] = []

    def run() -> None:
        try:
            call()
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.1)  # the holder takes the token lock first

    def joined() -> object:
        thread.join(JOIN_TIMEOUT)
        return outcome[0] if outcome else None

    return joined


def test_a_timeout_of_the_requests_own_reaches_the_waiter_with_little_deadline_left(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    clock = _HolderClock()
    options: dict[str, Any] = {"timeout": OWN_TIMEOUT, "max_retries": 0}
    with (
        _silent_token_server(clock) as (token_url, accepted),
        sync_client(sim, token_url=token_url, **options) as cx,
    ):
        holder = cx.with_options(**options, retry_policy=_holder_policy(clock, HOLDER_DEADLINE))
        joined = _hold(lambda: holder.users.list(page_size=1))
        with pytest.raises(APITimeoutError) as waited:
            cx.users.list(page_size=1)
        held = joined()
    assert isinstance(held, APITimeoutError)
    assert not held.deadline_passed
    assert not waited.value.deadline_passed
    # The waiter shared the holder's failure instead of sending a request of its own.
    assert len(accepted) == 1
    assert sim.api_requests == 0


@pytest.mark.anyio
async def test_a_task_waiting_shares_a_timeout_of_the_requests_own(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    clock = _HolderClock()
    options: dict[str, Any] = {"timeout": OWN_TIMEOUT, "max_retries": 0}
    with _silent_token_server(clock) as (token_url, accepted):
        async with async_client(sim, token_url=token_url, **options) as cx:
            holder = cx.with_options(**options, retry_policy=_holder_policy(clock, HOLDER_DEADLINE))
            first = asyncio.create_task(holder.users.list(page_size=1))
            await asyncio.sleep(0.1)  # the holder task takes the token lock first
            with pytest.raises(APITimeoutError) as waited:
                await cx.users.list(page_size=1)
            with pytest.raises(APITimeoutError) as held:
                await first
    assert not held.value.deadline_passed
    assert not waited.value.deadline_passed
    assert len(accepted) == 1
    assert sim.api_requests == 0


def test_a_deadline_caused_timeout_is_not_shared_whatever_the_clock_says(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(1.0), route="token")
    # The holder's clock stands still: its whole deadline is left when the deadline ends its wait.
    clock = FakeClock()
    with sync_client(sim, max_retries=0) as cx:
        holder = cx.with_options(retry_policy=_holder_policy(clock, OWN_TIMEOUT))
        joined = _hold(lambda: holder.users.list(page_size=1))
        page = cx.users.list(page_size=1)
        held = joined()
    assert isinstance(held, APITimeoutError)
    assert held.deadline_passed
    assert page.total_elements == 30
    assert sim.token_requests == 2


@pytest.mark.anyio
async def test_a_deadline_caused_timeout_of_a_task_is_not_shared(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(1.0), route="token")
    clock = FakeClock()
    async with async_client(sim, max_retries=0) as cx:
        holder = cx.with_options(retry_policy=_holder_policy(clock, OWN_TIMEOUT))
        first = asyncio.create_task(holder.users.list(page_size=1))
        await asyncio.sleep(0.1)  # the holder task takes the token lock first
        page = await cx.users.list(page_size=1)
        with pytest.raises(APITimeoutError) as held:
            await first
    assert held.value.deadline_passed
    assert page.total_elements == 30
    assert sim.token_requests == 2
