"""Text from the server made safe to write to a terminal: control characters shown, not obeyed."""

from __future__ import annotations

__all__ = ["visible"]

# C0, DEL and C1: every code point a terminal may act on rather than show (ESC starts sequences
# that clear or rewrite the screen, retitle the window, or feign other output). Written out as
# Python writes them, "\\x1b".
_CONTROLS = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}


def visible(text: str) -> str:
    r"""`text` with every control character (C0, DEL, C1) written out as `\xNN`.

    For what a person reads on a terminal only (the table, an error line): machine formats keep
    the server's exact data.
    """
    return text.translate(_CONTROLS)
