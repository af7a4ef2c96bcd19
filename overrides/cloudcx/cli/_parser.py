"""The argument parser: the commands, their options, and `--help` text with examples."""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from typing import TypeAlias

from cloudcx_openapi.operations import Operation

from .._version import __version__
from ..resources.users import MAX_PAGE_SIZE
from ._completion import add_completion_parser
from ._operations import add_operation_commands, help_text, raw_text
from ._output import COLUMNS, FORMATS, TABLE_COLUMNS, column_list
from ._simulate import add_simulate_parser

__all__ = ["build_parser"]

_DESCRIPTION = """\
The command line for the CloudCX contact-centre REST API.

Settings come from flags, then CLOUDCX_* environment variables, then a profile of the
config file ($CLOUDCX_CONFIG, else $XDG_CONFIG_HOME/cloudcx/config.toml, else
~/.config/cloudcx/config.toml). Secrets (API key, client secret, password) are never taken
from the command line, where shell history and `ps` would keep them: set them in the
environment or the config file; a missing password is asked for, without echo, on a
terminal. Access tokens are kept in a file token store and reused between commands."""

_EPILOG = """\
examples:
  cloudcx users list                       # the first page, as a table
  cloudcx users list --all --format csv > users.csv
  cloudcx --profile prod token
  cloudcx config show
  cloudcx simulate                         # a local API to try it all on

exit codes:
  0 ok, 1 API or server error, 2 usage or configuration error,
  3 authentication error, 4 network error

shell completion: not provided (argparse has none built in)."""

_USERS_LIST_EPILOG = f"""\
columns (API field names; snake_case works too):
  {", ".join(COLUMNS)}
  the table shows {", ".join(TABLE_COLUMNS)} unless --columns says otherwise;
  json, jsonl and csv show every field.

--all streams each page as it arrives; on a terminal, a progress line is drawn on stderr.
The table's column widths are set by the first page and only grow, so a wider value on a
later page shifts its column from that row on. The table shows control characters in the
server's data as \\xNN (\\x1b for ESC), so that they cannot act on the terminal.

csv is for spreadsheets: a cell starting with =, +, -, @, a tab, a CR or NUL gets a leading '
(OWASP's guard against CSV formula injection), so that it opens as text, not as a formula;
this includes phone numbers such as +15550100, which a spreadsheet would otherwise turn into
a number or a sum. json and jsonl carry the server's exact values: use them for other programs.

examples:
  cloudcx users list --keywords si
  cloudcx users list --page 2 --page-size 50
  cloudcx users list --all --format jsonl | jq -r .email
  cloudcx users list --all --format csv --columns loginCode,email,roles > users.csv"""

_TOKEN_EPILOG = """\
The token is obtained with the password grant, or reused from the token store while it is
valid. Its type, expiry (local time) and remaining lifetime are shown, the token masked.

examples:
  cloudcx token
  curl -H "Authorization: Bearer $(cloudcx token --raw)" "$CLOUDCX_BASE_URL/openapi/v2/user/page"
"""

_LOGOUT_EPILOG = """\
Deletes the stored token of the current profile's user (token URL, client ID and username);
the next command obtains a new one.

examples:
  cloudcx logout
  cloudcx --profile prod logout"""

_CONFIG_EPILOG = """\
config file format (TOML):
  [default]
  base_url = "https://cx.example.net"
  api_key = "..."

  [profiles.prod]
  base_url = "https://cx.example.com"
  client_id = "..."
  client_secret = "..."
  username = "ops"
  # password = "..."   (or CLOUDCX_PASSWORD, or typed at the prompt)

keys: base_url, token_url, api_key, client_id, client_secret, username, password.
A file holding a secret should be readable by you alone (chmod 600); cloudcx warns if not.

examples:
  cloudcx config show
  cloudcx --profile prod config show"""


def _page_size(text: str) -> int:
    value = _positive(text)
    if value > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_PAGE_SIZE}, got {value}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


