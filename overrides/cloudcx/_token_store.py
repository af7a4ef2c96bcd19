"""Keeping tokens between runs: the `TokenStore` protocol and a JSON file implementation.

A store maps a key (see `token_store_key`: one per token URL, OAuth client and user, so that two
accounts never share a token) to the latest `Token`. The client loads a still-valid token from
it before asking the server for one, and saves every new token to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from ._config import check_token_store_path
from ._exceptions import ConfigurationError
from ._oauth import Token

try:  # POSIX only: serialises read-modify-write between processes (two CLI runs at once).
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = ["FileTokenStore", "TokenStore", "default_token_path", "token_store_key"]

log = logging.getLogger("cloudcx.auth")

_FILE_MODE = 0o600
_DIR_MODE = 0o700
_FORMAT_VERSION = 1


@runtime_checkable
class TokenStore(Protocol):
    """Where a client keeps its tokens between runs.

    Implementations must be safe to call from several threads. The client calls `load` before
    its first token request and `save` after every new token; an exception from either is
    logged (without secrets) and otherwise ignored, so a broken store never fails a call.
    """

    def load(self, key: str) -> Token | None:
        """Return the token saved under `key`, or `None`."""
        ...

    def save(self, key: str, token: Token) -> None:
        """Save `token` under `key`, replacing any earlier one."""
        ...

    def delete(self, key: str) -> None:
        """Forget the token saved under `key`, if any."""
        ...


def token_store_key(token_url: str, client_id: str, username: str) -> str:
    """The store key for one account: a SHA-256 of the token URL, client ID and username.

    Stable across runs and machines; it reveals none of the three values.

    Example:
        >>> len(token_store_key("https://cx.example.net/oauth/token", "client", "alice"))
        64
    """
    material = "\0".join(("cloudcx-token-v1", token_url.rstrip("/"), client_id, username))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def default_token_path() -> Path:
    """`$XDG_CACHE_HOME/cloudcx/tokens.json`, else `~/.cache/cloudcx/tokens.json`."""
    cache = os.environ.get("XDG_CACHE_HOME")
    base = Path(cache) if cache and os.path.isabs(cache) else Path.home() / ".cache"
    return base / "cloudcx" / "tokens.json"


class FileTokenStore:
    """A `TokenStore` in one JSON file, readable by its owner only.

    Every write goes to a temporary file in the same directory (created 0600) that then
    replaces the store with `os.replace`, so a reader sees the old or the new file, never a
    partial one, and the file is never readable by others. The directory is created 0700. A
    missing, corrupt or unreadable file reads as empty (logged at DEBUG), never as an error.

    Args:
        path: The file; by default `$XDG_CACHE_HOME/cloudcx/tokens.json`, else
            `~/.cache/cloudcx/tokens.json`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = check_token_store_path(path if path is not None else default_token_path())
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"FileTokenStore(path={str(self.path)!r})"

    def load(self, key: str) -> Token | None:
        """Return the token saved under `key`, or `None` (also when the file is unusable)."""
        with self._lock:
            entry = self._read().get(key)
        if entry is None:
            return None
        try:
            return Token.from_dict(entry)
        except ConfigurationError as exc:
            log.debug("ignoring a malformed token in %s: %s", self.path, exc)
            return None

    def save(self, key: str, token: Token) -> None:
        """Save `token` under `key` (atomically, mode 0600)."""
        with self._lock, self._exclusive():
            entries = self._read()
            entries[key] = token.to_dict()
            self._write(entries)

    def delete(self, key: str) -> None:
        """Forget the token saved under `key`, if any."""
        with self._lock, self._exclusive():
            entries = self._read()
            if entries.pop(key, None) is not None:
                self._write(entries)

    def _read(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.debug("token store %s is unreadable (%s); treating it as empty", self.path, exc)
            return {}
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: nested too deep. No exception text: a decoding error may quote
            # the file's content.
            log.debug("token store %s is not valid JSON; treating it as empty", self.path)
            return {}
        tokens = data.get("tokens") if isinstance(data, dict) else None
        if not isinstance(tokens, dict):
            log.debug("token store %s has an unknown layout; treating it as empty", self.path)
            return {}
        return tokens

    def _write(self, entries: dict[str, Any]) -> None:
        directory = self.path.parent
        directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        payload = json.dumps({"version": _FORMAT_VERSION, "tokens": entries}, indent=1)
        # mkstemp creates the file 0600 from the start: no moment where it is world-readable.
        fd, temp = tempfile.mkstemp(dir=directory, prefix=".tokens-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temp, _FILE_MODE)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """Hold an advisory lock beside the file, so concurrent processes do not lose writes."""
        if fcntl is None:  # pragma: no cover - Windows
            yield
            return
        directory = self.path.parent
        directory.mkdir(mode=_DIR_MODE, parents=True, exist_ok=True)
        fd = os.open(
            self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, _FILE_MODE
        )
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
