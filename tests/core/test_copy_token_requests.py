"""A `with_options` copy sends the token requests its calls need with its own settings.

The copy shares the original's token: one token request at a time for them all, and the token
one of them obtains serves every other. A copy with `timeout=5, max_retries=5` that meets a
missing token obtains it with those settings, not the original's.
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from cloudcx import APITimeoutError, AsyncCloudCX, CloudCX, RetryPolicy, ServerError
from cloudcx.testing import Fault, Simulator
from tests.support.clients import SimFactory, async_client, sync_client

WORKERS = 64
JOIN_TIMEOUT = 60.0  # a hang guard, not a timing assertion
FLAKY_TOKEN_ANSWERS = 3  # 503s before the token endpoint answers, slower than the original waits
ORIGINAL: dict[str, Any] = {"timeout": 0.3, "max_retries": 0}
# Quick retries: the test checks that they happen, not how long they wait.
PATIENT: dict[str, Any] = {
    "timeout": 5.0,
    "max_retries": 5,
    "retry_policy": RetryPolicy(base_delay=0.01),
}


def _flaky_slow_token_endpoint(sim: Simulator) -> None:
    sim.inject(Fault.status(503), route="token", count=FLAKY_TOKEN_ANSWERS)
    sim.inject(Fault.delay(0.6), route="token")  # past the original's 0.3 s read timeout


def test_a_copy_obtains_the_shared_token_with_its_own_timeout_and_retries(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    with sync_client(sim, **ORIGINAL) as cx:
        _flaky_slow_token_endpoint(sim)
        patient = cx.with_options(**PATIENT)
        assert patient.users.list(page_size=1).total_elements == 30
        assert sim.token_requests == FLAKY_TOKEN_ANSWERS + 1
        # The original uses the token the copy obtained.
        assert cx.users.list(page_size=1).total_elements == 30
        assert cx.get_token() == patient.get_token()
        assert sim.token_requests == FLAKY_TOKEN_ANSWERS + 1


def test_the_original_obtains_it_with_its_own_settings(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim, **ORIGINAL) as cx:
        patient = cx.with_options(**PATIENT)
        sim.inject(Fault.status(503), route="token")
        with pytest.raises(ServerError):
            cx.users.list(page_size=1)  # no retry: the original's max_retries=0
        sim.inject(Fault.delay(0.6), route="token")
        with pytest.raises(APITimeoutError):
            cx.get_token()  # the original's 0.3 s read timeout
        assert patient.get_token().access_token
    assert sim.token_requests == 3


@pytest.mark.anyio
async def test_an_async_copy_obtains_the_shared_token_with_its_own_settings(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    async with async_client(sim, **ORIGINAL) as cx:
        _flaky_slow_token_endpoint(sim)
        patient = cx.with_options(**PATIENT)
        assert (await patient.users.list(page_size=1)).total_elements == 30
        assert (await cx.users.list(page_size=1)).total_elements == 30
        assert await cx.get_token() == await patient.get_token()
    assert sim.token_requests == FLAKY_TOKEN_ANSWERS + 1


def _copies(cx: CloudCX | AsyncCloudCX) -> list[CloudCX | AsyncCloudCX]:
    """The client and copies of it with other settings, a copy of a copy among them."""
    patient = cx.with_options(timeout=10.0, max_retries=3)
    return [cx, patient, patient.with_options(max_retries=1), cx.with_options(timeout=20.0)]


def test_64_threads_on_the_client_and_its_copies_make_one_token_request(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")  # every thread waits on the one request
    with sync_client(sim) as cx:
        clients = [c for c in _copies(cx) if isinstance(c, CloudCX)]
        barrier = threading.Barrier(WORKERS)

        def call(index: int) -> int:
            barrier.wait(timeout=JOIN_TIMEOUT)
            return clients[index % len(clients)].users.list(page_size=1).total_elements

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            futures = [pool.submit(call, index) for index in range(WORKERS)]
            results = [future.result(timeout=JOIN_TIMEOUT) for future in futures]
    assert results == [30] * WORKERS
    assert sim.token_requests == 1


@pytest.mark.anyio
async def test_64_tasks_on_the_client_and_its_copies_make_one_token_request(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    sim.inject(Fault.delay(0.3), route="token")
    async with async_client(sim) as cx:
        clients = [c for c in _copies(cx) if isinstance(c, AsyncCloudCX)]
        calls = [clients[i % len(clients)].users.list(page_size=1) for i in range(WORKERS)]
        pages = await asyncio.wait_for(asyncio.gather(*calls), timeout=JOIN_TIMEOUT)
    assert [page.total_elements for page in pages] == [30] * WORKERS
    assert sim.token_requests == 1
