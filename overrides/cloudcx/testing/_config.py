"""The simulator's settings, and the address and credentials a running one reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["Endpoint", "SimulatorConfig"]


@dataclass(frozen=True)
class SimulatorConfig:
    """How a simulator behaves; see :class:`cloudcx.testing.Simulator` for each setting."""

    users: int = 250
    token_ttl: float = 3599.0
    refresh_tokens: bool = False
    rotate_refresh_tokens: bool = False
    include_expires_in: bool = True
    jwt_tokens: bool = True
    public_client: bool = False
    separate_token_server: bool = False
    latency: float = 0.0
    host: str = "127.0.0.1"
    port: int = 0
    #: The users given as ``users=[...]``, completed; ``None`` for the deterministic directory.
    chosen_users: tuple[dict[str, Any], ...] | None = None
    operations: str | None = None

    def __post_init__(self) -> None:
        if self.users < 0:
            raise ValueError("users must be >= 0")
        if not self.token_ttl > 0:
            raise ValueError("token_ttl must be > 0")
        if self.latency < 0:
            raise ValueError("latency must be >= 0")
        if not 0 <= self.port <= 65535:
            raise ValueError("port must be between 0 and 65535")
        if self.rotate_refresh_tokens and not self.refresh_tokens:
            raise ValueError("rotate_refresh_tokens needs refresh_tokens=True")


@dataclass(frozen=True)
class Endpoint:
    """Where a running simulator listens, and the demo credentials it accepts."""

    base_url: str
    token_url: str
    api_key: str
    client_id: str
    client_secret: str
    username: str
    password: str

    def to_json(self) -> dict[str, str]:
        """Return the endpoint as a JSON-ready dict (the ``--json`` start-up line)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Endpoint:
        """Rebuild an endpoint from :meth:`to_json` output, ignoring unknown keys."""
        return cls(**{f.name: str(data[f.name]) for f in fields(cls)})
