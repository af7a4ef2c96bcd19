"""Figures 1 and 2: one `users.list()` call against plain httpx plus `json.loads`."""

from __future__ import annotations

import asyncio
import json
import statistics
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
    raw_token,
    simulator,
)

__all__ = ["run"]

TARGET = 1.10
PATH = "/openapi/v2/user/page"
PARAMS = {"pageIndex": 1, "pageSize": 25}


def _figure(key: str, title: str, samples: dict[str, list[float]]) -> Figure:
    ratio = paired_ratio(samples, "client", "raw")
    return at_most(
        key,
        title,
        ratio,
        TARGET,
        {
            "client_us": statistics.median(samples["client"]) * 1e6,
            "raw_us": statistics.median(samples["raw"]) * 1e6,
            # The client process's own CPU per call: what the client adds, server time excluded.
            "client_cpu_us": statistics.median(samples[CPU + "client"]) * 1e6,
            "raw_cpu_us": statistics.median(samples[CPU + "raw"]) * 1e6,
            "cpu_ratio": paired_ratio(samples, CPU + "client", CPU + "raw"),
            "rounds": len(samples["raw"]),
        },
    )


def _sync(sim_base: str, token: str, kwargs: dict[str, Any], rounds: int, number: int) -> Figure:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    with httpx.Client(base_url=sim_base) as raw, CloudCX(**kwargs) as cx:

        def raw_call() -> object:
            return json.loads(raw.get(PATH, params=PARAMS, headers=headers).content)

        def client_call() -> object:
            return cx.users.list()

        samples = interleaved(
            {"raw": raw_call, "client": client_call}, rounds=rounds, number=number
        )
    return _figure("list_sync", "cx.users.list(), 25 users, vs httpx.Client + json.loads", samples)


async def _async(
    sim_base: str, token: str, kwargs: dict[str, Any], rounds: int, number: int
) -> Figure:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    async with httpx.AsyncClient(base_url=sim_base) as raw, AsyncCloudCX(**kwargs) as cx:

        async def raw_call() -> object:
            return json.loads((await raw.get(PATH, params=PARAMS, headers=headers)).content)

        async def client_call() -> object:
            return await cx.users.list()

        samples = await interleaved_async(
            {"raw": raw_call, "client": client_call}, rounds=rounds, number=number
        )
    return _figure(
        "list_async", "AsyncCloudCX users.list() vs httpx.AsyncClient + json.loads", samples
    )


def run(quick: bool = False) -> list[Figure]:
    """Measure both figures against one simulator process."""
    rounds, number = (5, 50) if quick else (41, 60)
    with simulator(users=250) as sim:
        token = raw_token(sim)
        kwargs = client_kwargs(sim)
        sync = _sync(sim.base_url, token, kwargs, rounds, number)
        async_ = asyncio.run(_async(sim.base_url, token, kwargs, rounds, number))
    return [sync, async_]
