"""The API's resources, sync and async: generated from the spec, NEVER edit by hand.

Written by `generator/resource_classes.py` (run by `make generate`) from the operation table
(`cloudcx_openapi.operations`). Each method checks its arguments against the spec, sends the
request and decodes the envelope's `data` through the client's runner;
paged operations also get walkers. `SyncResources`/`AsyncResources` attach every resource to
`CloudCX`/`AsyncCloudCX`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

# Types only: the runner, the walks and the models are imported when a call needs them, so that
# importing the clients (whose base classes these are) costs none of them.
if TYPE_CHECKING:
    from collections.abc import Iterator

    from cloudcx._pagination import AsyncWalk
    from cloudcx.resources._runner import AsyncRunner, RawResponse, SyncRunner, Timeout

    from .models import User, UserPage


class Users:
    """The `users` resource: `cx.users.<method>(...)`."""

    def __init__(self, runner: SyncRunner) -> None:
        self._runner = runner
        self.with_raw_response = UsersWithRawResponse(runner)

    def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> UserPage:
        """List users, one page at a time.

        Returns one page of the user directory, optionally filtered by `keywords`. Pages are
        requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
        example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
        success; any other code is an error whose `data` is `null`.

        `GET /openapi/v2/user/page` (`listUsers`).

        Args:
            page_index: The page to return, counting from 1. **Assumption.** The minimum and the
                default.
            page_size: How many users a page holds. **Assumption.** The range (1 to 100) and the
                default.
            keywords: Text to search the directory for. **Assumption.** The match is case-insensitive,
                against each user's `loginCode`, `firstName`, `lastName` and `email`, at most
                256 characters; empty or absent means every user.
            timeout: Seconds, or an `httpx.Timeout`, for this call (default: the client's).

        Returns:
            The envelope's `data`, as a `UserPage`.

        Raises:
            ConfigurationError: an argument breaks the spec's constraints (nothing is sent).
            APIError: the API answered with an error envelope or an error status
                (NotFoundError: 404; PermissionDeniedError: 403; RateLimitError: 429;
                ServerError: 5xx).
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer (APITimeoutError: in time).
            InvalidResponseError: the answer is not what the API describes.
        """
        return cast(
            "UserPage",
            self._runner.call(
                "listUsers", {"page_index": page_index, "page_size": page_size, "keywords": keywords}, timeout
            ),
        )

    def iter_pages(
        self,
        *,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> Iterator[UserPage]:
        """Every page of `list`, in order, with its metadata (one request at a time).

        The walk follows `totalPages` (a page shorter than the page size does not end it
        early), stops at an empty page, and is bounded even if the data changes meanwhile
        (see the README's "Pagination"). Errors are those of `list`, raised when the
        failing page is reached; the arguments are checked at once.

        Args:
            page_size: How many users a page holds. **Assumption.** The range (1 to 100) and the
                default.
            keywords: Text to search the directory for. **Assumption.** The match is case-insensitive,
                against each user's `loginCode`, `firstName`, `lastName` and `email`, at most
                256 characters; empty or absent means every user.
            timeout: Seconds, or an `httpx.Timeout`, for this call (default: the client's).
        """
        return self._runner.pages(
            "listUsers",
            {"page_size": page_size, "keywords": keywords},
            timeout,
        )

    def iter(
        self,
        *,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> Iterator[User]:
        """Every `User` of every page of `list`, in order.

        Sequential on the sync client (no threads are started behind the caller's back); use
        the async client and `concurrency=` to prefetch pages.
        """
        return self._runner.items(self.iter_pages(page_size=page_size, keywords=keywords, timeout=timeout))


class UsersWithRawResponse:
    """`users`'s methods returning the raw response: `.http_response`, `.parse()`."""

    def __init__(self, runner: SyncRunner) -> None:
        self._runner = runner

    def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> RawResponse[UserPage]:
        """`list`, returning the raw response; `.parse()` gives its result or error."""
        return self._runner.raw(
            "listUsers", {"page_index": page_index, "page_size": page_size, "keywords": keywords}, timeout
        )


class AsyncUsers:
    """The `users` resource (awaitable methods): `cx.users.<method>(...)`."""

    def __init__(self, runner: AsyncRunner) -> None:
        self._runner = runner
        self.with_raw_response = AsyncUsersWithRawResponse(runner)

    async def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> UserPage:
        """List users, one page at a time.

        Returns one page of the user directory, optionally filtered by `keywords`. Pages are
        requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
        example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
        success; any other code is an error whose `data` is `null`.

        `GET /openapi/v2/user/page` (`listUsers`).

        Args:
            page_index: The page to return, counting from 1. **Assumption.** The minimum and the
                default.
            page_size: How many users a page holds. **Assumption.** The range (1 to 100) and the
                default.
            keywords: Text to search the directory for. **Assumption.** The match is case-insensitive,
                against each user's `loginCode`, `firstName`, `lastName` and `email`, at most
                256 characters; empty or absent means every user.
            timeout: Seconds, or an `httpx.Timeout`, for this call (default: the client's).

        Returns:
            The envelope's `data`, as a `UserPage`.

        Raises:
            ConfigurationError: an argument breaks the spec's constraints (nothing is sent).
            APIError: the API answered with an error envelope or an error status
                (NotFoundError: 404; PermissionDeniedError: 403; RateLimitError: 429;
                ServerError: 5xx).
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer (APITimeoutError: in time).
            InvalidResponseError: the answer is not what the API describes.
        """
        return cast(
            "UserPage",
            await self._runner.call(
                "listUsers", {"page_index": page_index, "page_size": page_size, "keywords": keywords}, timeout
            ),
        )

    def iter_pages(
        self,
        *,
        page_size: int = 25,
        keywords: str | None = None,
        concurrency: int = 1,
        timeout: Timeout = None,
    ) -> AsyncWalk[UserPage]:
        """Every page of `list`, in order, with its metadata (`async for`).

        The walk follows `totalPages` (a page shorter than the page size does not end it
        early), stops at an empty page, and is bounded even if the data changes meanwhile
        (see the README's "Pagination"). Errors are those of `list`, raised when the
        failing page is reached; the arguments are checked at once.
        With `concurrency=N`, once the first page has told `totalPages`, up to N pages are
        fetched at once; pages still come in order and at most about N wait in memory. Close
        the iterator (`aclose()` or `async with`) to stop early and cancel prefetches.

        Args:
            page_size: How many users a page holds. **Assumption.** The range (1 to 100) and the
                default.
            keywords: Text to search the directory for. **Assumption.** The match is case-insensitive,
                against each user's `loginCode`, `firstName`, `lastName` and `email`, at most
                256 characters; empty or absent means every user.
            timeout: Seconds, or an `httpx.Timeout`, for this call (default: the client's).
        """
        return self._runner.pages(
            "listUsers",
            {"page_size": page_size, "keywords": keywords},
            timeout,
            concurrency,
        )

    def iter(
        self,
        *,
        page_size: int = 25,
        keywords: str | None = None,
        concurrency: int = 1,
        timeout: Timeout = None,
    ) -> AsyncWalk[User]:
        """Every `User` of every page of `list`, in order (`async for`).

        `concurrency` prefetches pages as in `iter_pages`.
        """
        return self._runner.items(
            self.iter_pages(page_size=page_size, keywords=keywords, concurrency=concurrency, timeout=timeout)
        )


class AsyncUsersWithRawResponse:
    """`users`'s methods returning the raw response: `.http_response`, `.parse()`."""

    def __init__(self, runner: AsyncRunner) -> None:
        self._runner = runner

    async def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> RawResponse[UserPage]:
        """`list`, returning the raw response; `.parse()` gives its result or error."""
        return await self._runner.raw(
            "listUsers", {"page_index": page_index, "page_size": page_size, "keywords": keywords}, timeout
        )


class SyncResources:
    """Every resource of the synchronous client, one attribute per tag."""

    users: Users
    """Users: `users` operations."""

    def __init__(self, runner: SyncRunner) -> None:
        self.users = Users(runner)


class AsyncResources:
    """Every resource of the asynchronous client, one attribute per tag."""

    users: AsyncUsers
    """AsyncUsers: `users` operations."""

    def __init__(self, runner: AsyncRunner) -> None:
        self.users = AsyncUsers(runner)


__all__ = [
    "AsyncUsers",
    "AsyncUsersWithRawResponse",
    "Users",
    "UsersWithRawResponse",
    "AsyncResources",
    "SyncResources",
]
