"""Figure 3: token requests for 64 threads and 64 tasks x 100 calls in one token lifetime.

One application with a sync part (64 threads on one `CloudCX`) and an async part (64 tasks on
one `AsyncCloudCX`, its event loop in its own thread), both released at the same moment by one
barrier, with no token anywhere. The async part does what a real application does to share a
credential: it opens its client with the sync client's token (`token=cx.get_token()`, public
API), and that `get_token` call joins the one token request the 64 threads' first calls are
already waiting for (single flight). The simulator counts the token requests.

The simulator also counts the API requests: 12,800, plus one for each GET the client resent
after a connection error. Under this load httpcore 1.0.9's pool can close a connection it has
already handed to a waiting request (encode/httpcore#1110): the request was served, but its
socket is closed under it (`ReadError`, EBADF) and the retry policy resends the idempotent GET,
as it should. The figure counts those resends from the `cloudcx` logger (each retry is logged
at INFO) and requires every extra request to be one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
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


class _Resends(logging.Handler):
    """Counts the requests the client's retry policy resent, from its INFO lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0
        self.reasons: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "; retrying in " in message:
            self.count += 1
            self.reasons.add(message.partition(": ")[2].partition(";")[0])


@contextlib.contextmanager
def _counting_resends() -> Iterator[_Resends]:
    logger = logging.getLogger("cloudcx")
    handler, level = _Resends(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)  # retries only: each attempt is logged at DEBUG
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def run(quick: bool = False) -> list[Figure]:
    """Count the simulator's token requests for the whole application, starting with none."""
    calls = 10 if quick else 100
    with simulator(users=10, token_ttl=TOKEN_TTL) as sim, _counting_resends() as resends:
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
            title=(
                f"token requests, {WORKERS} threads + {WORKERS} tasks x {calls} calls"
                f" ({api:,} API requests, {resends.count} of them resent)"
            ),
            value=float(tokens),
            unit="",
            target="exactly 1",
            met=tokens == 1 and api == expected_api + resends.count,
            details={
                "token_requests": tokens,
                "api_requests": api,
                "expected_api_requests": expected_api,
                "resent_requests": resends.count,
                "resent_after": sorted(resends.reasons),
                "seconds": seconds,
                "token_ttl_s": TOKEN_TTL,
            },
        )
    ]
