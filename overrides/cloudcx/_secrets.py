"""A string type for secrets that cannot leak through a repr, a log line or an f-string."""

from __future__ import annotations

__all__ = ["Secret"]

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
