"""A page shorter than the page size is not the end while `totalPages` says more follow.

Some servers clamp `pageSize` to their own maximum yet report the size that was asked for
(the compatibility suite's foreign server does so on request): every page then looks short.
A walk that stopped at the first short page returned 10 of 26 users, silently.
"""

from __future__ import annotations

import pytest

from tests.support.foreign_clients import async_client, client
from tests.support.foreign_server import ForeignServer, Quirks, foreign_server

CLAMPING = Quirks(max_page_size=10, echo_requested_size=True)


def every_id(server: ForeignServer) -> list[str]:
    """Every user's ID in directory order, read page by page at the server's own page size."""
    ids: list[str] = []
    with client(server) as cx:
        index = 1
        while True:
            page = cx.users.list(page_index=index, page_size=10)
            ids.extend(str(user.id) for user in page.content)
            if index >= page.total_pages:
                return ids
            index += 1


def page_requests(server: ForeignServer) -> int:
    return len(server.api_requests)


def test_short_pages_are_followed_to_total_pages_sync() -> None:
    with foreign_server(CLAMPING) as server:
        expected = every_id(server)
        before = page_requests(server)
        with client(server) as cx:
            first = cx.users.list(page_size=25)
            assert (first.size, len(first.content), first.total_pages) == (25, 10, 3)
            found = [str(user.id) for user in cx.users.iter(page_size=25)]
        assert len(expected) == 26
        assert found == expected
        assert page_requests(server) - before == 1 + 3  # the `list` above, then pages 1 to 3


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [1, 8])
async def test_short_pages_are_followed_to_total_pages_async(concurrency: int) -> None:
    with foreign_server(CLAMPING) as server:
        expected = every_id(server)
        before = page_requests(server)
        async with async_client(server) as cx:
            walk = cx.users.iter(page_size=25, concurrency=concurrency)
            async with walk:
                found = [str(user.id) async for user in walk]
        assert found == expected
        assert page_requests(server) - before == 3


def test_a_short_last_page_ends_the_walk_without_another_request() -> None:
    # 26 users at 25 a page: page 2 is short and is the last by `totalPages`.
    with foreign_server() as server, client(server) as cx:
        before = page_requests(server)
        pages = list(cx.users.iter_pages(page_size=25))
        assert [len(page.content) for page in pages] == [25, 1]
        assert page_requests(server) - before == 2


def test_walk_trusts_total_pages_over_a_short_page() -> None:
    quirks = Quirks(max_page_size=10, echo_requested_size=True)
    with foreign_server(quirks) as server, client(server) as cx:
        first = cx.users.list(page_size=25)
        assert (first.total_pages, first.total_elements, first.size) == (3, 26, 25)
        assert len(list(cx.users.iter(page_size=25))) == first.total_elements
