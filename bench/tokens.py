"""Figure 3: token requests for 64 threads and 64 tasks x 100 calls in one token lifetime.

One application with a sync part (64 threads on one `CloudCX`) and an async part (64 tasks on
one `AsyncCloudCX`, its event loop in its own thread), both released at the same moment by one
barrier, with no token anywhere. The async part does what a real application does to share a
credential: it opens its client with the sync client's token (`token=cx.get_token()`, public
API), and that `get_token` call joins the one token request the 64 threads' first calls are
already waiting for (single flight). The simulator counts the token requests.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from cloudcx import AsyncCloudCX, CloudCX

from ._harness import Figure, client_kwargs, simulator

__all__ = ["run"]

WORKERS = 64
TOKEN_TTL = 3599.0  # seconds: the whole run fits in one token's lifetime


def _thread_work(cx: CloudCX, barrier: threading.Barrier, calls: int) -> None:
    barrier.wait()  # every thread asks for its first page (and a token) at once
    for _ in range(calls):
        cx.users.list(page_size=1)


async def _async_part(
    cx: CloudCX, kwargs: dict[str, Any], barrier: threading.Barrier, calls: int
) -> None:
    await asyncio.to_thread(barrier.wait)  # released together with the threads
    async with contextlib.AsyncExitStack() as stack:

        async def open_client() -> AsyncCloudCX:
            token = await asyncio.to_thread(cx.get_token)
            return await stack.enter_async_context(AsyncCloudCX(**kwargs, token=token))

        client = asyncio.ensure_future(open_client())

        async def work() -> None:
            acx = await client  # every task starts now, and waits for the shared token
            for _ in range(calls):
                await acx.users.list(page_size=1)

        async with asyncio.TaskGroup() as group:
            for _ in range(WORKERS):
                group.create_task(work())


def _application(kwargs: dict[str, Any], calls: int) -> None:
    barrier = threading.Barrier(WORKERS + 1)
    errors: list[BaseException] = []

    def report(target: Callable[[], object]) -> None:
        try:
            target()
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)
            barrier.abort()  # no one waits forever for a party that failed before the start

    with CloudCX(**kwargs) as cx:
        parts: list[Callable[[], object]] = [partial(_thread_work, cx, barrier, calls)] * WORKERS
        parts.append(lambda: asyncio.run(_async_part(cx, kwargs, barrier, calls)))
        threads = [threading.Thread(target=report, args=(part,)) for part in parts]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


def run(quick: bool = False) -> list[Figure]:
    """Count the simulator's token requests for the whole application, starting with none."""
    calls = 10 if quick else 100
    with simulator(users=10, token_ttl=TOKEN_TTL) as sim:
        kwargs = client_kwargs(sim)
        sim.reset_counters()
        start = time.perf_counter()
        _application(kwargs, calls)
        seconds = time.perf_counter() - start
        tokens, api = sim.token_requests, sim.api_requests
    expected_api = 2 * WORKERS * calls
    return [
        Figure(
            key="token_requests",
            title=f"token requests, {WORKERS} threads + {WORKERS} tasks x {calls} calls",
            value=float(tokens),
            unit="",
            target="exactly 1",
            met=tokens == 1 and api == expected_api,
            details={
                "token_requests": tokens,
                "api_requests": api,
                "expected_api_requests": expected_api,
                "seconds": seconds,
                "token_ttl_s": TOKEN_TTL,
            },
        )
    ]
