"""One event loop at a time per async client: a second one is refused at once, not left to hang.

An `AsyncCloudCX`'s connection pool and token lock belong to the loop that uses them; a request
from another loop while the first has requests in flight would wait on futures of a loop that
never wakes it, past every timeout.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ._exceptions import ConfigurationError

if TYPE_CHECKING:
    # Only the async client runs this module's code: the sync client, which imports it, must
    # not pay for loading asyncio.
    import asyncio

__all__ = ["LoopGuard"]


class LoopGuard:
    """Counts the requests in flight, and the loop they run on."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._active = 0
        self._mutex = threading.Lock()

    @contextmanager
    def entered(self) -> Iterator[None]:
        """Mark a request in flight on the running loop; refuse a second loop meanwhile.

        Raises:
            ConfigurationError: another event loop has requests in flight on this client.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        with self._mutex:
            if self._active and loop is not self._loop:
                raise ConfigurationError(
                    "this AsyncCloudCX is in use by another event loop at the same time: use "
                    "one client per event loop (or per thread that runs one)"
                )
            self._loop = loop
            self._active += 1
        try:
            yield
        finally:
            with self._mutex:
                self._active -= 1
