"""Translation of httpx's exceptions into the client's own, at the public call's edge."""

from __future__ import annotations

from typing import NoReturn

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, CloudCXError
from ._response import KNOWN_SECRETS_EXTENSION, describe_url, invalid_response
from ._transport import ATTEMPTS_EXTENSION

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


def scrub_request(request: httpx.Request | None) -> None:
    """Take the credentials off a request that failed for good.

    The httpx exception chained to the client's error keeps the request (`exc.request`), and a
    traceback keeps it in its frames: without this, its `Authorization` header, or a token
    request's form with the password and the client secret, would ride along in clear.
    """
    if request is None:
        return
    request.headers.pop("Authorization", None)
    if request.extensions.get(KNOWN_SECRETS_EXTENSION) and request.method == "POST":
        request.stream = httpx.ByteStream(b"")
        request._content = b""


def translate_transport_error(exc: httpx.HTTPError, request: httpx.Request | None) -> CloudCXError:
    """Map an httpx exception raised while sending `request` to a `CloudCXError`.

    The request's credentials are scrubbed (`scrub_request`): it is not sent again.
    """
    scrub_request(request)
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
    scrub_request(response.request)
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
    error = translate_transport_error(exc, request)
    if not isinstance(exc, LOCAL_SEND_ERRORS):
        raise error from exc
    try:
        raise error from None
    finally:
        # Not even as `__context__` (which `from None` only hides): it quotes the header.
        error.__context__ = None
