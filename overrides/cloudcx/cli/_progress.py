"""A one-line progress indicator on stderr, drawn only when stderr is a terminal.

When stdout is the same terminal, rows and the indicator would mix; so the indicator is erased
before each batch of rows is written and drawn again after it.
"""

from __future__ import annotations

from typing import TextIO

__all__ = ["Progress"]

_ERASE = "\r\x1b[K"


class Progress:
    """Shows `fetched page 2/3, 50/60 users` while pages arrive; silent when not on a tty."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.enabled = stream.isatty()
        self._shown = False

    def show(self, page: int, pages: int, fetched: int, total: int) -> None:
        """Draw the indicator for `page` of `pages`, `fetched` of `total` users so far."""
        if not self.enabled:
            return
        self._stream.write(f"{_ERASE}fetched page {page}/{pages}, {fetched}/{total} users")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        """Erase the indicator, if drawn, so that other output starts on a clean line."""
        if self._shown:
            self._stream.write(_ERASE)
            self._stream.flush()
            self._shown = False
