"""The one fake clock of the suite: time moves only when a test or a sleep moves it."""

from __future__ import annotations

from typing import Any

from cloudcx import RetryPolicy

__all__ = ["FakeClock"]


class FakeClock:
    """A monotonic clock that a test advances by hand and that sleeps without waiting.

    Call it for the time (it is the `clock=` of the clients and of `RetryPolicy`); `advance`
    moves it; `sleep`/`async_sleep` record each wait in `sleeps` and move it by that much, so
    tests check the real waits (0.5 s, 1 s, a `Retry-After`) without spending them.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`."""
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the clock by it, at once."""
        self.sleeps.append(seconds)
        self.advance(seconds)

    async def async_sleep(self, seconds: float) -> None:
        """`sleep`, awaited."""
        self.sleep(seconds)

    def policy(self, **overrides: Any) -> RetryPolicy:
        """The default policy (jitter pinned to its upper bound), waiting on this clock."""
        settings: dict[str, Any] = {
            "jitter": lambda upper: upper,
            "sleep": self.sleep,
            "async_sleep": self.async_sleep,
            "clock": self,
        }
        settings.update(overrides)
        return RetryPolicy(**settings)
