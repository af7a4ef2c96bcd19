"""`cloudcx simulate`: the bundled simulator in the foreground, with ready-to-paste exports.

The options and the serving loop are `cloudcx.testing`'s own (`build_parser`, `serve`), so the
two commands cannot drift apart; only the start-up text differs, because an operator wants the
`export CLOUDCX_...` lines to point the CLI at the simulator.
"""

from __future__ import annotations

import argparse
import io
import json
import shlex
import sys
from typing import TextIO

__all__ = ["add_simulate_parser", "simulate"]

_DESCRIPTION = """\
Run a local CloudCX REST API simulator (token endpoint and user directory) in the
foreground until Ctrl+C. It prints its base URL, the demo credentials it accepts, an API
key, and the export lines that point this CLI at it. The credentials are fixed demo values
of a local test tool: they protect nothing."""

_EPILOG = """\
examples:
  cloudcx simulate                         # a random free port, 250 users
  cloudcx simulate --port 8080 --users 60 --token-ttl 30
  cloudcx simulate --refresh-tokens        # issue refresh tokens too
  cloudcx simulate --json                  # one JSON line, for scripts

then, in another shell, paste the printed export lines and run:
  cloudcx users list"""


def add_simulate_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `simulate`, taking its options from the simulator's own parser."""
    from ..testing import build_parser

    parser = subparsers.add_parser(
        "simulate",
        parents=[build_parser(prog="cloudcx simulate")],
        # The parent parser brings its own -h/--help.
        add_help=False,
        help="run the local API simulator in the foreground",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler="simulate")


def _banner(endpoint: dict[str, str]) -> str:
    def export(name: str, value: str) -> str:
        return f"export CLOUDCX_{name.upper()}={shlex.quote(value)}"

    grant = ("base_url", "token_url", "client_id", "client_secret", "username", "password")
    lines = [
        f"CloudCX simulator on {endpoint['base_url']}; press Ctrl+C to stop.",
        "",
        f"  base URL       {endpoint['base_url']}",
        f"  token URL      {endpoint['token_url']}",
        f"  client ID      {endpoint['client_id']}",
        f"  client secret  {endpoint['client_secret']}",
        f"  username       {endpoint['username']}",
        f"  password       {endpoint['password']}",
        f"  API key        {endpoint['api_key']}",
        "",
        "# Point the cloudcx CLI at it (password grant; tokens are reused between commands):",
        *(export(name, endpoint[name]) for name in grant),
        "# or use the API key instead (then leave CLOUDCX_CLIENT_ID/_SECRET, _USERNAME and",
        "# _PASSWORD unset):",
        f"#   export CLOUDCX_API_KEY={shlex.quote(endpoint['api_key'])}",
    ]
    return "\n".join(lines) + "\n"


class _Announcer(io.StringIO):
    """Stands in for `serve`'s output: turns its JSON start-up line into the CLI's banner."""

    def __init__(self, out: TextIO) -> None:
        super().__init__()
        self._out = out

    def write(self, text: str) -> int:
        written = super().write(text)
        content = self.getvalue()
        if content.endswith("\n"):
            self._out.write(_banner(json.loads(content)))
            self._out.flush()
            self.seek(0)
            self.truncate()
        return written


def simulate(args: argparse.Namespace) -> int:
    """Serve until interrupted; returns the exit code."""
    from ..testing import serve

    if args.json:
        return serve(args, out=sys.stdout)
    args.json = True
    return serve(args, out=_Announcer(sys.stdout))
