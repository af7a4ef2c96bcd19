"""The async walk refills a slot as soon as any page arrives, not only when the head is consumed.

A unit test of `async_pages` with an in-process fetch function (no HTTP): it holds page 2 back
and checks that the other slots keep working meanwhile, within the bound on held pages.
"""

import asyncio
from dataclasses import dataclass

import pytest

from cloudcx._pagination import async_pages

TOTAL_PAGES = 40


@dataclass
class _Page:
    total_pages: int
    content: list[int]


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [2, 3, 8])
async def test_a_slow_page_does_not_idle_the_other_slots(concurrency: int) -> None:
    release_page_2 = asyncio.Event()
    started: list[int] = []
    in_flight = 0
    most_in_flight = 0

    async def fetch(index: int) -> _Page:
        nonlocal in_flight, most_in_flight
        started.append(index)
        in_flight += 1
        most_in_flight = max(most_in_flight, in_flight)
        try:
            if index == 2:
                await release_page_2.wait()
            else:
                await asyncio.sleep(0)
            return _Page(TOTAL_PAGES, [index])
        finally:
            in_flight -= 1

    walk = async_pages(fetch, concurrency)
    assert (await walk.__anext__()).content == [1]
    second = asyncio.ensure_future(walk.__anext__())
    # Bounded: the walk either reaches its bound on held pages or the test fails.
    for _ in range(1000):
        await asyncio.sleep(0)
        if len(started) > 2 * concurrency:
            break
    # Page 2 is still held back, yet the others kept arriving and being replaced, up to twice
    # the concurrency held at once (a window refilled only when page 2 is consumed would stop
    # at 1 + concurrency).
    assert not second.done()
    assert started == list(range(1, 2 + 2 * concurrency))
    await asyncio.sleep(0.01)
    assert len(started) == 1 + 2 * concurrency  # and no more while page 2 is held
    release_page_2.set()
    assert (await asyncio.wait_for(second, 10)).content == [2]
    rest = [page.content[0] async for page in walk]
    assert rest == list(range(3, TOTAL_PAGES + 1))
    assert most_in_flight == concurrency
