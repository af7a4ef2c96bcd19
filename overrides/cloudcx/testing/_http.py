"""HTTP messages as the routes see them, and responses serialized in one piece."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

__all__ = ["Request", "Response", "envelope", "json_response", "oauth_error", "token_response"]

_REASONS = {status.value: status.phrase for status in HTTPStatus}
_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    """Return the ``Date`` header value, formatted at most once a second."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True))
    return _date_cache[1]


@dataclass(frozen=True)
class Request:
    """A parsed request: what the routes need, and what the request log records."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    #: Form fields in order, when the body is ``application/x-www-form-urlencoded``.
    form_pairs: list[tuple[str, str]] | None

    @property
    def form(self) -> dict[str, str] | None:
        """The form fields, first value of each, or ``None`` when the body is no form."""
        if self.form_pairs is None:
            return None
        form: dict[str, str] = {}
        for name, value in self.form_pairs:
            form.setdefault(name, value)
        return form


@dataclass(frozen=True)
class Response:
    """A complete response; :meth:`encode` turns it into the bytes of a single send."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = ()

    def head(self, *, close: bool) -> bytes:
        """Return the status line and headers, ending with the blank line."""
        reason = _REASONS.get(self.status, "Unknown")
        lines = [
            f"HTTP/1.1 {self.status} {reason}",
            "Server: cloudcx-simulator",
            f"Date: {_http_date()}",
            f"Content-Type: {self.content_type}",
            f"Content-Length: {len(self.body)}",
        ]
        lines.extend(f"{name}: {value}" for name, value in self.headers)
        if close:
            lines.append("Connection: close")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def encode(self, *, close: bool, head_only: bool = False) -> bytes:
        """Return the whole response (only its head for a ``HEAD`` request)."""
        start = self.head(close=close)
        return start if head_only else start + self.body


def json_response(status: int, value: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    """Return a JSON response."""
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(status, body, "application/json", headers)


def envelope(
    status: int, code: str, message: str | None, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """Return the API's error envelope ``{"code", "message", "data": null}``."""
    return json_response(status, {"code": code, "message": message, "data": None}, headers)


_NO_STORE = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))


def oauth_error(
    status: int, error: str, description: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    """Return an RFC 6749 §5.2 error response (never cached)."""
    body = {"error": error, "error_description": description}
    return json_response(status, body, _NO_STORE + headers)


def token_response(value: dict[str, Any]) -> Response:
    """Return an RFC 6749 §5.1 token response (never cached)."""
    return json_response(200, value, _NO_STORE)