def _global_options(defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after the command's name.

    The copy given to the subcommands has no defaults (SUPPRESS), so that an option given
    before the command is not reset by the subcommand's parser.
    """
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("global options")

    def default(value: object) -> object:
        return value if defaults else argparse.SUPPRESS

    group.add_argument(
        "--profile",
        default=default(None),
        help="the config file profile to use (default: $CLOUDCX_PROFILE, else [default])",
    )
    group.add_argument(
        "--base-url", default=default(None), help="the API host, e.g. https://cx.example.net"
    )
    group.add_argument(
        "--token-url",
        default=default(None),
        help="the token endpoint (default: base URL + /oauth/token)",
    )
    group.add_argument("--client-id", default=default(None), help="the OAuth client ID")
    group.add_argument("--username", default=default(None), help="the user for the password grant")
    group.add_argument(
        "--debug",
        action="store_true",
        default=default(False),
        help="show tracebacks and the cloudcx debug log on stderr",
    )
    return parent


# A string: argparse's class is generic to type checkers only.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _command(
    subparsers: Subparsers, name: str, *, help: str, epilog: str
) -> argparse.ArgumentParser:
    """A command that runs: it takes the global options too, and names its handler."""
    parser = subparsers.add_parser(
        name,
        parents=[_global_options(defaults=False)],
        help=help,
        description=help[0].upper() + help[1:] + ".",
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=name)
    return parser


def _group(subparsers: Subparsers, name: str, *, help: str, example: str) -> Subparsers:
    """A command that only holds commands (`users`, `config`); `help` is one line of text."""
    sentence = help[0].upper() + help[1:]
    parser = subparsers.add_parser(
        name,
        help=help_text(help),
        description=raw_text(
            textwrap.fill(sentence if sentence.endswith(".") else sentence + ".", width=90)
        ),
        epilog=f"examples:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser.add_subparsers(dest=f"{name}_command", metavar="<command>", required=True)


def build_parser(operations: Sequence[Operation] | None = None) -> argparse.ArgumentParser:
    """Return the parser of the `cloudcx` command.

    Besides the commands written here, every operation of the operation table (default: the
    installed `cloudcx_openapi.operations`) is a command `cloudcx <resource> <method>`.
    """
    parser = argparse.ArgumentParser(
        prog="cloudcx",
        parents=[_global_options(defaults=True)],
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cloudcx {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="<command>", required=True)

    users = _group(
        commands, "users", help="the user directory", example="cloudcx users list --keywords si"
    )
    listing = _command(users, "list", help="list users, one page or all", epilog=_USERS_LIST_EPILOG)
    listing.set_defaults(handler="users_list")
    listing.add_argument("--keywords", help="only users matching these keywords")
    where = listing.add_mutually_exclusive_group()
    where.add_argument("--page", type=_positive, default=1, help="page number, from 1 (default: 1)")
    where.add_argument("--all", action="store_true", help="every page, streamed as it arrives")
    listing.add_argument(
        "--page-size",
        type=_page_size,
        default=25,
        help=f"users per page, 1 to {MAX_PAGE_SIZE} (default: 25)",
    )
    listing.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )
    listing.add_argument(
        "--columns",
        type=column_list(COLUMNS),
        help="comma-separated columns to show, e.g. loginCode,email,roles",
    )

    token = _command(commands, "token", help="show the access token", epilog=_TOKEN_EPILOG)
    token.add_argument("--raw", action="store_true", help="print only the bare token, for piping")
    _command(commands, "logout", help="delete the stored token", epilog=_LOGOUT_EPILOG)

    config = _group(
        commands, "config", help="the CLI's configuration", example="cloudcx config show"
    )
    show = _command(
        config,
        "show",
        help="show the effective configuration, secrets masked",
        epilog=_CONFIG_EPILOG,
    )
    show.set_defaults(handler="config_show")

    add_simulate_parser(commands)

    groups = {"users": users, "config": config}

    def resource_group(name: str, help: str) -> Subparsers:
        if name not in groups:
            groups[name] = _group(commands, name, help=help, example=f"cloudcx {name} --help")
        return groups[name]

    add_operation_commands(resource_group, [_global_options(defaults=False)], operations)
    add_completion_parser(commands)
    return parser
