"""The command line: ``python -m cloudcx.testing`` (and ``cloudcx simulate``, which reuses it)."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from types import FrameType
from typing import Any, TextIO

from ._config import SimulatorConfig
from ._simulator import Simulator

__all__ = ["build_parser", "config_from_args", "config_to_argv", "main", "serve"]


@dataclass(frozen=True)
class _Option:
    """One command-line option and the :class:`SimulatorConfig` field it sets."""

    field: str
    flag: str
    help: str
    type: type[Any] | None = None  # None: an on/off switch that flips the default


_OPTIONS = (
    _Option("host", "--host", "address to listen on (default: %(default)s)", str),
    _Option("port", "--port", "API port; 0 lets the OS choose (default: %(default)s)", int),
    _Option("users", "--users", "users in the directory (default: %(default)s)", int),
    _Option(
        "token_ttl", "--token-ttl", "access token lifetime, seconds (default: %(default)s)", float
    ),
    _Option(
        "refresh_tokens", "--refresh-tokens", "issue refresh tokens and accept the refresh grant"
    ),
    _Option(
        "rotate_refresh_tokens",
        "--rotate-refresh-tokens",
        "each refresh returns a new refresh token",
    ),
    _Option("include_expires_in", "--no-expires-in", "leave expires_in out of token responses"),
    _Option("jwt_tokens", "--opaque-tokens", "issue opaque access tokens instead of JWTs"),
    _Option("public_client", "--public-client", "do not require client_secret"),
    _Option(
        "separate_token_server", "--separate-token-server", "serve /oauth/token on a second port"
    ),
    _Option(
        "latency", "--latency", "seconds added before each user page (default: %(default)s)", float
    ),
    _Option(
        "operations",
        "--operations",
        "a generated operations.py to serve (default: the installed operation table)",
        str,
    ),
)
_DEFAULTS = SimulatorConfig()


def build_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m cloudcx.testing``."""
    parser = argparse.ArgumentParser(
        prog=prog or "python -m cloudcx.testing",
        description="Run a local CloudCX REST API simulator until interrupted.",
    )
    for option in _OPTIONS:
        default = getattr(_DEFAULTS, option.field)
        if option.type is None:
            action = "store_false" if default else "store_true"
            parser.add_argument(option.flag, dest=option.field, action=action, help=option.help)
        else:
            parser.add_argument(
                option.flag, dest=option.field, type=option.type, default=default, help=option.help
            )
    parser.add_argument(
        "--json", action="store_true", help="print the start-up line as one JSON object"
    )
    return parser


def config_from_args(args: argparse.Namespace) -> SimulatorConfig:
    """Build the settings from parsed arguments (``ValueError`` when out of range)."""
    # Chosen users (`users=[...]`) have no command-line form: the count is the option.
    names = [f.name for f in fields(SimulatorConfig) if f.name != "chosen_users"]
    return SimulatorConfig(**{name: getattr(args, name) for name in names})


def config_to_argv(config: SimulatorConfig) -> list[str]:
    """Return the options that make ``python -m cloudcx.testing`` use ``config``."""
    argv: list[str] = []
    for option in _OPTIONS:
        value, default = getattr(config, option.field), getattr(_DEFAULTS, option.field)
        if option.type is None:
            if value != default:
                argv.append(option.flag)
        elif value is not None:
            argv += [option.flag, str(value)]
    return argv


def _banner(sim: Simulator) -> str:
    lines = ["CloudCX simulator running; press Ctrl+C to stop."]
    lines += [f"  {name:<14}{value}" for name, value in asdict(sim.endpoint).items()]
    return "\n".join(lines)


def serve(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Run the simulator that ``args`` describe until SIGINT or SIGTERM; return the exit code.

    Prints the base URL, token URL and demo credentials first: one JSON line with
    ``args.json``, a readable block otherwise. Setting ``stop`` (if given) also ends it, which
    is how to stop a simulator served from a thread other than the main one.
    """
    out = out or sys.stdout
    stop = stop or threading.Event()
    try:
        settings = asdict(config_from_args(args))
        del settings["chosen_users"]
        sim = Simulator(**settings).start()
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, ValueError) else 1

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous: dict[signal.Signals, Any] = {}
    try:
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                previous[signum] = signal.signal(signum, on_signal)
        if args.json:
            print(json.dumps(sim.endpoint.to_json()), file=out, flush=True)
        else:
            print(_banner(sim), file=out, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sim.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` (default: ``sys.argv[1:]``) and :func:`serve`; return the exit code."""
    return serve(build_parser().parse_args(argv))
