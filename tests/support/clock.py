"""Helpers shared by the retry, error and pagination tests: credentials and a fake clock."""

from __future__ import annotations

from typing import Any, Literal

from cloudcx import RetryPolicy
from cloudcx.testing import Simulator

Auth = Literal["api_key", "password"]


def credentials(sim: Simulator, auth: Auth = "api_key") -> dict[str, Any]:
    """Keyword arguments that point a client at `sim` with the chosen way to authenticate."""
    if auth == "api_key":
        return {"base_url": sim.base_url, "api_key": sim.api_key}
    return {
        "base_url": sim.base_url,
        "token_url": sim.token_url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
    }


class FakeTime:
    """A clock that only moves when the retry policy sleeps, recording every wait.

    Tests then check the real waits (0.5 s, 1 s, a `Retry-After`) without spending them.
    """

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def policy(self, **overrides: Any) -> RetryPolicy:
        """The default policy (jitter pinned to its upper bound), waiting on this fake time."""
        settings: dict[str, Any] = {
            "jitter": lambda upper: upper,
            "sleep": self.sleep,
            "async_sleep": self.async_sleep,
            "clock": self.clock,
        }
        settings.update(overrides)
        return RetryPolicy(**settings)
