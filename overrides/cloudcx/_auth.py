"""httpx authentication for CloudCX: a static API key, or password-grant access tokens.

The httpx auth classes check each request before a credential goes on it, attach the API key
or the access token, and answer a 401; `build_sync_auth` and `build_async_auth` wire them for
the clients. The token policy is stated in full in `cloudcx._token_policy`.
"""

from __future__ import annotations

import inspect
import logging
import re
import time
from collections.abc import AsyncGenerator, Generator
from typing import Any

import httpx

from ._config import ClientConfig, check_credential_url, same_origin
from ._deadline import aread_capped, read_capped
from ._exceptions import AuthenticationError, ConfigurationError, request_id_from
from ._oauth import Token
from ._response import (
    KNOWN_SECRETS_EXTENSION,
    describe_url,
    envelope_message,
    json_or_none,
    server_text,
)
from ._token_manager import AsyncTokenHook, AsyncTokenManager, SyncTokenHook, SyncTokenManager
from ._token_policy import Clock
from ._token_store import TokenStore

__all__ = [
    "ApiKeyAuth",
    "TokenAuth",
    "build_async_auth",
    "build_sync_auth",
]

log = logging.getLogger("cloudcx.auth")


# --- request checks and errors ----------------------------------------------------------


class _Guard:
    """Refuses, before anything is sent, to put a credential on an unsafe or foreign request."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._api_url = httpx.URL(config.base_url)  # parsed once: the check runs per request

    def check(self, request: httpx.Request) -> None:
        config = self._config
        check_credential_url(
            request.url, allow_insecure_http=config.allow_insecure_http, setting="the request URL"
        )
        if not same_origin(request.url, self._api_url):
            raise ConfigurationError(
                f"refusing to send credentials to {describe_url(request.url)}: it is not on the "
                f"configured API host {config.base_url}"
            )


_SPACE = " \t"


def _skip(text: str, index: int, chars: str) -> int:
    while index < len(text) and text[index] in chars:
        index += 1
    return index


# The plain run of a quoted-string: one greedy class, matched from a given position (linear).
_QUOTED_RUN = re.compile(r'[^"\\]*')


def _quoted(text: str, index: int) -> tuple[str, int]:
    """The quoted-string opening at `index` (unescaped), and the index after it."""
    parts: list[str] = []
    index += 1
    while index < len(text):
        stop = _QUOTED_RUN.match(text, index).end()  # type: ignore[union-attr]  # `*` matches
        parts.append(text[index:stop])
        if stop >= len(text) or text[stop] == '"':
            return "".join(parts), stop + 1
        parts.append(text[stop + 1 : stop + 2])  # a quoted-pair: the escaped character
        index = stop + 2
    return "".join(parts), index


def _challenge_params(text: str) -> dict[str, str]:
    """The `name=value` parameters of one challenge (RFC 7235 §2.1), in one linear scan.

    A hand-rolled scanner, not a regex: the header is the server's, and a regex that retries
    from every position took quadratic time on a long one (16 KB: seconds).
    """
    params: dict[str, str] = {}
    index = 0
    while index < len(text):
        index = _skip(text, index, _SPACE + ",")
        start = index
        while index < len(text) and text[index] not in _SPACE + ',="':
            index += 1
        name = text[start:index]
        index = _skip(text, index, _SPACE)
        if index >= len(text) or text[index] != "=" or not name:
            # Not a parameter (a token68, or junk): skip to the next comma, a quoted part whole.
            while index < len(text) and text[index] != ",":
                index = _quoted(text, index)[1] if text[index] == '"' else index + 1
            continue
        index = _skip(text, index + 1, _SPACE)
        if index < len(text) and text[index] == '"':
            value, index = _quoted(text, index)
        else:
            start = index
            while index < len(text) and text[index] not in _SPACE + ",":
                index += 1
            value = text[start:index]
        params[name.lower()] = value
    return params


def _bearer_challenge(response: httpx.Response) -> dict[str, str]:
    """The parameters of the `WWW-Authenticate: Bearer ...` challenge, if the API sent one."""
    for header in response.headers.get_list("www-authenticate"):
        scheme, _, params = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            continue
        return _challenge_params(params)
    return {}


def _api_refusal(response: httpx.Response, reason: str) -> AuthenticationError:
    """The `AuthenticationError` for a 401 from the API.

    `error` and `error_description` come from the RFC 6750 challenge when there is one; the
    envelope's `code` stays in `code`, its `message` stands in for a missing description.
    """
    code, message = envelope_message(json_or_none(response))
    code = code and server_text(response, code)  # server text, like the message
    challenge = _bearer_challenge(response)
    error = server_text(response, challenge["error"]) if challenge.get("error") else None
    raw_detail = challenge.get("error_description") or message
    detail = server_text(response, raw_detail) if raw_detail else None
    return AuthenticationError(
        f"{reason}: {detail}" if detail else reason,
        error=error,
        error_description=detail,
        code=code,
        status_code=response.status_code,
        method=response.request.method,
        url=describe_url(response.request.url),
        request_id=request_id_from(response.headers),
    )


def _authorize(request: httpx.Request, token: Token, config: ClientConfig) -> None:
    request.headers["Authorization"] = f"Bearer {token.access_token.get_secret_value()}"
    request.extensions[KNOWN_SECRETS_EXTENSION] = (
        token.access_token,
        token.refresh_token,
        config.password,
        config.client_secret,
    )


# --- the httpx auth classes --------------------------------------------------------------


class ApiKeyAuth(httpx.Auth):
    """Sends the API key as `Authorization: Bearer <key>`, as the vendor documents.

    A key cannot be renewed: a 401 raises `AuthenticationError` at once.
    """

    def __init__(self, config: ClientConfig) -> None:
        if config.api_key is None:
            raise ConfigurationError("ApiKeyAuth needs a configuration with an API key")
        self._guard = _Guard(config)
        self._api_key = config.api_key
        self._known = (config.api_key,)

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key=Secret('**********'))"

    def _attach(self, request: httpx.Request) -> None:
        self._guard.check(request)
        request.headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        request.extensions[KNOWN_SECRETS_EXTENSION] = self._known

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the key; a 401 raises `AuthenticationError`."""
        self._attach(request)
        response = yield request
        if response.status_code == 401:
            read_capped(response)
            raise _api_refusal(response, "the API refused the API key (HTTP 401)")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach the key; a 401 raises `AuthenticationError`."""
        self._attach(request)
        response = yield request
        if response.status_code == 401:
            await aread_capped(response)
            raise _api_refusal(response, "the API refused the API key (HTTP 401)")


_REFUSED_AGAIN = "the API refused a freshly obtained access token (HTTP 401 twice)"


class TokenAuth(httpx.Auth):
    """Bearer tokens from the password grant, renewed before expiry and after a 401.

    The request body is buffered (`requires_request_body`) so that it can be resent once.
    """

    requires_request_body = True

    def __init__(self, manager: SyncTokenManager | AsyncTokenManager, config: ClientConfig) -> None:
        self._manager = manager
        self._config = config
        self._guard = _Guard(config)

    def __repr__(self) -> str:
        return "TokenAuth()"

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach a token; on 401, renew it once and resend; a second 401 raises."""
        manager = self._manager
        if not isinstance(manager, SyncTokenManager):
            raise TypeError("a sync client needs a SyncTokenManager")
        self._guard.check(request)
        token = manager.get()
        _authorize(request, token, self._config)
        response = yield request
        if response.status_code != 401:
            return
        read_capped(response)
        log.debug("the API answered 401; renewing the access token and resending once")
        manager.discard(token)
        _authorize(request, manager.get(), self._config)
        response = yield request
        if response.status_code == 401:
            read_capped(response)
            raise _api_refusal(response, _REFUSED_AGAIN)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach a token; on 401, renew it once and resend; a second 401 raises."""
        manager = self._manager
        if not isinstance(manager, AsyncTokenManager):
            raise TypeError("an async client needs an AsyncTokenManager")
        self._guard.check(request)
        token = await manager.get()
        _authorize(request, token, self._config)
        response = yield request
        if response.status_code != 401:
            return
        await aread_capped(response)
        log.debug("the API answered 401; renewing the access token and resending once")
        manager.discard(token)
        _authorize(request, await manager.get(), self._config)
        response = yield request
        if response.status_code == 401:
            await aread_capped(response)
            raise _api_refusal(response, _REFUSED_AGAIN)


# --- wiring, for the clients -------------------------------------------------------------


# A week: far beyond any token's lifetime, far within a float's (and a clock's) range.
_MAX_SKEW = 7 * 24 * 3600.0


def _manager_options(
    config: ClientConfig,
    *,
    token: Token | None,
    on_token: object,
    token_store: object,
    refresh_skew: float,
    clock: Clock,
) -> dict[str, Any] | None:
    """Validate the token options; the manager's keyword arguments, or None for an API key."""
    if isinstance(refresh_skew, bool) or not isinstance(refresh_skew, (int, float)):
        raise ConfigurationError(
            f"refresh_skew must be a number, not {type(refresh_skew).__name__}"
        )
    # Compared, not passed to math.isfinite, which raises OverflowError on 10**400.
    if not 0 <= refresh_skew <= _MAX_SKEW or refresh_skew != refresh_skew:
        raise ConfigurationError(
            f"refresh_skew must be a finite number of seconds from 0 to {_MAX_SKEW:.0f}"
        )
    if token is not None and not isinstance(token, Token):
        raise ConfigurationError(f"token must be a cloudcx.Token, not {type(token).__name__}")
    if on_token is not None and not callable(on_token):
        raise ConfigurationError("on_token must be a callable taking the new Token")
    if token_store is not None and not isinstance(token_store, TokenStore):
        raise ConfigurationError("token_store must have load(key), save(key, token), delete(key)")
    options = {"token": token, "on_token": on_token, "store": token_store}
    if config.auth_mode == "api_key":
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise ConfigurationError(
                f"{', '.join(given)} only apply to the password grant; an API key is sent as is"
            )
        return None
    return {**options, "skew": float(refresh_skew), "clock": clock}


