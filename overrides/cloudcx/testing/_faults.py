"""Fault injection: what can go wrong, and the queue of faults waiting for requests."""

from __future__ import annotations

import copy
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from http import HTTPStatus
from typing import Any, Literal, get_args

from ._http import Response, envelope, oauth_error

__all__ = [
    "ROUTES",
    "Fault",
    "FaultKind",
    "FaultQueue",
    "Route",
    "alter_field",
    "fault_response",
]

#: The names of the simulated routes faults can target.
Route = Literal["users", "token"]
ROUTES: tuple[str, ...] = get_args(Route)

#: Every kind of fault.
FaultKind = Literal[
    "status",
    "reset",
    "delay",
    "truncated",
    "html",
    "missing_field",
    "wrong_type",
    "envelope_error",
    "not_json",
]
_KINDS: tuple[str, ...] = get_args(FaultKind)


@dataclass(frozen=True)
class Fault:
    """One thing that goes wrong with a request; build one with the class methods.

    A fault is taken by the first matching request after it was injected, before that request
    is authenticated or validated. Faults that alter a success body (``missing_field`` and
    ``wrong_type``) leave any other response as it is.
    """

    kind: FaultKind
    http_status: int = 200
    retry_after: int | str | None = None
    seconds: float = 0.0
    field: str = ""
    value: Any = None
    code: str = ""
    message: str = ""

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}")
        if not 100 <= self.http_status <= 599:
            raise ValueError(f"HTTP status out of range: {self.http_status}")
        if self.seconds < 0:
            raise ValueError("seconds must be >= 0")

    @classmethod
    def status(cls, code: int, retry_after: int | str | None = None) -> Fault:
        """Answer with HTTP status ``code`` and a small error body (``Retry-After`` if given)."""
        return cls("status", http_status=code, retry_after=retry_after)

    @classmethod
    def reset(cls) -> Fault:
        """Drop the connection with a TCP reset and send no response at all."""
        return cls("reset")

    @classmethod
    def delay(cls, seconds: float) -> Fault:
        """Wait ``seconds`` before answering normally."""
        return cls("delay", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """Send the normal headers (full ``Content-Length``) but half the body, then close."""
        return cls("truncated")

    @classmethod
    def html(cls, status: int = 502) -> Fault:
        """Answer with a reverse proxy's HTML error page (``Content-Type: text/html``)."""
        return cls("html", http_status=status)

    @classmethod
    def missing_field(cls, field: str = "totalPages") -> Fault:
        """Answer 200 with a success body lacking ``field`` (dotted path, e.g. ``content.0.id``).

        Paths resolve inside the envelope's ``data`` when their first part is a key of it
        (``totalPages``, ``content.0.email``), otherwise against the whole body (``code``,
        ``access_token``).
        """
        return cls("missing_field", field=field)

    @classmethod
    def wrong_type(cls, field: str = "totalPages", value: Any = "many") -> Fault:
        """Answer 200 with ``field`` (dotted path as in :meth:`missing_field`) set to ``value``."""
        return cls("wrong_type", field=field, value=value)

    @classmethod
    def envelope_error(
        cls, code: str = "5001", message: str = "internal error", http_status: int = 200
    ) -> Fault:
        """Answer ``{"code": code, "message": message, "data": null}`` with ``http_status``."""
        return cls("envelope_error", http_status=http_status, code=code, message=message)

    @classmethod
    def not_json(cls) -> Fault:
        """Answer 200 with ``Content-Type: application/json`` and a body that is not JSON."""
        return cls("not_json")

    def to_json(self) -> dict[str, Any]:
        """Return the fault as a JSON-ready dict (the control endpoint's format)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Fault:
        """Rebuild a fault from :meth:`to_json` output; raises ``ValueError`` when malformed."""
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValueError(f"malformed fault: {exc}") from None


def _parse_path(path: str) -> list[str | int]:
    return [int(part) if part.isdigit() else part for part in path.split(".")]


def alter_field(body: dict[str, Any], fault: Fault) -> dict[str, Any]:
    """Return a copy of ``body`` with ``fault.field`` removed or replaced, as the fault says.

    A path that does not exist leaves the body unchanged.
    """
    result = copy.deepcopy(body)
    parts = _parse_path(fault.field)
    data = result.get("data")
    node: Any = data if isinstance(data, dict) and parts[0] in data else result
    try:
        for part in parts[:-1]:
            node = node[part]
        last = parts[-1]
        if isinstance(node, dict) and last not in node:
            return result
        if fault.kind == "missing_field":
            del node[last]
        else:
            node[last] = fault.value
    except (KeyError, IndexError, TypeError):
        return copy.deepcopy(body)
    return result


@dataclass
class _Pending:
    fault: Fault
    route: str | None
    remaining: int


class FaultQueue:
    """Faults waiting for requests, taken first in, first out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: deque[_Pending] = deque()

    def inject(self, fault: Fault, route: str | None, count: int) -> None:
        """Queue ``fault`` for the next ``count`` requests to ``route`` (``None``: any route)."""
        if route is not None and route not in ROUTES:
            raise ValueError(f"unknown route {route!r}; expected one of {ROUTES} or None")
        if count < 1:
            raise ValueError("count must be >= 1")
        with self._lock:
            self._pending.append(_Pending(fault, route, count))

    def take(self, route: str) -> Fault | None:
        """Return the fault for this request to ``route``, if one is waiting."""
        with self._lock:
            for pending in self._pending:
                if pending.route is None or pending.route == route:
                    pending.remaining -= 1
                    if pending.remaining == 0:
                        self._pending.remove(pending)
                    return pending.fault
        return None

    def clear(self) -> None:
        """Drop every waiting fault."""
        with self._lock:
            self._pending.clear()

    def __len__(self) -> int:
        with self._lock:
            return sum(p.remaining for p in self._pending)


_HTML_PAGE = """<html>
<head><title>{status} {reason}</title></head>
<body>
<center><h1>{status} {reason}</h1></center>
<hr><center>nginx</center>
</body>
</html>
"""
_NOT_JSON = b"Service temporarily unavailable; please try again later.\n"


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _oauth_error_code(status: int) -> str:
    """Pick the RFC 6749 error code a token endpoint would use for ``status``."""
    if status == 401:
        return "invalid_client"
    if status in (429, 503):
        return "temporarily_unavailable"
    if status < 500:
        return "invalid_request"
    return "server_error"


def fault_response(fault: Fault, route: str) -> Response | None:
    """Return the response that replaces the normal one, or ``None`` if the fault has none.

    ``reset``, ``delay``, ``truncated``, ``missing_field`` and ``wrong_type`` act on the
    connection or on the normal response instead, so they give ``None``.
    """
    status = fault.http_status
    if fault.kind == "status":
        headers: tuple[tuple[str, str], ...] = ()
        if fault.retry_after is not None:
            headers += (("Retry-After", str(fault.retry_after)),)
        if route == "token":
            description = f"injected fault: {_reason(status)}"
            return oauth_error(status, _oauth_error_code(status), description, headers)
        if status == 401:
            headers += (("WWW-Authenticate", 'Bearer error="invalid_token"'),)
        return envelope(status, f"{status}0", _reason(status), headers)
    if fault.kind == "html":
        page = _HTML_PAGE.format(status=status, reason=_reason(status))
        return Response(status, page.encode(), "text/html")
    if fault.kind == "envelope_error":
        return envelope(status, fault.code, fault.message)
    if fault.kind == "not_json":
        return Response(200, _NOT_JSON, "application/json")
    return None
