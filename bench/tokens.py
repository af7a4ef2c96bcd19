"""Figure 3: token requests for 64 threads and 64 tasks x 100 calls in one token lifetime."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

from cloudcx import AsyncCloudCX, CloudCX

from ._harness import Figure, client_kwargs, simulator

__all__ = ["run"]

WORKERS = 64


def _threads(kwargs: dict[str, Any], calls: int) -> None:
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []
    with CloudCX(**kwargs) as cx:

        def work() -> None:
            barrier.wait()  # every thread asks for its first page (and a token) at once
            try:
                for _ in range(calls):
                    cx.users.list(page_size=1)
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    if errors:
        raise errors[0]


async def _tasks(kwargs: dict[str, Any], calls: int) -> None:
    async with AsyncCloudCX(**kwargs) as cx:

        async def work() -> None:
            for _ in range(calls):
                await cx.users.list(page_size=1)

        async with asyncio.TaskGroup() as group:
            for _ in range(WORKERS):
                group.create_task(work())


def run(quick: bool = False) -> list[Figure]:
    """Count the simulator's token requests for each client, starting with no token."""
    calls = 10 if quick else 100
    with simulator(users=10) as sim:
        kwargs = client_kwargs(sim)
        sim.reset_counters()
        start = time.perf_counter()
        _threads(kwargs, calls)
        sync_seconds = time.perf_counter() - start
        sync_tokens, sync_api = sim.token_requests, sim.api_requests
        sim.reset_counters()
        start = time.perf_counter()
        asyncio.run(_tasks(kwargs, calls))
        async_seconds = time.perf_counter() - start
        async_tokens, async_api = sim.token_requests, sim.api_requests
    return [
        Figure(
            key="token_requests",
            title=f"token requests, {WORKERS} threads + {WORKERS} tasks x {calls} calls",
            value=float(max(sync_tokens, async_tokens)),
            unit="",
            target="exactly 1 (per client)",
            met=sync_tokens == 1 and async_tokens == 1,
            details={
                "sync_client_token_requests": sync_tokens,
                "async_client_token_requests": async_tokens,
                "sync_api_requests": sync_api,
                "async_api_requests": async_api,
                "sync_seconds": sync_seconds,
                "async_seconds": async_seconds,
            },
        )
    ]
