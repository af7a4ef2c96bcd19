"""Per-call CPU without sockets: `users.list()` vs raw httpx + `json.loads` on canned bytes.

Both sides run the whole httpx/httpcore/h11 stack; only the socket is replaced by an in-memory
stream that answers each request with bytes recorded once from the simulator. What is left is
the client's own CPU per call, free of the server's and the kernel's noise.

    python -m bench.canned [rounds] [calls-per-round] [--profile SIZE]
"""

from __future__ import annotations

import cProfile
import pstats
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from cloudcx import CloudCX

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


class _CannedStream(httpcore.NetworkStream):
    """Answers each request written to it with the recorded response for its page size."""

    def __init__(self, answers: dict[bytes, bytes]) -> None:
        self._answers = answers
        self._pending = b""

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if buffer.startswith(b"POST"):
            self._pending = self._answers[b"token"]
            return
        found = _PAGE_SIZE.search(buffer)
        if found is not None:
            self._pending = self._answers[found.group(1)]

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data, self._pending = self._pending[:max_bytes], self._pending[max_bytes:]
        return data

    def close(self) -> None:
        return None

    def get_extra_info(self, info: str) -> Any:
        return False if info == "is_readable" else None


@contextmanager
def canned_network(answers: dict[bytes, bytes]) -> Iterator[None]:
    """Every new httpcore connection in this process talks to a `_CannedStream`."""
    original = httpcore.SyncBackend.connect_tcp

    def connect_tcp(self: httpcore.SyncBackend, *args: Any, **kwargs: Any) -> _CannedStream:
        return _CannedStream(answers)

    httpcore.SyncBackend.connect_tcp = connect_tcp  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        httpcore.SyncBackend.connect_tcp = original  # type: ignore[method-assign]


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


def main(argv: list[str]) -> None:
    """Print the CPU ratio per size (median and IQR over rounds), or a profile."""
    profile = "--profile" in argv
    numbers = [int(arg) for arg in argv if arg.isdigit()]
    rounds, number = [*numbers, 15, 200][:2]
    if profile:
        rounds, number = 1, numbers[0] if numbers else 2000
    answers, kwargs, token = _record()
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with (
        canned_network(answers),
        httpx.Client(base_url=kwargs["base_url"]) as raw,
        CloudCX(**kwargs) as cx,
    ):
        for size in SIZES:
            raw_call, client_call = sync_calls(raw, cx, headers, size)
            raw_call(), client_call()
            if profile:
                profiler = cProfile.Profile()
                profiler.runcall(_cpu, client_call, number)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
                continue
            ratios, client_us, raw_us = [], [], []
            for _ in range(rounds):
                r = _cpu(raw_call, number)
                c = _cpu(client_call, number)
                ratios.append(c / r)
                client_us.append(c * 1e6)
                raw_us.append(r * 1e6)
            low, _, high = statistics.quantiles(ratios, n=4)
            print(
                f"{size} users: CPU ratio {statistics.median(ratios):.3f}x "
                f"({low:.3f}-{high:.3f}); client {statistics.median(client_us):.1f} us, "
                f"raw {statistics.median(raw_us):.1f} us"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
