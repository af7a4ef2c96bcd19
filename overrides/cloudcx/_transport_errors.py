"""Translation of httpx's transport exceptions into the client's own."""

from __future__ import annotations

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, CloudCXError
from ._response import describe_url

__all__ = ["translate_transport_error"]


def translate_transport_error(exc: httpx.HTTPError, request: httpx.Request | None) -> CloudCXError:
    """Map an httpx exception raised while sending `request` to a `CloudCXError`."""
    method = request.method if request is not None else None
    url = describe_url(request.url) if request is not None else None
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"the request timed out ({type(exc).__name__})", method=method, url=url
        )
    return APIConnectionError(
        f"the connection failed ({type(exc).__name__})", method=method, url=url
    )
