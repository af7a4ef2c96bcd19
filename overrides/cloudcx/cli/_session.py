"""Building the client for a command: the password prompt, the token store, the `CloudCX`."""

from __future__ import annotations

import getpass
import logging
import sys

from .._client import CloudCX
from .._config import GRANT_SETTINGS, resolve_config
from .._exceptions import ConfigurationError
from .._secrets import Secret
from .._token_store import FileTokenStore, token_store_key
from ._settings import Settings

__all__ = ["open_client", "prompt_for_password"]

log = logging.getLogger("cloudcx.cli")

#: A stored token with less life left than this (and no refresh token) gets the prompt: the
#: client's default renewal margin, so that the token does not run out during the command.
STORED_TOKEN_MARGIN = 60.0


def _stored_token_will_do(settings: Settings) -> bool:
    """True when the token store holds a token for this account that needs no password.

    That is one still valid for a while, or one its refresh token can renew. Otherwise, or
    when the settings are not complete enough to find it, the password is asked for.
    """
    try:
        config = resolve_config(
            base_url=settings.get("base_url"),
            token_url=settings.get("token_url"),
            client_id=settings.get("client_id"),
            username=settings.get("username"),
            password_optional=True,
            environ={},
        )
        key = token_store_key(config.token_url, config.client_id or "", config.username or "")
        token = FileTokenStore().load(key)
    except (ConfigurationError, OSError):
        return False
    if token is None:
        return False
    if token.refresh_token is not None:
        return True
    left = token.remaining()
    return left is None or left > STORED_TOKEN_MARGIN


def prompt_for_password(settings: Settings) -> Settings:
    """Ask for the password, without echo, when the password grant lacks one and stdin is a tty.

    Only the password is asked for, and only once the client ID and the username are known:
    otherwise the configuration check that follows names what is missing. Not when the token
    store holds a token for the account that is valid for another minute or more, or that has a
    refresh token: the client uses it, and asks the server for nothing else. Not interactive,
    the settings are returned as they are, and the client names `CLOUDCX_PASSWORD` when it
    needs the password.
    """
    if "password" in settings.values or not sys.stdin.isatty():
        return settings
    if not all(name in settings.values for name in ("client_id", "username")):
        return settings
    if "api_key" in settings.values:
        return settings
    if _stored_token_will_do(settings):
        log.debug("a stored token stands in for the password")
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
    grant = [settings.values[name].source for name in GRANT_SETTINGS if name in settings.values]
    if "api_key" in settings.values and grant:
        # Said here, with the settings' own sources: the client sees every value as an argument.
        raise ConfigurationError(
            f"both an API key ({settings.values['api_key'].source}) and password-grant "
            f"credentials ({', '.join(grant)}) are configured: choose one way to authenticate"
        )
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
