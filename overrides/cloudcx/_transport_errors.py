"""Translation of httpx's exceptions into the client's own, at the public call's edge."""

from __future__ import annotations

from typing import NoReturn

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, CloudCXError
from ._response import describe_url, invalid_response
from ._retry import ATTEMPTS_EXTENSION

__all__ = [
    "LOCAL_SEND_ERRORS",
    "raise_send_failure",
    "translate_body_error",
    "translate_transport_error",
]


def _attempts(request: httpx.Request | None) -> str:
    count = request.extensions.get(ATTEMPTS_EXTENSION) if request is not None else None
    if not isinstance(count, int) or count < 2:
        return ""
    return f" after {count} attempts"


def translate_transport_error(exc: httpx.HTTPError, request: httpx.Request | None) -> CloudCXError:
    """Map an httpx exception raised while sending `request` to a `CloudCXError`."""
    method = request.method if request is not None else None
    url = describe_url(request.url) if request is not None else None
    tries = _attempts(request)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"the request timed out ({type(exc).__name__}){tries}", method=method, url=url
        )
    if isinstance(exc, httpx.TransportError):
        return APIConnectionError(
            f"the connection failed ({type(exc).__name__}){tries}", method=method, url=url
        )
    # Not a network failure: a redirect loop, a stream used twice, a URL httpx refused.
    return APIConnectionError(
        f"the request could not be sent ({type(exc).__name__})", method=method, url=url
    )


def translate_body_error(exc: httpx.HTTPError, response: httpx.Response) -> CloudCXError:
    """Map an httpx exception raised while reading `response`'s body to a `CloudCXError`.

    A timeout is a timeout; anything else means the body broke off before its end (a
    truncated body), which is an answer that cannot be understood, not a lost request.
    """
    if isinstance(exc, httpx.TimeoutException):
        return translate_transport_error(exc, response.request)
    return invalid_response(
        response, f"the body broke off before its end, truncated ({type(exc).__name__})"
    )


# httpx errors raised before anything is sent, whose message may quote a header value (and so a
# credential): translated without chaining them.
LOCAL_SEND_ERRORS = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)


def raise_send_failure(exc: httpx.HTTPError, request: httpx.Request | None) -> NoReturn:
    """Raise the `CloudCXError` for a failed send, chaining `exc` only if it is safe to show.

    A local protocol error (an illegal header value...) may quote the header, so it is dropped
    from the chain (`from None`): no traceback can print a credential.
    """
    if isinstance(exc, LOCAL_SEND_ERRORS):
        raise translate_transport_error(exc, request) from None
    raise translate_transport_error(exc, request) from exc
