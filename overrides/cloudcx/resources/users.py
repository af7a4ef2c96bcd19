"""The user directory: `GET /openapi/v2/user/page`."""

from __future__ import annotations

from typing import Any

import httpx
from cloudcx_openapi.api.users import list_users
from cloudcx_openapi.models.user_page import UserPage
from cloudcx_openapi.types import UNSET, Unset

from .._exceptions import CloudCXError, ConfigurationError
from .._response import decode_user_page
from .._transport_errors import translate_transport_error

__all__ = ["AsyncUsers", "Users"]

MAX_PAGE_SIZE = 100


def _request_kwargs(
    page_index: int, page_size: int, keywords: str | None, timeout: float | httpx.Timeout | None
) -> dict[str, Any]:
    """Validate the caller's arguments and build the request from the generated operation."""
    for name, value in (("page_index", page_index), ("page_size", page_size)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigurationError(f"{name} must be an integer >= 1, got {value!r}")
    if page_size > MAX_PAGE_SIZE:
        raise ConfigurationError(f"page_size must be at most {MAX_PAGE_SIZE}, got {page_size}")
    if keywords is not None and not isinstance(keywords, str):
        raise ConfigurationError(f"keywords must be a string, got {type(keywords).__name__}")
    search: str | Unset = keywords if keywords else UNSET
    kwargs = list_users._get_kwargs(page_index=page_index, page_size=page_size, keywords=search)
    if timeout is not None:
        kwargs["timeout"] = timeout
    return kwargs


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
        timeout: float | httpx.Timeout | None = None,
    ) -> UserPage:
        """Return one page of users (`page_index` counts from 1), optionally filtered.

        Raises:
            APIError: the API answered with an error envelope or an error status.
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer.
            InvalidResponseError: the answer is not what the API describes.
        """
        kwargs = _request_kwargs(page_index, page_size, keywords, timeout)
        request: httpx.Request | None = None
        try:
            request = self._http.build_request(**kwargs)
            response = self._http.send(request)
        except CloudCXError:
            raise
        except httpx.HTTPError as exc:
            raise translate_transport_error(exc, request) from exc
        return decode_user_page(response)


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
        timeout: float | httpx.Timeout | None = None,
    ) -> UserPage:
        """Return one page of users (`page_index` counts from 1), optionally filtered.

        Raises:
            APIError: the API answered with an error envelope or an error status.
            AuthenticationError: the credentials were refused.
            APIConnectionError: the request got no answer.
            InvalidResponseError: the answer is not what the API describes.
        """
        kwargs = _request_kwargs(page_index, page_size, keywords, timeout)
        request: httpx.Request | None = None
        try:
            request = self._http.build_request(**kwargs)
            response = await self._http.send(request)
        except CloudCXError:
            raise
        except httpx.HTTPError as exc:
            raise translate_transport_error(exc, request) from exc
        return decode_user_page(response)
