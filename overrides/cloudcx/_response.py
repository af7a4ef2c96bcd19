"""From an HTTP response to a typed result or a typed error.

The generated models check the shape the spec promises (required fields present, each of its
type: see generator/templates/); this module turns their refusal into an `InvalidResponseError`
that names the field, instead of a `KeyError` deep inside, or a wrong-typed value that fails
later in the caller's code.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from cloudcx_openapi.models.user import User
from cloudcx_openapi.models.user_page import UserPage

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


_PAGE_COUNTS = ("totalPages", "totalElements", "size", "number", "numberOfElements")
# What a generated `from_dict` raises on a body that breaks the schema: a missing field
# (KeyError), a wrong-typed one (TypeError) or a malformed UUID (ValueError).
_DECODE_ERRORS = (KeyError, TypeError, ValueError)


def _reason(where: str, exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{where}.{exc.args[0]} is missing"
    return f"{where}: {exc}"


def _shape_error(data: Any, exc: Exception) -> str:
    """Say where `data` breaks the UserPage schema, once the generated decoder has refused it.

    The generated `from_dict` checks every field (required, typed) and names the field, but not
    which user of the page it was in; finding that again costs nothing on the success path.
    """
    content = data.get("content")
    if isinstance(content, list):
        for index, user in enumerate(content):
            where = f"data.content[{index}]"
            if not isinstance(user, dict):
                return f"{where} is not an object"
            try:
                User.from_dict(user)
            except _DECODE_ERRORS as user_exc:
                return _reason(where, user_exc)
    return _reason("data", exc)


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
    # The envelope's own generated decoder would swallow a broken page and keep the raw dict,
    # so the page is decoded directly: its generated `from_dict` is strict (see
    # generator/templates/cloudcx_from_dict.jinja).
    data = body.get("data")
    if not isinstance(data, dict):
        raise invalid_response(response, "the page breaks the API's schema: data is not an object")
    try:
        page = UserPage.from_dict(data)
    except _DECODE_ERRORS as exc:
        problem = _shape_error(data, exc)
        raise invalid_response(response, f"the page breaks the API's schema: {problem}") from exc
    # `minimum: 0` is the one constraint the generated checks do not carry.
    counts = (
        page.total_pages,
        page.total_elements,
        page.size,
        page.number,
        page.number_of_elements,
    )
    if min(counts) < 0:
        name = next(name for name, count in zip(_PAGE_COUNTS, counts, strict=True) if count < 0)
        raise invalid_response(
            response, f"the page breaks the API's schema: data.{name} is not a non-negative integer"
        )
    return page
