"""The user directory: `GET /openapi/v2/user/page`, one page or every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx

from cloudcx_openapi.api.users import list_users
from cloudcx_openapi.models.user import User
from cloudcx_openapi.models.user_page import UserPage
from cloudcx_openapi.types import UNSET, Unset

from .._deadline import aread_capped, call_scope, read_capped
from .._exceptions import APIConnectionError, CloudCXError, ConfigurationError
from .._pagination import AsyncWalk, async_items, async_pages, sync_items, sync_pages
from .._response import decode_user_page, describe_url
from .._retry import resolve_timeout
from .._transport_errors import translate_body_error, translate_transport_error

__all__ = ["AsyncUsers", "Users"]

MAX_PAGE_SIZE = 100

Timeout = float | httpx.Timeout | None


_MAX_INT = 2**31 - 1  # the spec's int32; and no 5,000-digit int reaches str() (ValueError)


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_INT:
        raise ConfigurationError(f"{name} must be an integer from 1 to {_MAX_INT}")
    return value


def _request_kwargs(
    page_index: int, page_size: int, keywords: str | None, timeout: Timeout
) -> dict[str, Any]:
    """Validate the caller's arguments and build the request from the generated operation."""
    _positive_int("page_index", page_index)
    _positive_int("page_size", page_size)
    if page_size > MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be at most {MAX_PAGE_SIZE}, got {page_size}")
    if keywords is not None:
        if not isinstance(keywords, str):
            raise ConfigurationError(f"keywords must be a string, got {type(keywords).__name__}")
        try:
            keywords.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ConfigurationError("keywords must be encodable as UTF-8") from exc
    search: str | Unset = keywords if keywords else UNSET
    kwargs = list_users._get_kwargs(page_index=page_index, page_size=page_size, keywords=search)
    if timeout is not None:
        kwargs["timeout"] = resolve_timeout(timeout)
    return kwargs


def _closed_error(exc: RuntimeError, request: httpx.Request | None) -> CloudCXError:
    if request is None:
        return APIConnectionError(f"the request could not be sent: {exc}")
    return APIConnectionError(
        f"the request could not be sent: {exc}",
        method=request.method,
        url=describe_url(request.url),
    )


def _release_stream(response: httpx.Response) -> None:
    """Drop the closed body stream of a response whose body has been read (or has failed).

    httpx (0.28) wraps each body in a stream that points back at its response, to set
    `elapsed` on close; the cycle keeps every response and its body alive until the garbage
    collector runs, so a long walk piles up pages it no longer holds (encode/httpx#3733). Once
    the stream is closed nothing reads it again, and `response.content` keeps the body.
    """
    response.stream = httpx.ByteStream(b"")


class Users:
    """The user directory, for the synchronous client."""

    def __init__(self, http: httpx.Client) -> None:
        self._http = http

    def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> UserPage:
        """Return one page of users (`page_index` counts from 1), optionally filtered.

        Raises:
            APIError: the API answered with an error envelope or an error status.
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer (APITimeoutError: in time).
            InvalidResponseError: the answer is not what the API describes.
        """
        return self._get(_request_kwargs(page_index, page_size, keywords, timeout))

    def iter_pages(
        self,
        *,
        keywords: str | None = None,
        page_size: int = 25,
        timeout: Timeout = None,
    ) -> Iterator[UserPage]:
        """Yield every page of users in order, with its metadata, one request at a time.

        The walk follows `totalPages` (a page shorter than the page size does not end it
        early), stops at an empty page, and is bounded even if the directory changes meanwhile
        (see the README's "Pagination"). Errors are those of `list`, raised when the failing
        page is reached.
        """
        _request_kwargs(1, page_size, keywords, timeout)

        def fetch(index: int) -> UserPage:
            return self._get(_request_kwargs(index, page_size, keywords, timeout))

        return sync_pages(fetch)

    def iter(
        self,
        *,
        keywords: str | None = None,
        page_size: int = 25,
        timeout: Timeout = None,
    ) -> Iterator[User]:
        """Yield every matching user across all pages, in order.

        Sequential on the sync client (no threads are started behind the caller's back); use
        `AsyncCloudCX` and `concurrency=` to prefetch pages.
        """
        return sync_items(self.iter_pages(keywords=keywords, page_size=page_size, timeout=timeout))

    def _get(self, kwargs: dict[str, Any]) -> UserPage:
        with call_scope(self._http):  # one deadline for the token, the request and its body
            return decode_user_page(self._fetch(kwargs))

    def _fetch(self, kwargs: dict[str, Any]) -> httpx.Response:
        request: httpx.Request | None = None
        try:
            request = self._http.build_request(**kwargs)
            # Streamed, so that a body that breaks off is told apart from a lost request.
            response = self._http.send(request, stream=True)
        except CloudCXError:
            raise
        except httpx.HTTPError as exc:
            raise translate_transport_error(exc, request) from exc
        except RuntimeError as exc:  # httpx: "the client has been closed"
            raise _closed_error(exc, request) from exc
        try:
            read_capped(response)  # at most `max_response_bytes`, decoded
        except httpx.HTTPError as exc:
            raise translate_body_error(exc, response) from exc
        finally:
            response.close()
            _release_stream(response)
        return response


