"""Everything a running simulator knows, and the control actions that change it.

:meth:`SimulatorState.control` is the one entry point for control actions: the in-process
:class:`~cloudcx.testing.Simulator` calls it directly and the ``/_simulator/...`` endpoints call
it for :class:`~cloudcx.testing.SimulatorProcess`, so both behave the same.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from typing import Any

from ._config import SimulatorConfig
from ._credentials import (
    DEMO_API_KEY,
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USER_EMAIL,
    DEMO_USERNAME,
)
from ._directory import SEED_USER, Directory
from ._faults import Fault, FaultQueue
from ._records import RecordedRequest
from ._tokens import TokenStore

__all__ = ["GET_ACTIONS", "MAX_RECORDED", "POST_ACTIONS", "ControlError", "SimulatorState"]

#: The request log keeps this many of the latest requests.
MAX_RECORDED = 100_000
#: Control actions that only read (``GET /_simulator/<action>``).
GET_ACTIONS = frozenset({"stats", "requests"})
#: Control actions that change something (``POST /_simulator/<action>``).
POST_ACTIONS = frozenset(
    {"reset", "revoke", "revoke-refresh", "faults", "clear-faults", "latency", "users"}
)


class ControlError(ValueError):
    """A control action was unknown or its arguments were malformed."""


def _count(payload: Mapping[str, Any], key: str) -> int:
    value = payload.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ControlError(f"{key!r} must be an integer >= 0")
    return value


class SimulatorState:
    """The directory, tokens, faults, counters and request log of one simulator."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.directory = Directory(config.users, config.chosen_users)
        self.tokens = TokenStore(ttl=config.token_ttl, jwt=config.jwt_tokens)
        self.faults = FaultQueue()
        self.latency = config.latency
        self.api_key = DEMO_API_KEY
        self.client_id = DEMO_CLIENT_ID
        self.client_secret = DEMO_CLIENT_SECRET
        self.username = DEMO_USERNAME
        self.password = DEMO_PASSWORD
        #: What the demo user may log in with: its login code or its e-mail address.
        self.logins = frozenset({DEMO_USERNAME, DEMO_USER_EMAIL})
        self.login_user_id = str(SEED_USER["id"])
        #: Set when the simulator stops; waits (latency, delays) end early on it.
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._counts = {"token": 0, "users": 0, "connections": 0}
        self._log: deque[RecordedRequest] = deque(maxlen=MAX_RECORDED)

    def count(self, route: str) -> None:
        """Count a request that reached ``route`` (or, as ``"connections"``, a new connection)."""
        with self._lock:
            self._counts[route] = self._counts.get(route, 0) + 1

    def record(self, entry: RecordedRequest) -> None:
        """Add ``entry`` to the request log."""
        with self._lock:
            self._log.append(entry)

    def pause(self, seconds: float) -> None:
        """Sleep ``seconds``, or less if the simulator stops meanwhile."""
        if seconds > 0:
            self.stopping.wait(seconds)

    def control(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        """Carry out a control action and return its JSON-ready result.

        Raises :class:`ControlError` for an unknown action or malformed arguments.
        """
        args: Mapping[str, Any] = payload or {}
        if action == "stats":
            return self._stats()
        if action == "requests":
            with self._lock:
                return [entry.to_json() for entry in self._log]
        if action == "reset":
            with self._lock:
                self._counts = dict.fromkeys(self._counts, 0)
                self._log.clear()
        elif action == "revoke":
            self.tokens.revoke_access()
        elif action == "revoke-refresh":
            self.tokens.revoke_refresh()
        elif action == "faults":
            self._inject(args)
        elif action == "clear-faults":
            self.faults.clear()
        elif action == "latency":
            seconds = args.get("seconds")
            if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
                raise ControlError("'seconds' must be a number >= 0")
            self.latency = float(seconds)
        elif action == "users":
            if "add" in args:
                self.directory.add(_count(args, "add"))
            if "remove" in args:
                self.directory.remove(_count(args, "remove"))
        else:
            raise ControlError(f"unknown control action {action!r}")
        return self._stats()

    def _inject(self, args: Mapping[str, Any]) -> None:
        fault = args.get("fault")
        if not isinstance(fault, Mapping):
            raise ControlError("'fault' must be an object")
        route = args.get("route")
        count = args.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool):
            raise ControlError("'count' must be an integer")
        try:
            self.faults.inject(Fault.from_json(fault), route, count)
        except ValueError as exc:
            raise ControlError(str(exc)) from None

    def _stats(self) -> dict[str, Any]:
        with self._lock:
            counts = dict(self._counts)
        return {
            "token_requests": counts["token"],
            "api_requests": counts["users"],
            "connections": counts["connections"],
            "access_tokens_issued": self.tokens.issued,
            "users": len(self.directory),
            "pending_faults": len(self.faults),
            "latency": self.latency,
        }
