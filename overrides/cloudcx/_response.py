"""From an HTTP response to a typed result or a typed error.

The generated models build attrs objects but trust the body's types; this module checks the
shape the spec promises first (required fields present, each of its type), so that a broken
body becomes an `InvalidResponseError` instead of a `KeyError` deep inside, or a wrong-typed
value that fails later in the caller's code.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from cloudcx_openapi.models.user_page import UserPage
from cloudcx_openapi.models.user_page_envelope import UserPageEnvelope

from ._exceptions import (
    APIError,
    AuthenticationError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from ._retry import parse_retry_after

__all__ = ["decode_user_page", "describe_url", "invalid_response", "raise_for_status"]

SUCCESS_CODE = "0000"
_EXCERPT_BYTES = 200
_SECRET_FIELDS = re.compile(
    r"""(?ix)
    ("(?:access_token|refresh_token|id_token|password|client_secret|api_key|apikey|token)"
      \s*:\s*")[^"]*(")
    |((?:access_token|refresh_token|password|client_secret|api_key)=)[^&\s]*
    |(bearer\s+)[A-Za-z0-9._~+/=-]+
    """
)
_SECRET_QUERY_KEYS = frozenset(
    {"access_token", "refresh_token", "password", "client_secret", "api_key", "apikey", "token"}
)


def _mask_match(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}***{match.group(2)}"
    if match.group(3) is not None:
        return f"{match.group(3)}***"
    return f"{match.group(4)}***"


def mask_secrets(text: str) -> str:
    """Mask values that look like credentials: token fields, form secrets, bearer values."""
    return _SECRET_FIELDS.sub(_mask_match, text)


def describe_url(url: httpx.URL) -> str:
    """The URL for messages: no user-info, and secret-looking query values masked."""
    clean = url.copy_with(username=None, password=None) if url.userinfo else url
    if not clean.query:
        return str(clean)
    params = [
        (key, "***" if key.lower() in _SECRET_QUERY_KEYS else value)
        for key, value in clean.params.multi_items()
    ]
    return str(clean.copy_with(params=params))


def invalid_response(
    response: httpx.Response, reason: str, *, mask_body: bool = False
) -> InvalidResponseError:
    """Build an `InvalidResponseError` describing `response`, its body excerpt masked.

    With `mask_body`, the excerpt is withheld entirely (for token responses, whose body may hold
    a credential in a shape no pattern anticipates).
    """
    try:
        raw = response.content[:_EXCERPT_BYTES]
    except httpx.ResponseNotRead:
        raw = b""
    excerpt = "" if mask_body else mask_secrets(raw.decode("utf-8", errors="replace"))
    return InvalidResponseError(
        reason,
        status_code=response.status_code,
        content_type=response.headers.get("content-type"),
        body_excerpt=excerpt,
        method=response.request.method,
        url=describe_url(response.request.url),
    )


def _json(response: httpx.Response) -> Any:
    content_type = response.headers.get("content-type", "")
    if "html" in content_type.lower():
        raise invalid_response(response, "the server answered with an HTML page, not JSON")
    try:
        return response.json()
    # RecursionError: a hostile body nested deeper than the parser's stack.
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise invalid_response(response, "the body is not valid JSON") from exc


def _envelope_message(body: Any) -> tuple[str | None, str | None]:
    if not isinstance(body, dict):
        return None, None
    code, message = body.get("code"), body.get("message")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) else None,
    )


def _retry_after(response: httpx.Response) -> float | None:
    return parse_retry_after(response.headers.get("retry-after"))


def raise_for_status(response: httpx.Response) -> None:
    """Raise the typed error for a non-2xx response; return quietly for a 2xx."""
    status = response.status_code
    if 200 <= status < 300:
        return
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError, RecursionError):
        body = None
    code, message = _envelope_message(body)
    where = {"method": response.request.method, "url": describe_url(response.request.url)}
    text = message or f"HTTP {status} {response.reason_phrase}".strip()
    if status == 401:
        raise AuthenticationError(
            f"the API refused the credentials: {text}", status_code=status, error=code, **where
        )
    if status == 403:
        raise PermissionDeniedError(text, code=code, status_code=status, **where)
    if status == 404:
        raise NotFoundError(text, code=code, status_code=status, **where)
    if status == 429:
        raise RateLimitError(
            text, retry_after=_retry_after(response), code=code, status_code=status, **where
        )
    if status >= 500:
        raise ServerError(text, code=code, status_code=status, **where)
    if body is None and not (400 <= status < 500):
        raise invalid_response(response, f"unexpected HTTP status {status}")
    raise APIError(text, code=code, status_code=status, **where)


_PAGE_INTS = ("totalPages", "totalElements", "size", "number", "numberOfElements")
_USER_STRINGS = ("id", "loginCode", "firstName", "lastName", "email")
_USER_NULLABLE = ("phoneNumber", "uniqueCode")


def _shape_error(data: Any) -> str | None:
    """Describe the first way `data` breaks the UserPage schema, or return None if it fits."""
    if not isinstance(data, dict):
        return "data is not an object"
    for name in _PAGE_INTS:
        value = data.get(name)
        if name not in data:
            return f"data.{name} is missing"
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"data.{name} is not a non-negative integer"
    content = data.get("content")
    if not isinstance(content, list):
        return "data.content is missing or not a list"
    for index, user in enumerate(content):
        where = f"data.content[{index}]"
        if not isinstance(user, dict):
            return f"{where} is not an object"
        for name in _USER_STRINGS:
            if not isinstance(user.get(name), str):
                return f"{where}.{name} is missing or not a string"
        for name in _USER_NULLABLE:
            if name not in user:
                return f"{where}.{name} is missing"
            if user[name] is not None and not isinstance(user[name], str):
                return f"{where}.{name} is not a string or null"
        roles = user.get("roles")
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            return f"{where}.roles is missing or not a list of strings"
    return None


def decode_user_page(response: httpx.Response) -> UserPage:
    """Decode a `listUsers` response into its typed page, or raise the matching typed error."""
    status = response.status_code
    body = _json(response) if 200 <= status < 300 else None
    if body is None:
        raise_for_status(response)
        raise invalid_response(response, "the body is empty")
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        raise invalid_response(response, "the body is not a CloudCX envelope (no string `code`)")
    if body["code"] != SUCCESS_CODE:
        code, message = _envelope_message(body)
        raise APIError(
            message or "the API reported an error",
            code=code,
            status_code=status,
            method=response.request.method,
            url=describe_url(response.request.url),
        )
    problem = _shape_error(body.get("data"))
    if problem is not None:
        raise invalid_response(response, f"the page breaks the API's schema: {problem}")
    try:
        envelope = UserPageEnvelope.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise invalid_response(response, f"the page could not be decoded: {exc}") from exc
    if not isinstance(envelope.data, UserPage):
        raise invalid_response(response, "the page could not be decoded")
    return envelope.data
