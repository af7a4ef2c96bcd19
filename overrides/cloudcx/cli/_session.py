"""Building the client for a command: the password prompt, the token store, the `CloudCX`."""

from __future__ import annotations

import getpass
import logging
import sys

from .._client import CloudCX
from .._exceptions import ConfigurationError
from .._secrets import Secret
from .._token_store import FileTokenStore
from ._settings import Settings

__all__ = ["open_client", "prompt_for_password"]

log = logging.getLogger("cloudcx.cli")


def prompt_for_password(settings: Settings) -> Settings:
    """Ask for the password, without echo, when the password grant lacks one and stdin is a tty.

    Only the password is asked for, and only once the client ID and the username are known:
    otherwise the configuration check that follows names what is missing. Not interactive, the
    settings are returned as they are, and that check names `CLOUDCX_PASSWORD`.
    """
    if "password" in settings.values or not sys.stdin.isatty():
        return settings
    if not all(name in settings.values for name in ("client_id", "username")):
        return settings
    if "api_key" in settings.values:
        return settings
    try:
        # getpass writes the prompt to, and reads from, the terminal itself, with echo off.
        password = getpass.getpass(f"Password for {settings.get('username')}: ")
    except EOFError:
        password = ""
    if not password:
        raise ConfigurationError("no password entered")
    return settings.with_value("password", Secret(password), "prompt")


def open_client(settings: Settings) -> CloudCX:
    """Return a `CloudCX` for `settings`, keeping tokens in the file token store."""
    log.debug("auth mode: %s", settings.auth_mode)
    # An API key is sent as it is: there is no token to keep.
    store = FileTokenStore() if settings.auth_mode == "password grant" else None
    return CloudCX(
        base_url=settings.get("base_url"),
        token_url=settings.get("token_url"),
        api_key=settings.get("api_key"),
        client_id=settings.get("client_id"),
        client_secret=settings.get("client_secret"),
        username=settings.get("username"),
        password=settings.get("password"),
        token_store=store,
    )