class AsyncUsers:
    """The user directory, for the asynchronous client."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def list(
        self,
        *,
        page_index: int = 1,
        page_size: int = 25,
        keywords: str | None = None,
        timeout: Timeout = None,
    ) -> UserPage:
        """Return one page of users (`page_index` counts from 1), optionally filtered.

        Raises:
            APIError: the API answered with an error envelope or an error status.
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer (APITimeoutError: in time).
            InvalidResponseError: the answer is not what the API describes.
        """
        return await self._get(_request_kwargs(page_index, page_size, keywords, timeout))

    def iter_pages(
        self,
        *,
        keywords: str | None = None,
        page_size: int = 25,
        concurrency: int = 1,
        timeout: Timeout = None,
    ) -> AsyncWalk[UserPage]:
        """Iterate (`async for`) over every page of users in order, with its metadata.

        With `concurrency=N`, once the first page has told `totalPages`, up to N pages are
        fetched at once; pages still come in order and at most about N wait in memory. Close
        the iterator (`aclose()` or `async with`) to stop early and cancel prefetches.
        """
        _request_kwargs(1, page_size, keywords, timeout)
        _positive_int("concurrency", concurrency)

        async def fetch(index: int) -> UserPage:
            return await self._get(_request_kwargs(index, page_size, keywords, timeout))

        return AsyncWalk(async_pages(fetch, concurrency))

    def iter(
        self,
        *,
        keywords: str | None = None,
        page_size: int = 25,
        concurrency: int = 1,
        timeout: Timeout = None,
    ) -> AsyncWalk[User]:
        """Iterate (`async for`) over every matching user across all pages, in order.

        `concurrency` prefetches pages as in `iter_pages`.
        """
        pages = self.iter_pages(
            keywords=keywords, page_size=page_size, concurrency=concurrency, timeout=timeout
        )
        return AsyncWalk(async_items(pages))

    async def _get(self, kwargs: dict[str, Any]) -> UserPage:
        with call_scope(self._http):  # one deadline for the token, the request and its body
            return decode_user_page(await self._fetch(kwargs))

    async def _fetch(self, kwargs: dict[str, Any]) -> httpx.Response:
        request: httpx.Request | None = None
        try:
            request = self._http.build_request(**kwargs)
            # Streamed, so that a body that breaks off is told apart from a lost request.
            response = await self._http.send(request, stream=True)
        except CloudCXError:
            raise
        except httpx.HTTPError as exc:
            raise translate_transport_error(exc, request) from exc
        except RuntimeError as exc:  # httpx: "the client has been closed"
            raise _closed_error(exc, request) from exc
        try:
            await aread_capped(response)  # at most `max_response_bytes`, decoded
        except httpx.HTTPError as exc:
            raise translate_body_error(exc, response) from exc
        finally:
            await response.aclose()
            _release_stream(response)
        return response
