"""`main()`: parse, dispatch to the command, and turn errors into exit codes."""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import os
import re
import sys
from collections.abc import Callable, Sequence

from .._exceptions import CloudCXError
from ._commands import config_show, logout, token, users_list
from ._completion import completion_script
from ._errors import EXIT_API, EXIT_USAGE, print_traceback, report, visible_lines
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
    if args.handler == "completion":
        print(completion_script(build_parser(), args.shell), end="")
        return 0
    flags = {
        "base_url": args.base_url,
        "token_url": args.token_url,
        "client_id": args.client_id,
        "username": args.username,
    }
    settings = load_settings(flags, profile=args.profile)
    return _COMMANDS[args.handler](args, settings)


# A flag that names a secret (--password, --api-key, --client-secret, --token...): the CLI takes
# none, but one given anyway must not be echoed by the usage error.
_SECRET_FLAG = re.compile(
    r"^--?[\w-]*(?:password|passwd|secret|key|token)[\w-]*(?:=(?P<inline>.*))?$", re.I
)


def _option_strings(parser: argparse.ArgumentParser) -> set[str]:
    """Every flag `parser` and its subcommands' parsers know (`--profile`, `-h`...)."""
    known: set[str] = set()
    for action in parser._actions:
        known.update(action.option_strings)
        if isinstance(action, argparse._SubParsersAction):
            for subparser in action.choices.values():
                known |= _option_strings(subparser)
    return known


def _unknown_flag(arg: str, known: set[str]) -> re.Match[str] | None:
    """`arg` as a flag that is neither one of `known` nor an abbreviation of one, else None.

    Whatever such a flag meant (`--passw`, `--pw`, `--cs=...`), its value could be a secret.
    """
    match = re.match(r"^(?P<flag>--?[^-=\s][^=]*)(?:=(?P<inline>.*))?$", arg, re.S)
    if match is None or any(option.startswith(match.group("flag")) for option in known):
        return None
    return match


def _secret_values(argv: Sequence[str], known: set[str]) -> list[str]:
    """The values given to secret-looking or unknown flags in `argv` (`--password x`, `--pw=x`).

    `known`: the parser's own flags, whose values are not secret.
    """
    values: list[str] = []
    for index, arg in enumerate(argv):
        match = _SECRET_FLAG.match(arg) or _unknown_flag(arg, known)
        if match is None:
            continue
        if match.group("inline"):
            values.append(match.group("inline"))
        elif index + 1 < len(argv):
            values.append(argv[index + 1])
    return values


def _parse(argv: Sequence[str] | None) -> argparse.Namespace | int:
    """Parse `argv`; on --help, --version or a usage error, the exit code instead.

    argparse's usage error quotes the arguments it refused: what it writes on stderr is held
    back, and written with the values of secret-looking flags masked.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    errors = io.StringIO()
    parser = build_parser()
    try:
        with contextlib.redirect_stderr(errors):
            return parser.parse_args(words)
    except SystemExit as exc:  # --help, --version, or a usage error (code 2)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else EXIT_USAGE
    finally:
        text = errors.getvalue()
        for value in sorted(_secret_values(words, _option_strings(parser)), key=len, reverse=True):
            if value:
                text = text.replace(value, "***")
        sys.stderr.write(visible_lines(text))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the `cloudcx` command line on `argv` (default: `sys.argv[1:]`); return the exit code.

    Exit codes: 0 ok, 1 API or server error, 2 usage or configuration error, 3 authentication
    error, 4 network error (and 130 on Ctrl+C, 141 when the reader of a pipe goes away).
    """
    args = _parse(argv)
    if isinstance(args, int):
        return args
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
            print_traceback(exc)
            return EXIT_API
        print(
            f"cloudcx: unexpected error: {type(exc).__name__}: "
            f"{visible(' '.join(str(exc).split()))} "
            "(run with --debug for the traceback)",
            file=sys.stderr,
        )
        return EXIT_API