def build_sync_auth(
    config: ClientConfig,
    *,
    token: Token | None = None,
    on_token: SyncTokenHook | None = None,
    token_store: TokenStore | None = None,
    refresh_skew: float = 60.0,
    clock: Clock = time.monotonic,
) -> tuple[httpx.Auth, SyncTokenManager | None]:
    """Validate the auth options and build the auth (and its token manager, to `attach`).

    Raises:
        ConfigurationError: an option is of the wrong type, or does not apply to an API key.
    """
    if on_token is not None and inspect.iscoroutinefunction(on_token):
        raise ConfigurationError("an async on_token hook needs AsyncCloudCX")
    options = _manager_options(
        config,
        token=token,
        on_token=on_token,
        token_store=token_store,
        refresh_skew=refresh_skew,
        clock=clock,
    )
    if options is None:
        return ApiKeyAuth(config), None
    manager = SyncTokenManager(config, **options)
    return TokenAuth(manager, config), manager


def build_async_auth(
    config: ClientConfig,
    *,
    token: Token | None = None,
    on_token: AsyncTokenHook | None = None,
    token_store: TokenStore | None = None,
    refresh_skew: float = 60.0,
    clock: Clock = time.monotonic,
) -> tuple[httpx.Auth, AsyncTokenManager | None]:
    """Validate the auth options and build the auth (and its token manager, to `attach`).

    Raises:
        ConfigurationError: an option is of the wrong type, or does not apply to an API key.
    """
    options = _manager_options(
        config,
        token=token,
        on_token=on_token,
        token_store=token_store,
        refresh_skew=refresh_skew,
        clock=clock,
    )
    if options is None:
        return ApiKeyAuth(config), None
    manager = AsyncTokenManager(config, **options)
    return TokenAuth(manager, config), manager
