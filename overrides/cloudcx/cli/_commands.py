"""The commands: `users list`, `token`, `logout` and `config show`.

Each takes the parsed arguments and the resolved settings, writes its result to stdout and
anything meant for the person at the terminal to stderr, and returns the exit code. Errors are
raised as the client's typed errors; `main` turns them into an exit code and one line.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from .._client import CloudCX
from .._config import ClientConfig, resolve_config
from .._exceptions import ConfigurationError
from .._secrets import Secret, mask
from .._token_store import FileTokenStore, default_token_path, token_store_key
from ._errors import EXIT_OK
from ._output import COLUMNS, TABLE_COLUMNS, RowWriter, make_writer
from ._progress import Progress
from ._session import open_client, prompt_for_password
from ._settings import FIELDS, Settings

__all__ = ["config_show", "logout", "token", "users_list"]


def users_list(args: argparse.Namespace, settings: Settings) -> int:
    """`cloudcx users list`: one page, or every page with `--all`, in the chosen format."""
    # --columns is parsed (and checked) by the parser: a tuple of API field names.
    columns = args.columns or (TABLE_COLUMNS if args.format == "table" else COLUMNS)
    settings = prompt_for_password(settings)
    with open_client(settings) as cx:
        writer = make_writer(args.format, sys.stdout, columns)
        note = _every_page(cx, args, writer) if args.all else _one_page(cx, args, writer)
        writer.close()
    if note is not None:
        print(note, file=sys.stderr)
    return EXIT_OK


_NONE_FOUND = "no users found"


def _one_page(cx: CloudCX, args: argparse.Namespace, writer: RowWriter) -> str | None:
    """Write the page asked for; return the note for stderr when it had no users."""
    page = cx.users.list(page_index=args.page, page_size=args.page_size, keywords=args.keywords)
    writer.write(page.content)
    if page.content:
        if sys.stderr.isatty():
            more = (
                "; --page N for another page, --all for every page" if page.total_pages > 1 else ""
            )
            print(
                f"page {args.page} of {page.total_pages}, "
                f"{page.number_of_elements} of {page.total_elements} users{more}",
                file=sys.stderr,
            )
        return None
    if 0 < page.total_pages < args.page:
        # Likely a mistake rather than an empty result: said in every format, on stderr only.
        return f"page {args.page} is past the last page ({page.total_pages})"
    # An empty array or file says it already; the table would show nothing at all.
    return _NONE_FOUND if args.format == "table" else None


def _every_page(cx: CloudCX, args: argparse.Namespace, writer: RowWriter) -> str | None:
    """Write every page as it arrives; return the note for stderr when there were no users."""
    progress = Progress(sys.stderr)
    found = 0
    try:
        for page in cx.users.iter_pages(keywords=args.keywords, page_size=args.page_size):
            found += len(page.content)
            progress.clear()
            writer.write(page.content)
            progress.show(page.number + 1, page.total_pages, found, page.total_elements)
    finally:
        # Also on an error or Ctrl+C, so that the message starts on a clean line.
        progress.clear()
    return _NONE_FOUND if found == 0 and args.format == "table" else None


def _lifetime(seconds: float | None) -> str:
    if seconds is None:
        return "unknown (the server gave no lifetime)"
    if seconds <= 0:
        return "expired"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h {minutes:02d}m {secs:02d}s"
    return f"{minutes}m {secs:02d}s" if minutes else f"{secs}s"


def token(args: argparse.Namespace, settings: Settings) -> int:
    """`cloudcx token`: obtain or reuse the stored access token and describe it."""
    if settings.auth_mode == "api key":
        raise ConfigurationError(
            "`cloudcx token` needs the password grant: an API key is sent as it is, and no "
            "token is issued for it"
        )
    settings = prompt_for_password(settings)
    with open_client(settings) as cx:
        current = cx.get_token()
    secret = current.access_token.get_secret_value()
    if args.raw:
        print(secret)
        return EXIT_OK
    expires = "unknown"
    if current.expires_at is not None:
        local: datetime = current.expires_at.astimezone()
        expires = local.strftime("%Y-%m-%d %H:%M:%S %Z")
    rows = [
        ("type", current.token_type),
        ("expires", expires),
        ("remaining", _lifetime(current.remaining())),
        ("token", mask(secret)),
        ("refresh token", "yes" if current.refresh_token is not None else "no"),
    ]
    for name, value in rows:
        print(f"{name + ':':<15}{value}")
    return EXIT_OK


def logout(args: argparse.Namespace, settings: Settings) -> int:
    """`cloudcx logout`: delete the stored token of the current profile's user."""
    if settings.auth_mode != "password grant":
        print("nothing to log out: no password-grant user is configured", file=sys.stderr)
        return EXIT_OK
    config = _account(settings)
    key = token_store_key(config.token_url, config.client_id or "", config.username or "")
    store = FileTokenStore()
    removed = store.load(key) is not None
    store.delete(key)
    who = f"{config.username} at {config.token_url}"
    print(f"logged out {who}" if removed else f"no stored token for {who}", file=sys.stderr)
    return EXIT_OK


def _account(settings: Settings) -> ClientConfig:
    """The validated configuration, without asking for the password: the store key needs none."""
    return resolve_config(
        base_url=settings.get("base_url"),
        token_url=settings.get("token_url"),
        client_id=settings.get("client_id"),
        client_secret=settings.get("client_secret"),
        username=settings.get("username"),
        # A placeholder lets the usual validation and URL normalisation run; it is never sent.
        password=settings.get("password") or "unused",
        environ={},
    )


def config_show(args: argparse.Namespace, settings: Settings) -> int:
    """`cloudcx config show`: every setting, its source, secrets masked."""
    found = "" if settings.config_found else " (not found)"
    rows = [
        ("profile", settings.profile, settings.profile_source),
        ("config file", f"{settings.config_file}{found}", ""),
        ("token store", str(default_token_path()), ""),
        ("auth", settings.auth_mode, ""),
    ]
    for name in FIELDS:
        setting = settings.values.get(name)
        if setting is None:
            shown = "(default: base_url + /oauth/token)" if name == "token_url" else "-"
            rows.append((name, shown, ""))
        elif isinstance(setting.value, Secret):
            value = setting.value.get_secret_value()
            rows.append(
                (name, str(setting.value) if name == "password" else mask(value), setting.source)
            )
        else:
            rows.append((name, setting.value, setting.source))
    if settings.ignored:
        rows.append(("ignored", ", ".join(settings.ignored), "(the other way to authenticate)"))
    width = max(len(name) for name, _, _ in rows) + 2
    # Paths are long and have no source: they do not set the column's width.
    value_width = max((len(value) for _, value, source in rows if source), default=0) + 2
    for name, value, source in rows:
        print(f"{name:<{width}}{value:<{value_width}}{source}".rstrip())
    return EXIT_OK
