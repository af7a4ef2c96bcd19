"""What the simulator remembers of each request it served."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """One request that reached a simulated route, and the status it was answered with.

    ``status`` is 0 when the simulator answered with no response at all (``Fault.reset()``).
    """

    #: The HTTP method, e.g. ``"GET"``.
    method: str
    #: The path without the query string, e.g. ``"/openapi/v2/user/page"``.
    path: str
    #: The query parameters, each with every value it was given.
    query: dict[str, list[str]]
    #: The request headers, names in lower case; repeated headers joined with ``", "``.
    headers: dict[str, str]
    #: The form fields of an ``application/x-www-form-urlencoded`` body (first value of
    #: each), or ``None`` when the body was not a form.
    form: dict[str, str] | None
    #: The HTTP status the simulator answered with (0: no response).
    status: int

    def to_json(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RecordedRequest:
        """Rebuild a record from :meth:`to_json` output."""
        return cls(**data)
