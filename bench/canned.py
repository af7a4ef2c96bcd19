"""Per-call CPU without sockets: `users.list()` vs raw httpx + `json.loads` on canned bytes.

Both sides run the whole httpx/httpcore/h11 stack; only the socket is replaced by an in-memory
stream that answers each request with bytes recorded once from the simulator. What is left is
the client's own CPU per call, free of the server's and the kernel's noise.

    python -m bench.canned [rounds] [calls-per-round] [--async] [--profile [CALLS]]

`--async` measures `AsyncCloudCX` against `httpx.AsyncClient` (one event loop, the same bytes).
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import pstats
import re
import statistics
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from unittest.mock import patch

import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from cloudcx import AsyncCloudCX, CloudCX

from ._harness import client_kwargs, password_grant, simulator
from .per_call import PATH, SIZES, sync_calls

_PAGE_SIZE = re.compile(rb"pageSize=(\d+)")


def _as_wire(response: httpx.Response) -> bytes:
    body = response.content
    head = (
        f"HTTP/1.1 200 OK\r\ncontent-type: {response.headers['content-type']}\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


class _Answers:
    """The recorded response for each request written: the token, or a page by its size."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self._answers = answers
        self._pending = b""

    def written(self, buffer: bytes) -> None:
        if buffer.startswith(b"POST"):
            self._pending = self._answers[b"token"]
            return
        found = _PAGE_SIZE.search(buffer)
        if found is not None:
            self._pending = self._answers[found.group(1)]

    def next_bytes(self, max_bytes: int) -> bytes:
        data, self._pending = self._pending[:max_bytes], self._pending[max_bytes:]
        return data


class _CannedStream(httpcore.NetworkStream):
    """Answers each request written to it with the recorded response for its page size."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self._answers = _Answers(answers)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._answers.written(buffer)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._answers.next_bytes(max_bytes)

    def close(self) -> None:
        return None

    def get_extra_info(self, info: str) -> Any:
        return False if info == "is_readable" else None


class _AsyncCannedStream(httpcore.AsyncNetworkStream):
    """The async twin of `_CannedStream`."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self._answers = _Answers(answers)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._answers.written(buffer)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._answers.next_bytes(max_bytes)

    async def aclose(self) -> None:
        return None

    def get_extra_info(self, info: str) -> Any:
        return False if info == "is_readable" else None


@contextmanager
def canned_network(answers: dict[bytes, bytes]) -> Iterator[None]:
    """Every new httpcore connection in this process, sync or async, talks to canned bytes."""

    def connect_tcp(*args: Any, **kwargs: Any) -> _CannedStream:
        return _CannedStream(answers)

    async def async_connect_tcp(*args: Any, **kwargs: Any) -> _AsyncCannedStream:
        return _AsyncCannedStream(answers)

    with (
        patch.object(httpcore.SyncBackend, "connect_tcp", connect_tcp),
        patch.object(AutoBackend, "connect_tcp", async_connect_tcp),
    ):
        yield


def _record() -> tuple[dict[bytes, bytes], dict[str, Any], str]:
    with simulator(users=250) as sim:
        kwargs = client_kwargs(sim)
        token_response = password_grant(sim)
        token = token_response.json()["access_token"]
        answers = {b"token": _as_wire(token_response)}
        headers = {"Authorization": f"Bearer {token}"}
        for size in SIZES:
            page = httpx.get(
                sim.base_url + PATH, params={"pageIndex": 1, "pageSize": size}, headers=headers
            )
            answers[str(size).encode()] = _as_wire(page)
    return answers, kwargs, token


def _cpu(call: Callable[[], object], number: int) -> float:
    start = time.process_time()
    for _ in range(number):
        call()
    return (time.process_time() - start) / number


async def _async_cpu(call: Callable[[], Awaitable[object]], number: int) -> float:
    start = time.process_time()
    for _ in range(number):
        await call()
    return (time.process_time() - start) / number


# Seconds of CPU per call of one side, over `number` calls (a round).
_Measure = Callable[[Any, int], float]


# Calls per block: the sides alternate block by block, so that a change in the machine's load
# within a round weighs on both alike.
_BLOCK = 20


def _compare(
    size: int, measure: _Measure, raw_call: object, client_call: object, rounds: int, number: int
) -> None:
    """Print the client's CPU ratio to raw (median and IQR over rounds)."""
    ratios, client_us, raw_us = [], [], []
    blocks = max(1, number // _BLOCK)
    for _ in range(rounds):
        c = r = 0.0
        for index in range(blocks):
            if index % 2:
                c += measure(client_call, _BLOCK)
                r += measure(raw_call, _BLOCK)
            else:
                r += measure(raw_call, _BLOCK)
                c += measure(client_call, _BLOCK)
        ratios.append(c / r)
        client_us.append(c / blocks * 1e6)
        raw_us.append(r / blocks * 1e6)
    low, _, high = statistics.quantiles(ratios, n=4)
    print(
        f"{size} users: CPU ratio {statistics.median(ratios):.3f}x "
        f"({low:.3f}-{high:.3f}); client {statistics.median(client_us):.1f} us, "
        f"raw {statistics.median(raw_us):.1f} us"
    )


def _run(sizes: Mapping[int, tuple[Any, Any]], measure: _Measure, rounds: int, number: int) -> None:
    for size, (raw_call, client_call) in sizes.items():
        measure(raw_call, 1), measure(client_call, 1)
        if rounds:
            _compare(size, measure, raw_call, client_call, rounds, number)
            continue
        profiler = cProfile.Profile()
        profiler.runcall(measure, client_call, number)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)


def _run_async(kwargs: dict[str, Any], headers: dict[str, str], rounds: int, number: int) -> None:
    loop = asyncio.new_event_loop()
    raw = httpx.AsyncClient(base_url=kwargs["base_url"])
    cx = AsyncCloudCX(**kwargs)

    def measure(call: Callable[[], Awaitable[object]], number: int) -> float:
        return loop.run_until_complete(_async_cpu(call, number))

    def calls(size: int) -> tuple[object, object]:
        params = {"pageIndex": 1, "pageSize": size}

        async def raw_call() -> object:
            return json.loads((await raw.get(PATH, params=params, headers=headers)).content)

        async def client_call() -> object:
            return await cx.users.list(page_size=size)

        return raw_call, client_call

    try:
        _run({size: calls(size) for size in SIZES}, measure, rounds, number)
    finally:
        loop.run_until_complete(raw.aclose())
        loop.run_until_complete(cx.close())
        loop.close()


def main(argv: list[str]) -> None:
    """Print the CPU ratio per size (median and IQR over rounds), or a profile."""
    numbers = [int(arg) for arg in argv if arg.isdigit()]
    rounds, number = [*numbers, 15, 200][:2]
    if "--profile" in argv:
        rounds, number = 0, numbers[0] if numbers else 2000
    answers, kwargs, token = _record()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with canned_network(answers):
        if "--async" in argv:
            _run_async(kwargs, headers, rounds, number)
            return
        with httpx.Client(base_url=kwargs["base_url"]) as raw, CloudCX(**kwargs) as cx:
            calls = {size: sync_calls(raw, cx, headers, size) for size in SIZES}
            _run(calls, _cpu, rounds, number)


if __name__ == "__main__":
    main(sys.argv[1:])
