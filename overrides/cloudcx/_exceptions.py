"""Every error the client raises, in one hierarchy.

No other exception escapes a public call: transport failures, undecodable bodies and
configuration mistakes are all translated into a subclass of `CloudCXError`, with the original
exception chained as `__cause__`. Messages never contain secrets: URLs are shown without their
secret parameters (path and query), and bodies are masked before they are quoted.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "ClientClosedError",
    "CloudCXError",
    "ConfigurationError",
    "InsecureTransportError",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "request_id_from",
]

#: The response headers a server names its request id in, most specific first.
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id")
# An id is quoted to support staff: a header longer than this is not one.
_MAX_REQUEST_ID = 200


def request_id_from(headers: Mapping[str, str]) -> str | None:
    """The server's id for a request, from its response headers, if it sent a usable one.

    Only printable ASCII without spaces, at most 200 characters, is kept: the value is the
    server's, and it goes into messages and logs.
    """
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value is not None:
            value = value.strip()
            if 0 < len(value) <= _MAX_REQUEST_ID and value.isascii() and value.isprintable():
                return value if " " not in value else None
    return None


class CloudCXError(Exception):
    """Base class of every error raised by the cloudcx client."""


class ConfigurationError(CloudCXError, ValueError):
    """The client was configured wrongly: a missing, contradictory or malformed setting."""


class ClientClosedError(ConfigurationError):
    """The client was used after `close()` (or after its `with` block ended)."""


class InsecureTransportError(ConfigurationError):
    """Credentials would travel over plain HTTP to a host that is not loopback.

    Pass `allow_insecure_http=True` to the client to opt in explicitly.
    """


class APIError(CloudCXError):
    """The server answered, and the answer is an error.

    Raised as is for an envelope whose `code` is not `"0000"`; subclasses cover HTTP statuses
    with a meaning of their own.

    Attributes:
        message: What went wrong, as the server put it (or a description of the status).
        code: The envelope's error code (or the OAuth `error` for token errors), if any.
        status_code: The HTTP status of the response.
        method: The request's HTTP method.
        url: The request's URL, without credentials.
        request_id: The server's id for the request (`x-request-id` or `request-id` response
            header), if it sent one: quote it when asking the API's support about a failure.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.message = message
        self.code = code
        self.status_code = status_code
        self.method = method
        self.url = url
        self.request_id = request_id
        super().__init__(self._describe())

    def _describe(self) -> str:
        parts = [self.message]
        if self.code is not None:
            parts.append(f"code={self.code}")
        if self.status_code is not None:
            parts.append(f"status={self.status_code}")
        if self.method is not None and self.url is not None:
            parts.append(f"request={self.method} {self.url}")
        if self.request_id is not None:
            parts.append(f"request_id={self.request_id}")
        return " | ".join(parts)


class AuthenticationError(APIError):
    """Authentication failed: the token request was refused, or a 401 survived a token refresh.

    Attributes:
        error: The OAuth error code, if known: RFC 6749 §5.2 (`invalid_grant`,
            `invalid_client`, ...) for a refused token request, RFC 6750 §3.1 (`invalid_token`,
            from the `WWW-Authenticate` challenge) for a 401 from the API.
        error_description: The server's human-readable detail, if any (known secrets masked).
        code: The API envelope's error code for a 401 from the API; for a refused token
            request, the same as `error`.
    """

    def __init__(
        self,
        message: str,
        *,
        error: str | None = None,
        error_description: str | None = None,
        code: str | None = None,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.error = error
        self.error_description = error_description
        super().__init__(
            message,
            code=code if code is not None else error,
            status_code=status_code,
            method=method,
            url=url,
            request_id=request_id,
        )


class PermissionDeniedError(APIError):
    """HTTP 403: the credentials are valid but may not do this."""


class NotFoundError(APIError):
    """HTTP 404: no such resource (or the base URL points at the wrong place)."""


class RateLimitError(APIError):
    """HTTP 429, after retries: the server asks the client to slow down.

    Attributes:
        retry_after: Seconds the server asked to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        retry_after: float | None = None,
        code: str | None = None,
        status_code: int | None = 429,
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(
            message,
            code=code,
            status_code=status_code,
            method=method,
            url=url,
            request_id=request_id,
        )


class ServerError(APIError):
    """HTTP 5xx, after retries: the server failed."""


class APIConnectionError(CloudCXError):
    """The request did not get an answer: the connection failed, was reset, or broke off.

    Attributes:
        method: The request's HTTP method.
        url: The request's URL, without credentials.
    """

    def __init__(self, message: str, *, method: str | None = None, url: str | None = None) -> None:
        self.message = message
        self.method = method
        self.url = url
        where = f" | request={method} {url}" if method and url else ""
        super().__init__(f"{message}{where}")


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool), after retries.

    Attributes:
        deadline_passed: True when the call's overall deadline (`RetryPolicy.deadline`) ended
            the wait, False when one of the request's own timeouts did: the endpoint was slow
            within a bound of its own, and another call with time left would meet the same.
    """

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        deadline_passed: bool = False,
    ) -> None:
        super().__init__(message, method=method, url=url)
        self.deadline_passed = deadline_passed


class InvalidResponseError(CloudCXError):
    """The server's answer could not be understood.

    The body is not JSON, is an HTML page, is truncated, or breaks the shape the API
    description promises.

    Attributes:
        reason: What is wrong with the body.
        status_code: The HTTP status of the response.
        content_type: The response's Content-Type header, if any.
        body_excerpt: The first 200 bytes of the body, decoded leniently, secrets masked.
        method: The request's HTTP method.
        url: The request's URL, without credentials.
        request_id: The server's id for the request, if it sent one (see `APIError`).
    """

    def __init__(
        self,
        reason: str,
        *,
        status_code: int | None = None,
        content_type: str | None = None,
        body_excerpt: str = "",
        method: str | None = None,
        url: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.request_id = request_id
        self.reason = reason
        self.status_code = status_code
        self.content_type = content_type
        self.body_excerpt = body_excerpt
        self.method = method
        self.url = url
        detail = [reason]
        if status_code is not None:
            detail.append(f"status={status_code}")
        if content_type:
            detail.append(f"content-type={content_type}")
        if method and url:
            detail.append(f"request={method} {url}")
        if request_id is not None:
            detail.append(f"request_id={request_id}")
        if body_excerpt:
            detail.append(f"body={body_excerpt!r}")
        super().__init__(" | ".join(detail))
