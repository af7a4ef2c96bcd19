"""A string type for secrets that cannot leak through a repr, a log line or an f-string."""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

__all__ = ["REDACTED", "Secret", "header_safe", "mask", "redact"]

_MASK = "**********"


class Secret:
    """Holds a secret value; `str()`, `repr()` and formatting all show a mask.

    The value is only reachable through `get_secret_value()`, so that every place that really
    needs it is explicit and easy to audit.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            raise TypeError(f"a secret must be a str, not {type(value).__name__}")
        self._value = value

    def get_secret_value(self) -> str:
        """Return the secret itself. Never log or print the result."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __copy__(self) -> Secret:
        return self  # immutable: copying (dataclasses, copy.deepcopy) must not need pickling

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling a secret would write it out in clear; refuse rather than surprise.
        raise TypeError("Secret values cannot be pickled")


def mask(value: str, *, keep: int = 4) -> str:
    """Return a display form of a secret: its last `keep` characters, the rest starred."""
    if len(value) <= keep * 2:
        return _MASK
    return "*" * 6 + value[-keep:]


REDACTED = "***"
"""What `redact` puts in place of a known secret."""


def _forms(value: str) -> set[str]:
    """The shapes a server may echo a secret in: as is, JSON-escaped, percent-encoded."""
    return {
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        quote(value, safe=""),
        quote(value),
        quote_plus(value),
    }


def redact(text: str, secrets: Iterable[Secret | None]) -> str:
    """Replace every occurrence of each of `secrets`' values in `text` with `***`.

    For server text the client quotes (an `error_description`, an envelope message, a body
    excerpt, a redirect target): a server may echo a credential the client sent, in a shape no
    pattern foresees, but the client knows its own secrets. Each is masked as is, JSON-escaped
    and percent-encoded; longer forms go first, so that a secret containing another is masked
    whole.
    """
    values = sorted(
        {
            form
            for secret in secrets
            if secret is not None and secret
            for form in _forms(secret.get_secret_value())
        },
        key=len,
        reverse=True,
    )
    for value in values:
        text = text.replace(value, REDACTED)
    return text


def header_safe(value: str) -> bool:
    """True if `value` can travel as `Bearer <value>`: printable ASCII, no space or line break.

    (RFC 6750's token68 is stricter still.) A value that fails would make httpx refuse the
    request with an error quoting the header, and so the secret, in clear.
    """
    return all("!" <= char <= "~" for char in value)
