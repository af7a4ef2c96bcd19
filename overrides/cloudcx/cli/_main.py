"""`main()`: parse, dispatch to the command, and turn errors into exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence

from .._exceptions import CloudCXError
from ._commands import config_show, logout, token, users_list
from ._errors import EXIT_API, report
from ._operations import run_operation
from ._parser import build_parser
from ._settings import Settings, load_settings
from ._simulate import simulate
from ._visible import visible

__all__ = ["main"]

# Conventional shell codes for a run cut short by Ctrl+C or by the reader of a pipe going away.
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

_COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
    "users_list": users_list,
    "token": token,
    "logout": logout,
    "config_show": config_show,
    "operation": run_operation,
}


def _enable_debug_log() -> None:
    # The "cloudcx" logger only: it names requests by method and path. httpx's and httpcore's
    # loggers stay off, as they print full URLs (the keywords, maybe a person's name) and headers.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("cloudcx")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)


def _run(args: argparse.Namespace) -> int:
    if args.handler == "simulate":
        return simulate(args)
    flags = {
        "base_url": args.base_url,
        "token_url": args.token_url,
        "client_id": args.client_id,
        "username": args.username,
    }
    settings = load_settings(flags, profile=args.profile)
    return _COMMANDS[args.handler](args, settings)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `cloudcx` command line on `argv` (default: `sys.argv[1:]`); return the exit code.

    Exit codes: 0 ok, 1 API or server error, 2 usage or configuration error, 3 authentication
    error, 4 network error (and 130 on Ctrl+C, 141 when the reader of a pipe goes away).
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error (code 2)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    if args.debug:
        _enable_debug_log()
    try:
        return _run(args)
    except CloudCXError as exc:
        return report(exc, debug=args.debug)
    except KeyboardInterrupt:
        print("cloudcx: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader (head, less) stopped reading: stop quietly, as a Unix filter would. Point
        # stdout at /dev/null so that the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        if args.debug:
            raise
        print(
            f"cloudcx: unexpected error: {type(exc).__name__}: "
            f"{visible(' '.join(str(exc).split()))} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_API
