"""A walk holds about one page: no earlier page, and no earlier response left for the collector."""

from __future__ import annotations

import gc
import uuid
import weakref
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from cloudcx import AsyncCloudCX, CloudCX, User, UserPage
from cloudcx._pagination import AsyncWalk, async_items, async_pages, sync_items, sync_pages
from cloudcx.testing import Simulator
from tests.support.clients import credentials

PAGES = 6
PAGE_SIZE = 10


@contextmanager
def collector_off() -> Iterator[None]:
    """Only reference counting frees objects: whatever sits in a cycle stays visible."""
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def live_responses() -> weakref.WeakSet[httpx.Response]:
    # gc.get_objects() also lists unreachable cycles the collector has not freed yet.
    return weakref.WeakSet(obj for obj in gc.get_objects() if isinstance(obj, httpx.Response))


def new_responses(before: weakref.WeakSet[httpx.Response]) -> int:
    return sum(1 for response in live_responses() if response not in before)


def test_a_sync_walk_leaves_no_response_for_the_collector() -> None:
    with Simulator(users=PAGES * PAGE_SIZE) as sim, CloudCX(**credentials(sim)) as cx:
        with collector_off():
            before = live_responses()
            users = sum(1 for _ in cx.users.iter(page_size=PAGE_SIZE))
            left = new_responses(before)
        assert users == PAGES * PAGE_SIZE
        assert sim.api_requests == PAGES
        assert left == 0, f"{left} of {PAGES} page responses still alive after the walk"


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 4])
async def test_an_async_walk_leaves_no_response_for_the_collector(concurrency: int) -> None:
    with Simulator(users=PAGES * PAGE_SIZE) as sim:
        async with AsyncCloudCX(**credentials(sim)) as cx:
            with collector_off():
                before = live_responses()
                users = 0
                async with cx.users.iter(page_size=PAGE_SIZE, concurrency=concurrency) as walk:
                    async for _ in walk:
                        users += 1
                left = new_responses(before)
        assert users == PAGES * PAGE_SIZE
        assert sim.api_requests == PAGES
        assert left == 0, f"{left} of {PAGES} page responses still alive after the walk"


def make_page(index: int) -> UserPage:
    users = [
        User(
            id=uuid.uuid4(),
            login_code=f"user{index}-{n}",
            roles=["Agents"],
            first_name="Ada",
            last_name="Lovelace",
            email=f"user{index}-{n}@example.net",
            phone_number=None,
            unique_code=None,
        )
        for n in range(PAGE_SIZE)
    ]
    return UserPage(
        total_pages=PAGES,
        total_elements=PAGES * PAGE_SIZE,
        size=PAGE_SIZE,
        number=index - 1,
        number_of_elements=PAGE_SIZE,
        content=users,
    )


class PageSource:
    """Serves made-up pages and notes, at each fetch, which earlier pages are still alive."""

    def __init__(self) -> None:
        self.served: list[weakref.ref[UserPage]] = []
        self.alive_at_fetch: dict[int, list[int]] = {}

    def fetch(self, index: int) -> UserPage:
        self.alive_at_fetch[index] = [
            number for number, ref in enumerate(self.served, start=1) if ref() is not None
        ]
        page = make_page(index)
        self.served.append(weakref.ref(page))
        return page

    async def afetch(self, index: int) -> UserPage:
        return self.fetch(index)


NOTHING_HELD: dict[int, list[int]] = {index: [] for index in range(1, PAGES + 1)}


@pytest.mark.parametrize(
    "walk",
    [
        pytest.param(lambda source: sync_pages(source.fetch), id="pages"),
        pytest.param(lambda source: sync_items(sync_pages(source.fetch)), id="items"),
    ],
)
def test_a_sync_walk_lets_go_of_each_page_before_fetching_the_next(
    walk: Callable[[PageSource], Iterator[object]],
) -> None:
    source = PageSource()
    with collector_off():
        deque(walk(source), maxlen=0)  # consumes without holding what it is given
    assert source.alive_at_fetch == NOTHING_HELD


@pytest.mark.anyio
@pytest.mark.parametrize("items", [False, True], ids=["pages", "items"])
async def test_an_async_walk_lets_go_of_each_page_before_fetching_the_next(items: bool) -> None:
    source = PageSource()
    pages = AsyncWalk(async_pages(source.afetch, 1))
    walk: AsyncWalk[UserPage] | AsyncWalk[User] = AsyncWalk(async_items(pages)) if items else pages
    with collector_off():
        async with walk:
            async for item in walk:
                del item  # the caller lets go of each item, so only the walk could hold one
    assert source.alive_at_fetch == NOTHING_HELD
