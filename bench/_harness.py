"""What every figure shares: the result record, interleaved timing and the simulator."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from cloudcx.testing import SimulatorProcess

__all__ = [
    "CPU",
    "Figure",
    "at_most",
    "client_kwargs",
    "interleaved",
    "interleaved_async",
    "paired_ratio",
    "password_grant",
    "raw_token",
    "simulator",
]


@dataclass
class Figure:
    """One line of the table: a measured value, its target and whether the target is met."""

    key: str
    title: str
    value: float
    unit: str
    target: str
    met: bool
    details: dict[str, Any] = field(default_factory=dict)


CPU = "cpu:"


def at_most(key: str, title: str, ratio: float, limit: float, details: dict[str, Any]) -> Figure:
    """A ratio figure whose target is an upper bound."""
    return Figure(key, title, ratio, "x", f"<= {limit:g}x", ratio <= limit, details)


def _schedule(names: list[str], rounds: int) -> Iterator[str]:
    """Each variant once per round, the order reversed every other round (no fixed first)."""
    for round_index in range(rounds):
        yield from (names if round_index % 2 == 0 else names[::-1])


def interleaved(
    variants: dict[str, Callable[[], object]], *, rounds: int, number: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Time each variant `number` times per round, alternating their order every round.

    Returns, per variant, the mean wall-clock seconds per call of each round, and under
    `CPU + name` the mean CPU seconds this process spent per call (the client's own work,
    without the server's time and less exposed to other load). Garbage collection is run
    before each timed block (and left enabled inside it: a real caller pays for it too).
    """
    names = list(variants)
    for _ in range(warmup):
        for name in names:
            for _ in range(number):
                variants[name]()
    samples: dict[str, list[float]] = {key: [] for name in names for key in (name, CPU + name)}
    for name in _schedule(names, rounds):
        call = variants[name]
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            call()
        samples[CPU + name].append((time.process_time() - start_cpu) / number)
        samples[name].append((time.perf_counter() - start) / number)
    return samples


async def interleaved_async(
    variants: dict[str, Callable[[], Awaitable[object]]],
    *,
    rounds: int,
    number: int,
    warmup: int = 1,
) -> dict[str, list[float]]:
    """`interleaved` for coroutine functions, awaited one after another."""
    names = list(variants)
    for _ in range(warmup):
        for name in names:
            for _ in range(number):
                await variants[name]()
    samples: dict[str, list[float]] = {key: [] for name in names for key in (name, CPU + name)}
    for name in _schedule(names, rounds):
        call = variants[name]
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        for _ in range(number):
            await call()
        samples[CPU + name].append((time.process_time() - start_cpu) / number)
        samples[name].append((time.perf_counter() - start) / number)
    return samples


def paired_ratio(samples: dict[str, list[float]], subject: str, baseline: str) -> float:
    """Median over rounds of subject/baseline, each round's pair measured back to back."""
    return statistics.median(
        s / b for s, b in zip(samples[subject], samples[baseline], strict=True)
    )


def ratio_spread(samples: dict[str, list[float]], subject: str, baseline: str) -> str:
    """The interquartile range of the per-round ratios, as printed beside a figure."""
    ratios = [s / b for s, b in zip(samples[subject], samples[baseline], strict=True)]
    if len(ratios) < 2:
        return f"{ratios[0]:.2f}-{ratios[0]:.2f}"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{low:.2f}-{high:.2f}"


@contextmanager
def simulator(**settings: Any) -> Iterator[SimulatorProcess]:
    """A simulator in its own process, stopped on exit."""
    with SimulatorProcess(**settings) as sim:
        yield sim


def client_kwargs(sim: SimulatorProcess) -> dict[str, Any]:
    """Password-grant settings for a client of `sim`."""
    return {
        "base_url": sim.base_url,
        "token_url": sim.token_url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
        "allow_insecure_http": True,
    }


def password_grant(sim: SimulatorProcess) -> httpx.Response:
    """The simulator's answer to a password-grant token request sent with plain httpx."""
    form = {
        "grant_type": "password",
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
    }
    response = httpx.post(sim.token_url, data=form)
    response.raise_for_status()
    return response


def raw_token(sim: SimulatorProcess) -> str:
    """An access token obtained with plain httpx, for the baselines."""
    token = password_grant(sim).json()["access_token"]
    assert isinstance(token, str)
    return token
