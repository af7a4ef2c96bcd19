"""A `with_options` copy sends the token requests its calls need with its own settings.

The copy shares the original's token: one token request at a time for them all, and the token
one of them obtains serves every other. A copy with `timeout=5, max_retries=5` that meets a
missing token obtains it with those settings, not the original's. A failed token request
reaches only the callers waiting for it that would have sent it with the same settings: a
patient copy waiting behind the impatient original, and the original's callers waiting behind
an impatient copy, make their own attempt and obtain the token.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest

from cloudcx import APITimeoutError, AsyncCloudCX, CloudCX, RetryPolicy, ServerError
from cloudcx.testing import Fault, Simulator
from tests.support.clients import SimFactory, async_client, sync_client

AnyClient = TypeVar("AnyClient", CloudCX, AsyncCloudCX)

WORKERS = 64
JOIN_TIMEOUT = 60.0  # a hang guard, not a timing assertion
HOLD_FIRST = 0.1  # lets one caller take the token lock before the other asks
FLAKY_TOKEN_ANSWERS = 3  # 503s before the token endpoint answers, slower than the original waits
ORIGINAL: dict[str, Any] = {"timeout": 0.3, "max_retries": 0}
# Quick retries: the test checks that they happen, not how long they wait.
PATIENT: dict[str, Any] = {
    "timeout": 5.0,
    "max_retries": 5,
    "retry_policy": RetryPolicy(base_delay=0.01),
}


def _slow_token_endpoint(sim: Simulator) -> None:
    """The next token request is answered past the original's 0.3 s read timeout."""
    sim.inject(Fault.delay(0.6), route="token")


def _flaky_slow_token_endpoint(sim: Simulator) -> None:
    sim.inject(Fault.status(503), route="token", count=FLAKY_TOKEN_ANSWERS)
    _slow_token_endpoint(sim)


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


def _pair(cx: AnyClient, copy_is_patient: bool) -> tuple[AnyClient, AnyClient]:
    """(impatient, patient): `cx` and a copy with the other settings (ORIGINAL or PATIENT)."""
    copy = cx.with_options(**(PATIENT if copy_is_patient else ORIGINAL))
    return (cx, copy) if copy_is_patient else (copy, cx)


def _impatient_holds(impatient: CloudCX) -> Callable[[], Exception | None]:
    """Start an impatient call in a thread; the returned function joins it: what it raised."""
    outcome: list[Exception] = []

    def run() -> None:
        try:
            impatient.users.list(page_size=1)
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(HOLD_FIRST)

    def joined() -> Exception | None:
        thread.join(JOIN_TIMEOUT)
        assert not thread.is_alive()
        return outcome[0] if outcome else None

    return joined


@pytest.mark.parametrize(
    ("copy_is_patient", "original_options"),
    [(True, ORIGINAL), (False, PATIENT)],
    ids=["copy-waits-behind-the-original", "original-waits-behind-a-copy"],
)
def test_a_waiter_with_other_settings_makes_its_own_attempt(
    make_sim: SimFactory, copy_is_patient: bool, original_options: dict[str, Any]
) -> None:
    sim = make_sim()
    with sync_client(sim, **original_options) as cx:
        impatient, patient = _pair(cx, copy_is_patient)
        _slow_token_endpoint(sim)
        joined = _impatient_holds(impatient)
        assert patient.users.list(page_size=1).total_elements == 30
        held = joined()
        # The impatient caller held the lock and failed; the patient one sent its own request.
        assert isinstance(held, APITimeoutError)
        assert not held.deadline_passed
        assert sim.token_requests == 2
        assert impatient.users.list(page_size=1).total_elements == 30
        assert sim.token_requests == 2


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("copy_is_patient", "original_options"),
    [(True, ORIGINAL), (False, PATIENT)],
    ids=["copy-waits-behind-the-original", "original-waits-behind-a-copy"],
)
async def test_a_task_with_other_settings_makes_its_own_attempt(
    make_sim: SimFactory, copy_is_patient: bool, original_options: dict[str, Any]
) -> None:
    sim = make_sim()
    async with async_client(sim, **original_options) as cx:
        impatient, patient = _pair(cx, copy_is_patient)
        _slow_token_endpoint(sim)
        holder = asyncio.create_task(impatient.users.list(page_size=1))
        await asyncio.sleep(HOLD_FIRST)
        page = await asyncio.wait_for(patient.users.list(page_size=1), timeout=JOIN_TIMEOUT)
        assert page.total_elements == 30
        with pytest.raises(APITimeoutError) as held:
            await asyncio.wait_for(holder, timeout=JOIN_TIMEOUT)
        assert not held.value.deadline_passed
        assert sim.token_requests == 2
        assert (await impatient.users.list(page_size=1)).total_elements == 30
        assert sim.token_requests == 2


def test_a_waiter_with_the_same_settings_still_shares_the_failure(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim, **PATIENT) as cx:
        impatient = cx.with_options(**ORIGINAL)
        twin = cx.with_options(**ORIGINAL).with_options(retry_policy=RetryPolicy(base_delay=0.01))
        _slow_token_endpoint(sim)
        joined = _impatient_holds(impatient)
        with pytest.raises(APITimeoutError) as waited:
            twin.users.list(page_size=1)
        assert isinstance(joined(), APITimeoutError)
        assert not waited.value.deadline_passed
        assert sim.token_requests == 1
