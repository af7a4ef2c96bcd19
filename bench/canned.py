"""Per-call CPU without sockets: `users.list()` vs raw httpx + `json.loads` on canned bytes.

Both sides run the whole httpx/httpcore/h11 stack; only the socket is replaced by an in-memory
stream that answers each request with bytes recorded once from the simulator. What is left is
the client's own CPU per call, free of the server's and the kernel's noise.

    python -m bench.canned [rounds] [calls-per-round] [--async] [--profile [CALLS]]

`--async` measures `AsyncCloudCX` against `httpx.AsyncClient` (one event loop, the same bytes).
`make bench` runs it too (`run`: sync and async, fewer rounds), as figures without a target: the
targets are measured through the simulator (`per_call`), which these explain.
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
from dataclasses import dataclass
from typing import Any
from unittest.mock import patch

import httpcore
import httpx
from httpcore._backends.auto import AutoBackend

from cloudcx import AsyncCloudCX, CloudCX

from ._harness import Figure, client_kwargs, password_grant, simulator
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


# Seconds of CPU per call of one side, over `number` calls.
_Measure = Callable[[Any, int], float]
# Per page size: the raw call and the client's call.
_Calls = Mapping[int, tuple[Any, Any]]

# Calls per block: the sides alternate block by block, so that a change in the machine's load
# within a round weighs on both alike.
_BLOCK = 20


@dataclass(frozen=True)
class _Ratio:
    """The client's CPU per call over raw's: median and quartiles over rounds, and each side's."""

    median: float
    low: float
    high: float
    client_us: float
    raw_us: float

    def __str__(self) -> str:
        return (
            f"CPU ratio {self.median:.3f}x ({self.low:.3f}-{self.high:.3f}); "
            f"client {self.client_us:.1f} us, raw {self.raw_us:.1f} us"
        )


def _compare(
    measure: _Measure, raw_call: object, client_call: object, rounds: int, number: int
) -> _Ratio:
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
    return _Ratio(
        statistics.median(ratios),
        low,
        high,
        statistics.median(client_us),
        statistics.median(raw_us),
    )


@contextmanager
def _sync_sides(
    kwargs: dict[str, Any], headers: dict[str, str]
) -> Iterator[tuple[_Measure, _Calls]]:
    with httpx.Client(base_url=kwargs["base_url"]) as raw, CloudCX(**kwargs) as cx:
        yield _cpu, {size: sync_calls(raw, cx, headers, size) for size in SIZES}


@contextmanager
def _async_sides(
    kwargs: dict[str, Any], headers: dict[str, str]
) -> Iterator[tuple[_Measure, _Calls]]:
    """The async calls, each block of them run to completion on one event loop."""
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
        yield measure, {size: calls(size) for size in SIZES}
    finally:
        loop.run_until_complete(raw.aclose())
        loop.run_until_complete(cx.close())
        loop.close()


_SIDES = {"sync": _sync_sides, "async": _async_sides}


def _measured(flavours: list[str], rounds: int, number: int) -> Iterator[tuple[str, int, _Ratio]]:
    """(flavour, size, ratio) for each flavour and page size; `rounds` 0: print a profile."""
    answers, kwargs, token = _record()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with canned_network(answers):
        for flavour in flavours:
            with _SIDES[flavour](kwargs, headers) as (measure, calls):
                for size, (raw_call, client_call) in calls.items():
                    measure(raw_call, 1), measure(client_call, 1)
                    if rounds:
                        yield (
                            flavour,
                            size,
                            _compare(measure, raw_call, client_call, rounds, number),
                        )
                        continue
                    profiler = cProfile.Profile()
                    profiler.runcall(measure, client_call, number)
                    pstats.Stats(profiler).sort_stats("tottime").print_stats(35)


def run(quick: bool = False) -> list[Figure]:
    """The CPU ratios on canned bytes, sync and async, as figures without a target."""
    rounds, number = (5, 100) if quick else (11, 200)
    figures = []
    for flavour, size, ratio in _measured(["sync", "async"], rounds, number):
        client = "AsyncCloudCX " if flavour == "async" else "cx."
        baseline = "httpx.AsyncClient" if flavour == "async" else "httpx.Client"
        figures.append(
            Figure(
                f"canned_{flavour}_{size}",
                f"{client}users.list() CPU, {size} users, canned bytes, vs {baseline} + json.loads",
                ratio.median,
                "x",
                "",
                True,
                {
                    "spread": f"{ratio.low:.2f}-{ratio.high:.2f}",
                    "client_cpu_us": ratio.client_us,
                    "raw_cpu_us": ratio.raw_us,
                    "rounds": rounds,
                    "calls_per_round": number,
                },
            )
        )
    return figures


def main(argv: list[str]) -> None:
    """Print the CPU ratio per size (median and IQR over rounds), or a profile."""
    numbers = [int(arg) for arg in argv if arg.isdigit()]
    rounds, number = [*numbers, 15, 200][:2]
    if "--profile" in argv:
        rounds, number = 0, numbers[0] if numbers else 2000
    flavour = "async" if "--async" in argv else "sync"
    for _, size, ratio in _measured([flavour], rounds, number):
        print(f"{size} users: {ratio}")


if __name__ == "__main__":
    main(sys.argv[1:])
