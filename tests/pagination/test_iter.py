"""`users.iter` and `users.iter_pages` over the simulator, sync and async, with prefetch."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError, NotFoundError, User, UserPage
from cloudcx.testing import Fault, Simulator
from tests.support.clients import credentials


@contextmanager
def directory(users: int) -> Iterator[Simulator]:
    with Simulator(users=users) as sim:
        yield sim


def reference_ids(sim: Simulator, keywords: str | None = None) -> list[str]:
    """Every matching user's ID in directory order, read page by page with `list`."""
    ids: list[str] = []
    with CloudCX(**credentials(sim)) as cx:
        index = 1
        while True:
            page = cx.users.list(page_index=index, page_size=100, keywords=keywords)
            ids.extend(str(user.id) for user in page.content)
            if index >= page.total_pages:
                return ids
            index += 1


def ids(users: list[User]) -> list[str]:
    return [str(user.id) for user in users]


# (users in the directory, page size, keywords, pages the walk must request)
SHAPES = [
    pytest.param(60, 25, "no-user-matches-this", 1, id="no-results"),
    pytest.param(0, 25, None, 1, id="empty-directory"),
    pytest.param(10, 25, None, 1, id="one-partial-page"),
    pytest.param(25, 25, None, 1, id="one-full-page"),
    pytest.param(100, 25, None, 4, id="exact-multiple"),
    pytest.param(101, 25, None, 5, id="one-over"),
    pytest.param(250, 7, None, 36, id="many-pages"),
    pytest.param(250, 100, None, 3, id="largest-pages"),
]


@pytest.mark.parametrize(("users", "page_size", "keywords", "requests"), SHAPES)
def test_iter_yields_every_user_once_sync(
    users: int, page_size: int, keywords: str | None, requests: int
) -> None:
    with directory(users) as sim:
        expected = reference_ids(sim, keywords)
        sim.reset_counters()
        with CloudCX(**credentials(sim)) as cx:
            found = ids(list(cx.users.iter(keywords=keywords, page_size=page_size)))
        assert found == expected
        assert sim.api_requests == requests


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
@pytest.mark.parametrize(("users", "page_size", "keywords", "requests"), SHAPES)
async def test_iter_yields_every_user_once_async(
    users: int, page_size: int, keywords: str | None, requests: int, concurrency: int
) -> None:
    with directory(users) as sim:
        expected = reference_ids(sim, keywords)
        sim.reset_counters()
        async with AsyncCloudCX(**credentials(sim)) as cx:
            walk = cx.users.iter(keywords=keywords, page_size=page_size, concurrency=concurrency)
            found = ids([user async for user in walk])
        assert found == expected
        assert sim.api_requests == requests


def test_keywords_filter_the_walk() -> None:
    with directory(250) as sim:
        expected = reference_ids(sim, "an")
        assert 0 < len(expected) < 250
        with CloudCX(**credentials(sim)) as cx:
            assert ids(list(cx.users.iter(keywords="an", page_size=10))) == expected


def test_iter_pages_reports_each_pages_metadata_sync() -> None:
    with directory(60) as sim, CloudCX(**credentials(sim)) as cx:
        pages = list(cx.users.iter_pages(page_size=25))
    assert [page.number for page in pages] == [0, 1, 2]
    assert [page.number_of_elements for page in pages] == [25, 25, 10]
    assert [len(page.content) for page in pages] == [25, 25, 10]
    assert {(page.total_pages, page.total_elements, page.size) for page in pages} == {(3, 60, 25)}


@pytest.mark.anyio
async def test_iter_pages_reports_each_pages_metadata_async() -> None:
    with directory(60) as sim:
        async with AsyncCloudCX(**credentials(sim)) as cx:
            pages = [page async for page in cx.users.iter_pages(page_size=25, concurrency=8)]
    assert [page.number for page in pages] == [0, 1, 2]
    assert [page.number_of_elements for page in pages] == [25, 25, 10]
    assert {(page.total_pages, page.total_elements) for page in pages} == {(3, 60)}


@pytest.mark.anyio
async def test_async_iter_is_an_object_not_a_coroutine() -> None:
    with directory(3) as sim:
        async with AsyncCloudCX(**credentials(sim)) as cx:
            walk = cx.users.iter()
            assert not inspect.isawaitable(walk)
            assert hasattr(walk, "__anext__")
            async with walk:
                assert len([user async for user in walk]) == 3


def test_bad_arguments_are_refused_at_the_call_sync() -> None:
    with directory(3) as sim, CloudCX(**credentials(sim)) as cx:
        with pytest.raises(ConfigurationError):
            cx.users.iter(page_size=0)
        with pytest.raises(ConfigurationError):
            cx.users.iter_pages(page_size=101)
        with pytest.raises(ConfigurationError):
            cx.users.iter(keywords="\ud800")
        assert sim.api_requests == 0


@pytest.mark.anyio
async def test_bad_arguments_are_refused_at_the_call_async() -> None:
    with directory(3) as sim:
        async with AsyncCloudCX(**credentials(sim)) as cx:
            with pytest.raises(ConfigurationError):
                cx.users.iter(concurrency=0)
            with pytest.raises(ConfigurationError):
                cx.users.iter_pages(page_size=0)
        assert sim.api_requests == 0


# --- the directory changes during the walk ------------------------------------------------


