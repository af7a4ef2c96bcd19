"""Walking every page of a paged listing, sequentially or with concurrent prefetch.

The API pages by offset (`pageIndex` from 1; each page reports `totalPages`). A walk asks for
page 1, 2, ... and stops at the last page by the latest `totalPages`, at an empty page, or at a
hard stop of twice the first page's `totalPages` plus one, so that a directory that keeps
growing cannot make it endless. A short page does not end the walk: a server may clamp
`pageSize` yet report the size asked for. Like any offset pagination, a walk sees each page as
it is served: a removal meanwhile can hide a user, an insertion can yield one twice.

With `concurrency=N` (async only) the first page is fetched alone, to learn `totalPages`, then
up to N pages are in flight, still yielded in page order. A walk lets go of each page before
it fetches the next, so it holds about one page (about 2N with prefetch).
"""

from __future__ import annotations

from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Sequence,
)
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar

if TYPE_CHECKING:  # the async walk imports it where it runs: the sync client never loads asyncio
    import asyncio

__all__ = ["AsyncWalk", "Page", "async_items", "async_pages", "sync_items", "sync_pages"]

T_co = TypeVar("T_co", covariant=True)
Item = TypeVar("Item")
Item_co = TypeVar("Item_co", covariant=True)


class Page(Protocol[Item_co]):
    """A page of any paged operation: its items and the total page count it reports."""

    @property
    def total_pages(self) -> int:
        """How many pages the whole result has."""
        ...

    @property
    def content(self) -> Sequence[Item_co]:
        """The items on this page."""
        ...


P = TypeVar("P", bound=Page[Any])


class _Bounds:
    """The stop rules of one walk, updated by each page as it is consumed."""

    def __init__(self) -> None:
        self.hard_stop: int | None = None
        self.last = 1

    def goes_on(self, index: int, page: Page[Any]) -> bool:
        """Whether the walk continues past page `index`, which returned `page`."""
        if self.hard_stop is None:
            self.hard_stop = 2 * page.total_pages + 1
        self.last = min(page.total_pages, self.hard_stop)
        if not page.content:
            return False
        # A short page is not taken as the end: `totalPages` decides (see the module's text).
        return index < self.last


def sync_pages(fetch: Callable[[int], P]) -> Iterator[P]:
    """Yield each page in order, fetching one at a time."""
    bounds = _Bounds()
    index = 1
    while True:
        page = fetch(index)
        yield page
        if not bounds.goes_on(index, page):
            return
        del page  # not held while the next page is fetched
        index += 1


def sync_items(pages: Iterable[Page[Item]]) -> Iterator[Item]:
    """Yield every item of every page."""
    for page in pages:
        yield from page.content
        del page  # not held while the next page is fetched


def _retrieve(task: asyncio.Future[Any]) -> None:
    # A prefetch abandoned by a walk that ended early must not be reported as an exception
    # "never retrieved": its result is simply not wanted.
    if not task.cancelled():
        task.exception()


async def async_pages(
    fetch: Callable[[int], Awaitable[P]], concurrency: int
) -> AsyncGenerator[P, None]:
    """Yield each page in order, with up to `concurrency` pages in flight after the first.

    A slot is refilled as soon as any page arrives, not only when the next page in order is
    consumed, so that one slow page does not leave the other slots idle. Pages that arrived
    ahead of a slower one wait for it, up to `concurrency` of them: the walk holds at most
    `2 * concurrency` pages (in flight or waiting) at a time.
    """
    import asyncio

    bounds = _Bounds()
    first = await fetch(1)
    yield first
    if not bounds.goes_on(1, first):
        return
    del first  # not held for the rest of the walk
    window: deque[tuple[int, asyncio.Future[P]]] = deque()
    next_index = 2

    def refill() -> None:
        nonlocal next_index
        in_flight = sum(1 for _, future in window if not future.done())
        while (
            in_flight < concurrency and len(window) < 2 * concurrency and next_index <= bounds.last
        ):
            prefetch = asyncio.ensure_future(fetch(next_index))
            prefetch.add_done_callback(_retrieve)
            window.append((next_index, prefetch))
            next_index += 1
            in_flight += 1

    try:
        while True:
            refill()
            if not window:
                return
            index, pending = window[0]
            while not pending.done():
                await asyncio.wait(
                    [future for _, future in window if not future.done()],
                    return_when=asyncio.FIRST_COMPLETED,
                )
                refill()
            window.popleft()
            page = pending.result()
            del pending
            yield page
            if not bounds.goes_on(index, page):
                return
            del page  # not held while the next page is awaited
    finally:
        for _, abandoned in window:
            abandoned.cancel()
        if window:
            await asyncio.gather(*(future for _, future in window), return_exceptions=True)


async def async_items(pages: AsyncWalk[Page[Item]]) -> AsyncGenerator[Item, None]:
    """Yield every item of every page."""
    async with pages:
        async for page in pages:
            for item in page.content:
                yield item
            del page  # not held while the next page is fetched


class AsyncWalk(Generic[T_co]):
    """An async iterator over a walk; close it (or use `async with`) to stop one early.

    Breaking out of `async for` leaves prefetches in flight until the walk is closed or
    garbage-collected; `aclose()` cancels them at once.
    """

    def __init__(self, generator: AsyncGenerator[T_co, None]) -> None:
        self._generator = generator

    def __aiter__(self) -> AsyncIterator[T_co]:
        # `async for` then steps the generator itself: no extra coroutine for every item.
        return self._generator

    async def __anext__(self) -> T_co:
        """Return the next item, fetching as needed."""
        return await self._generator.__anext__()

    async def aclose(self) -> None:
        """Stop the walk and cancel any prefetch still in flight."""
        await self._generator.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
