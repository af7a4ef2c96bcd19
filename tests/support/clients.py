"""Client builders for the simulator, a log capture, the text an error shows, a server thread."""

from __future__ import annotations

import logging
import socketserver
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, TypedDict

from cloudcx import AsyncCloudCX, CloudCX
from cloudcx.testing import Simulator

SimFactory = Callable[..., Simulator]
Auth = Literal["api_key", "password"]


class PasswordArgs(TypedDict, total=False):
    """Keyword arguments of the clients for the password grant."""

    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    username: str
    password: str


def password_kwargs(sim: Simulator) -> PasswordArgs:
    """Client arguments for the password grant against `sim`."""
    return {
        "base_url": sim.base_url,
        "token_url": sim.token_url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
    }


def grant_kwargs(sim: Simulator, **overrides: Any) -> dict[str, Any]:
    """Password-grant constructor arguments for `sim`, with `overrides` applied."""
    kwargs: dict[str, Any] = dict(password_kwargs(sim))
    kwargs.update(overrides)
    return kwargs


def credentials(sim: Simulator, auth: Auth = "api_key") -> dict[str, Any]:
    """Keyword arguments that point a client at `sim` with the chosen way to authenticate."""
    if auth == "api_key":
        return {"base_url": sim.base_url, "api_key": sim.api_key}
    return grant_kwargs(sim)


@contextmanager
def sync_client(sim: Simulator, **overrides: Any) -> Iterator[CloudCX]:
    with CloudCX(**grant_kwargs(sim, **overrides)) as cx:
        yield cx


def async_client(sim: Simulator, **overrides: Any) -> AsyncCloudCX:
    return AsyncCloudCX(**grant_kwargs(sim, **overrides))


def grant_types(sim: Simulator) -> list[str]:
    """The grant_type of every token request the simulator received, in order."""
    return [(r.form or {}).get("grant_type", "?") for r in sim.requests if r.path == "/oauth/token"]


class LogCapture(logging.Handler):
    """Keeps the formatted text of every record, at every level."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []
        self._ids: set[int] = set()
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        # The handler sits on several loggers of one hierarchy: keep each record once.
        if id(record) in self._ids:
            return
        self._ids.add(id(record))  # records are kept, so their ids stay unique
        self.records.append(record)
        text = self.format(record)
        if record.exc_info:
            text += self.formatter.formatException(record.exc_info) if self.formatter else ""
        self.lines.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def error_text(exc: BaseException) -> str:
    """Everything an exception shows: str, repr, args and attributes, along its chain."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        parts += [str(seen), repr(seen), repr(seen.args), repr(vars(seen))]
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


def chain_text(error: BaseException) -> str:
    """The error's traceback along its whole chain, and its repr: what a user may be shown."""
    return "".join(traceback.format_exception(error)) + repr(error)


@contextmanager
def serving(server: socketserver.BaseServer) -> Iterator[str]:
    """Run a loopback test server on a thread; yield its base URL; stop and close it after."""
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        address = server.server_address
        assert isinstance(address, tuple)
        yield f"http://{address[0]!s}:{address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=30)