def test_users_appended_during_the_walk_are_followed_sync() -> None:
    with directory(100) as sim, CloudCX(**credentials(sim)) as cx:
        original = reference_ids(sim)
        found: list[str] = []
        for number, page in enumerate(cx.users.iter_pages(page_size=25)):
            found.extend(str(user.id) for user in page.content)
            if number == 0:
                sim.add_users(30)
        assert found[:100] == original
        assert len(found) == 130
        assert len(set(found)) == 130


def test_users_removed_during_the_walk_end_it_early_sync() -> None:
    with directory(100) as sim, CloudCX(**credentials(sim)) as cx:
        original = reference_ids(sim)
        found: list[str] = []
        for number, page in enumerate(cx.users.iter_pages(page_size=25)):
            found.extend(str(user.id) for user in page.content)
            if number == 0:
                sim.remove_users(60)
        assert found == original[:40]


def test_everyone_removed_during_the_walk_sync() -> None:
    with directory(100) as sim, CloudCX(**credentials(sim)) as cx:
        pages = 0
        for _page in cx.users.iter_pages(page_size=25):
            pages += 1
            sim.remove_users(100)
        assert pages == 2  # the first page, then an empty one that ends the walk


def test_a_directory_that_keeps_growing_hits_the_hard_stop_sync() -> None:
    # 5 pages at first; 50 more users after every page. The walk stops at 2 * 5 + 1 pages.
    with directory(25) as sim, CloudCX(**credentials(sim)) as cx:
        sim.reset_counters()
        pages = 0
        for _page in cx.users.iter_pages(page_size=5):
            pages += 1
            sim.add_users(50)
        assert pages == 11
        assert sim.api_requests == 11


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_users_added_and_removed_during_the_walk_async(concurrency: int) -> None:
    with directory(200) as sim:
        original = set(reference_ids(sim))
        async with AsyncCloudCX(**credentials(sim)) as cx:
            found: list[str] = []
            walk = cx.users.iter_pages(page_size=10, concurrency=concurrency)
            async for page in walk:
                found.extend(str(user.id) for user in page.content)
                if page.number == 2:
                    sim.add_users(40)
                if page.number == 5:
                    sim.remove_users(150)
        assert len(found) == len(set(found))
        assert set(found) <= original | set(reference_ids(sim))
        assert len(found) <= 240


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_a_directory_that_keeps_growing_hits_the_hard_stop_async(concurrency: int) -> None:
    with directory(25) as sim:
        sim.reset_counters()
        async with AsyncCloudCX(**credentials(sim)) as cx:
            pages = 0
            async for _page in cx.users.iter_pages(page_size=5, concurrency=concurrency):
                pages += 1
                sim.add_users(50)
        assert pages == 11
        assert sim.api_requests <= 11


# --- stopping early and failing midway ----------------------------------------------------


def test_an_error_midway_surfaces_from_the_iterator_sync() -> None:
    with directory(100) as sim, CloudCX(**credentials(sim)) as cx:
        walk = cx.users.iter(page_size=10)
        first = [next(walk) for _ in range(10)]
        sim.inject(Fault.status(404), route="users")
        with pytest.raises(NotFoundError):
            next(walk)
        assert len(first) == 10


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_an_error_midway_surfaces_from_the_iterator_async(concurrency: int) -> None:
    with directory(100) as sim:
        expected = reference_ids(sim)
        async with AsyncCloudCX(**credentials(sim)) as cx:
            found: list[User] = []

            async def walk_all() -> None:
                async with cx.users.iter(page_size=10, concurrency=concurrency) as walk:
                    async for user in walk:
                        found.append(user)
                        if len(found) == 10:
                            # Whichever prefetched page reaches the server first takes it.
                            sim.inject(Fault.status(404), route="users")

            with pytest.raises(NotFoundError):
                await walk_all()
        # Users before the failing page came in order; the walk did not go past it.
        assert ids(found) == expected[: len(found)]
        assert 10 <= len(found) < 100


@pytest.mark.anyio
async def test_closing_early_cancels_the_prefetch() -> None:
    with directory(250) as sim:
        sim.set_latency(0.05)
        async with (
            AsyncCloudCX(**credentials(sim)) as cx,
            cx.users.iter(page_size=10, concurrency=8) as walk,
        ):
            async for user in walk:
                assert user.login_code
                break
        # The first page, and at most one window of prefetches: never the whole directory.
        assert sim.api_requests <= 9


@pytest.mark.anyio
async def test_breaking_out_without_closing_leaves_nothing_behind() -> None:
    with directory(250) as sim:
        async with AsyncCloudCX(**credentials(sim)) as cx:
            async for _user in cx.users.iter(page_size=10, concurrency=8):
                break
            page = await cx.users.list()
        assert page.total_elements == 250


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 3, 8])
async def test_prefetch_keeps_up_to_n_pages_in_flight(
    concurrency: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_flight = 0
    most = 0
    with directory(400) as sim:
        sim.set_latency(0.02)
        async with AsyncCloudCX(**credentials(sim)) as cx:
            runner = cx.users._runner
            fetch_page = runner.call

            async def counted(*args: Any) -> UserPage:
                nonlocal in_flight, most
                in_flight += 1
                most = max(most, in_flight)
                try:
                    page: UserPage = await fetch_page(*args)
                    return page
                finally:
                    in_flight -= 1

            monkeypatch.setattr(runner, "call", counted)
            walk = cx.users.iter(page_size=20, concurrency=concurrency)
            assert len([user async for user in walk]) == 400
    assert most == concurrency
