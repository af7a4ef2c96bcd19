"""Figures 1 and 2: `users.list()` (25 and 100 users) vs httpx + `json.loads`, and the peers."""

from __future__ import annotations

import asyncio
import functools
import json
import statistics
from collections.abc import Callable
from typing import Any

import httpx

from cloudcx import AsyncCloudCX, CloudCX

from ._harness import (
    CPU,
    Figure,
    at_most,
    client_kwargs,
    interleaved,
    interleaved_async,
    paired_ratio,
    ratio_spread,
    raw_token,
    simulator,
)
from .peers import build_peers

__all__ = ["run", "sync_calls"]

TARGET = 1.00
PATH = "/openapi/v2/user/page"
SIZES = (25, 100)


def _figure(key: str, title: str, samples: dict[str, list[float]]) -> Figure:
    ratio = paired_ratio(samples, "client", "raw")
    return at_most(
        key,
        title,
        ratio,
        TARGET,
        {
            "spread": ratio_spread(samples, "client", "raw"),
            "client_us": statistics.median(samples["client"]) * 1e6,
            "raw_us": statistics.median(samples["raw"]) * 1e6,
            # The client process's own CPU per call: what the client adds, server time excluded.
            "client_cpu_us": statistics.median(samples[CPU + "client"]) * 1e6,
            "raw_cpu_us": statistics.median(samples[CPU + "raw"]) * 1e6,
            "cpu_ratio": paired_ratio(samples, CPU + "client", CPU + "raw"),
            "cpu_spread": ratio_spread(samples, CPU + "client", CPU + "raw"),
            "rounds": len(samples["raw"]),
        },
    )


def _peer_figures(size: int, samples: dict[str, list[float]], peers: list[str]) -> list[Figure]:
    """One line per peer: its ratio to raw httpx + json.loads, measured in the same rounds."""
    return [
        Figure(
            f"peer_{name}_{size}",
            f"  peer: {name}, {size} users, vs httpx.Client + json.loads",
            paired_ratio(samples, name, "raw"),
            "x",
            "",
            True,
            {
                "spread": ratio_spread(samples, name, "raw"),
                "cpu_ratio": paired_ratio(samples, CPU + name, CPU + "raw"),
                "cpu_spread": ratio_spread(samples, CPU + name, CPU + "raw"),
                "us": statistics.median(samples[name]) * 1e6,
            },
        )
        for name in peers
    ]


def sync_calls(
    raw: httpx.Client, cx: CloudCX, headers: dict[str, str], size: int
) -> tuple[Callable[[], object], Callable[[], object]]:
    """One page of `size` users: by raw httpx + `json.loads`, and by `cx.users.list()`."""
    params = {"pageIndex": 1, "pageSize": size}

    def raw_call() -> object:
        return json.loads(raw.get(PATH, params=params, headers=headers).content)

    def client_call() -> object:
        return cx.users.list(page_size=size)

    return raw_call, client_call


def _sync(
    sim_base: str, token: str, kwargs: dict[str, Any], rounds: int, number: int
) -> list[Figure]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    figures: list[Figure] = []
    with httpx.Client(base_url=sim_base) as raw, CloudCX(**kwargs) as cx:
        peers, missing = build_peers(sim_base, token, raw)
        for size in SIZES:
            raw_call, client_call = sync_calls(raw, cx, headers, size)
            variants: dict[str, Callable[[], object]] = {"raw": raw_call, "client": client_call}
            for name, peer in peers.items():
                variants[name] = functools.partial(peer, size)
            samples = interleaved(variants, rounds=rounds, number=number)
            figure = _figure(
                f"list_sync_{size}",
                f"cx.users.list(), {size} users, vs httpx.Client + json.loads",
                samples,
            )
            figure.details["peers_left_out"] = missing
            figures += [figure, *_peer_figures(size, samples, list(peers))]
    return figures


async def _async(
    sim_base: str, token: str, kwargs: dict[str, Any], rounds: int, number: int
) -> list[Figure]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    figures: list[Figure] = []
    async with httpx.AsyncClient(base_url=sim_base) as raw, AsyncCloudCX(**kwargs) as cx:
        for size in SIZES:
            params = {"pageIndex": 1, "pageSize": size}

            async def raw_call(params: dict[str, int] = params) -> object:
                return json.loads((await raw.get(PATH, params=params, headers=headers)).content)

            async def client_call(size: int = size) -> object:
                return await cx.users.list(page_size=size)

            samples = await interleaved_async(
                {"raw": raw_call, "client": client_call}, rounds=rounds, number=number
            )
            figures.append(
                _figure(
                    f"list_async_{size}",
                    f"AsyncCloudCX users.list(), {size} users, vs httpx.AsyncClient + json.loads",
                    samples,
                )
            )
    return figures


def run(quick: bool = False) -> list[Figure]:
    """Measure the figures and the peers against one simulator process."""
    rounds, number = (5, 20) if quick else (21, 30)
    with simulator(users=250) as sim:
        token = raw_token(sim)
        kwargs = client_kwargs(sim)
        sync = _sync(sim.base_url, token, kwargs, rounds, number)
        async_ = asyncio.run(_async(sim.base_url, token, kwargs, rounds, number))
    return [*sync, *async_]
