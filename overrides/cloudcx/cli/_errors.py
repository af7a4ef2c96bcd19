"""Exit codes, and the one line on stderr that reports an error."""

from __future__ import annotations

import sys
import traceback
from typing import TextIO

from .._exceptions import (
    APIConnectionError,
    AuthenticationError,
    CloudCXError,
    ConfigurationError,
)
from ._visible import visible

__all__ = [
    "EXIT_API",
    "EXIT_AUTH",
    "EXIT_NETWORK",
    "EXIT_OK",
    "EXIT_USAGE",
    "exit_code",
    "print_traceback",
    "report",
    "visible_lines",
]

EXIT_OK = 0
EXIT_API = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NETWORK = 4


def exit_code(error: CloudCXError) -> int:
    """The exit code for `error`: 1 API/server, 2 usage/configuration, 3 auth, 4 network."""
    # AuthenticationError is an APIError: test it first.
    if isinstance(error, AuthenticationError):
        return EXIT_AUTH
    if isinstance(error, ConfigurationError):
        return EXIT_USAGE
    if isinstance(error, APIConnectionError):
        return EXIT_NETWORK
    # APIError, InvalidResponseError: the server answered, and the answer is an error.
    return EXIT_API


_KINDS = {
    EXIT_API: "API error",
    EXIT_USAGE: "configuration error",
    EXIT_AUTH: "authentication failed",
    EXIT_NETWORK: "network error",
}


def visible_lines(text: str) -> str:
    """`text` with the control characters of each line shown, not obeyed; line breaks kept."""
    return "\n".join(visible(line) for line in text.split("\n"))


def print_traceback(error: BaseException, stream: TextIO | None = None) -> None:
    """Print `error`'s traceback (--debug), control characters shown, not obeyed.

    A message may quote the server, whose escape sequences would otherwise reach the terminal.
    """
    text = "".join(traceback.format_exception(error))
    (stream or sys.stderr).write(visible_lines(text))


def report(error: CloudCXError, *, debug: bool, stream: TextIO | None = None) -> int:
    """Print `error` as one line (after its traceback with `debug`); return its exit code."""
    stream = stream or sys.stderr
    code = exit_code(error)
    if debug:
        print_traceback(error, stream)
    # Messages of the client's errors hold no secrets; a multi-line one is folded onto one line.
    # They may quote the server, whose control characters (ESC...) are shown, not obeyed.
    message = visible(" ".join(str(error).split()))
    print(f"cloudcx: {_KINDS[code]}: {message}", file=stream)
    return code
