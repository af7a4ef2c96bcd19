"""`CloudCX` and `AsyncCloudCX`: configuration, the connection pool, and the resources."""

from __future__ import annotations

import os
import ssl
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

import httpx

from ._auth import build_async_auth, build_sync_auth
from ._config import ENV_VARS, ClientConfig, build_ssl_context, resolve_config
from ._deadline import (
    DEFAULT_MAX_RESPONSE_BYTES,
    CallLimits,
    aread_capped,
    bind_limits,
    call_scope,
    check_body_cap,
    read_capped,
)
from ._exceptions import ClientClosedError, ConfigurationError
from ._generated_client import SharedAuthenticatedClient
from ._logging import configure_from_env
from ._loop_guard import LoopGuard
from ._proxy import ProxySetting, transports
from ._response import describe_url
from ._retry import RetryPolicy, async_retry_transport, resolve_timeout, retry_transport
from ._token_manager import AsyncTokenHook, AsyncTokenManager, SyncTokenHook, SyncTokenManager
from ._token_store import TokenStore
from ._tokens import Token
from ._transport_errors import LOCAL_SEND_ERRORS, raise_send_failure
from ._version import __version__
from .resources.users import AsyncUsers, Users

__all__ = ["DEFAULT_TIMEOUT", "AsyncCloudCX", "CloudCX"]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connect within 5 s; read, write and pool waits within 30 s."""

_USER_AGENT = f"cloudcx-python/{__version__}"

Verify = bool | str | os.PathLike[str] | ssl.SSLContext


# The constructor arguments `resolve_config` takes: every setting, and the http:// opt-in.
_CONFIG_ARGUMENTS = (*ENV_VARS, "allow_insecure_http")


def _configure(
    arguments: dict[str, Any], build_auth: Callable[..., tuple[httpx.Auth, Any]]
) -> tuple[ClientConfig, httpx.Auth, Any]:
    """The shared first half of both constructors: configuration, then auth, from `arguments`.

    `arguments` is the constructor's `locals()`, so that a new constructor argument needs no
    change here. A saved token (`token=` or `token_store=`) may stand in for the password.
    Auth is built before any httpx client: its validation can fail, and there is no pool yet.
    """
    token, store = arguments["token"], arguments["token_store"]
    check_body_cap(arguments["max_response_bytes"])  # before any connection pool exists
    config = resolve_config(
        **{name: arguments[name] for name in _CONFIG_ARGUMENTS},
        password_optional=token is not None or store is not None,
    )
    configure_from_env()
    auth, manager = build_auth(
        config,
        token=token,
        on_token=arguments["on_token"],
        token_store=store,
        refresh_skew=arguments["refresh_skew"],
        clock=arguments["_clock"],
    )
    return config, auth, manager


def _closed_error(request: httpx.Request) -> ClientClosedError:
    return ClientClosedError(
        f"the client is closed (request {request.method} {describe_url(request.url)}): "
        "create a new one, or use it inside its `with` block"
    )


# httpx's clients, with two failures that happen before anything is sent reported as the
# client's own errors: a closed client (httpx raises RuntimeError), and a local protocol error
# (an illegal header value), whose httpx message may quote a credential and so is not chained.
# Every request goes through `send`: the resources', the generated functions', token requests.


# Every send runs in a call scope (the call deadline; see `cloudcx._deadline`), and a body
# read here is capped at `max_response_bytes`.


class _Client(httpx.Client):
    def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.is_closed:
            raise _closed_error(request)
        with call_scope(self):
            try:
                response = super().send(request, stream=True, **kwargs)
            except LOCAL_SEND_ERRORS as exc:
                raise_send_failure(exc, request)
            if not stream:
                read_capped(response)
            return response


class _AsyncClient(httpx.AsyncClient):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loops = LoopGuard()  # a second event loop is refused at once, not left to hang

    async def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.is_closed:
            raise _closed_error(request)
        with self._loops.entered(), call_scope(self):
            try:
                response = await super().send(request, stream=True, **kwargs)
            except LOCAL_SEND_ERRORS as exc:
                raise_send_failure(exc, request)
            if not stream:
                await aread_capped(response)
            return response


def _bind_limits(
    http: httpx.Client | httpx.AsyncClient, policy: RetryPolicy | None, body_cap: object
) -> None:
    chosen = policy or RetryPolicy()
    bind_limits(http, CallLimits(chosen.deadline, chosen.clock, check_body_cap(body_cap)))


def _httpx_options(
    config: ClientConfig,
    timeout: float | httpx.Timeout,
    verify: Verify,
) -> dict[str, Any]:
    verify = build_ssl_context(verify)
    return {
        "base_url": config.base_url,
        "timeout": resolve_timeout(timeout),
        "verify": verify,
        # Never follow redirects: a redirect to another origin must not carry credentials, and
        # the API has no redirecting endpoints.
        "follow_redirects": False,
        "headers": {"User-Agent": _USER_AGENT, "Accept": "application/json"},
    }


def _describe(config: ClientConfig, name: str) -> str:
    who = "api_key" if config.auth_mode == "api_key" else f"password grant as {config.username!r}"
    return f"{name}(base_url={config.base_url!r}, token_url={config.token_url!r}, auth={who})"


class CloudCX:
    """Synchronous CloudCX client.

    Configure it with an API key, or with the password grant (client ID, optional client
    secret, username and password); any argument left out is read from its `CLOUDCX_*`
    environment variable. Use it as a context manager, or call `close()`, to release its
    connections.

    Tokens (password grant): `token=` starts from a saved `Token` (no token request while it
    is valid); `token_store=` (e.g. `FileTokenStore()`) reuses tokens across runs; `on_token`
    is called with every new token (an exception in it is logged, not raised); `refresh_skew`
    is how early, in seconds, a token is renewed (less for short-lived tokens). With `token=`
    or `token_store=`, the password may be left out: a token request that needs it raises
    `ConfigurationError` ("a password is needed to obtain a new token"). `token_url` defaults
    to `base_url` + `/oauth/token`; given, it is the endpoint's full URL (one without a path is
    refused). `verify` takes `True` (default), a CA bundle path (`str` or `os.PathLike`) or an
    `ssl.SSLContext`; plain `http://` to a host that is not loopback needs
    `allow_insecure_http=True`. The token policy is stated in full in `cloudcx._token_policy`.

    Failures: `timeout` (seconds, or an `httpx.Timeout`; default connect 5 s, read 30 s) can
    be overridden per call. Connection errors, timeouts and 408/429/502/503/504 are retried
    `max_retries` times (default 2) with full-jitter backoff, honouring `Retry-After`, for API
    and token requests alike; `retry_policy` (a `RetryPolicy`) shapes the waits and sets an
    overall deadline. The policy is stated in full in `cloudcx._retry`. One attempt ends within
    its longest timeout however slowly the server sends, and one call (token request, API
    request and resend together) within `retry_policy.deadline` (120 s by default).
    `max_response_bytes` (default 32 MiB) caps each response body's decoded size: a larger one
    raises `InvalidResponseError` as soon as the cap is passed. See `cloudcx._deadline`.

    Proxies: `proxy` (a URL, or an `httpx.Proxy`) sends every request through that proxy. Without
    it, and with `trust_env` (default `True`), `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and
    `NO_PROXY` are honoured as httpx honours them; `trust_env=False` ignores them. API and token
    requests alike go through the proxy and the retry policy; see `cloudcx._proxy`.

    Example:
        >>> with CloudCX(base_url="https://cx.example.net", api_key="...") as cx:  # doctest: +SKIP
        ...     page = cx.users.list(keywords="si")

    Attributes:
        users: The user directory.
        client: The generated `AuthenticatedClient`, sharing this client's connection pool and
            authentication, for calling any generated endpoint function directly.
            Its `with_timeout`/`with_headers`/`with_cookies` raise `ConfigurationError`: the
            copy they return would lose this client's connection and auth.
        config: The resolved configuration (secrets masked).
    """

    _tokens: SyncTokenManager | None

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        verify: Verify = True,
        allow_insecure_http: bool = False,
        refresh_skew: float = 60.0,
        token: Token | None = None,
        on_token: SyncTokenHook | None = None,
        token_store: TokenStore | None = None,
        _clock: Callable[[], float] = time.monotonic,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        proxy: ProxySetting | None = None,
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.config, auth, self._tokens = _configure(locals(), build_sync_auth)
        options = _httpx_options(self.config, timeout, verify)
        transport, mounts = transports(
            retry_transport,
            verify=options["verify"],
            max_retries=max_retries,
            policy=retry_policy,
            token_url=self.config.token_url,
            proxy=proxy,
            trust_env=trust_env,
        )
        http = _Client(**options, transport=transport, mounts=mounts, auth=auth)
        _bind_limits(http, retry_policy, max_response_bytes)
        if self._tokens is not None:
            self._tokens.attach(http)
        self._http = http
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_httpx_client(http)
        self.users = Users(http)

    def get_token(self) -> Token:
        """Return the current access token, obtaining or renewing it if needed.

        Raises:
            ConfigurationError: the client uses an API key, for which no token is issued; or a
                new token needs the password, which was not given.
            ClientClosedError: the client is closed.
            AuthenticationError: the token request was refused.
        """
        if self._tokens is None:
            raise ConfigurationError("an API key client has no access token to get")
        if self._http.is_closed:
            raise ClientClosedError("the client is closed: create a new one")
        with call_scope(self._http):
            return self._tokens.get()

    def close(self) -> None:
        """Close the connection pool. Any later call raises `ClientClosedError`."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return _describe(self.config, type(self).__name__)


class AsyncCloudCX:
    """Asynchronous CloudCX client, the twin of `CloudCX`.

    It takes the same arguments, with the same retry, timeout and proxy behaviour; in addition,
    `users.iter(..., concurrency=N)` prefetches up to N pages at once.

    Example:
        >>> async with AsyncCloudCX(api_key="...") as cx:  # doctest: +SKIP
        ...     page = await cx.users.list(keywords="si")

    Attributes:
        users: The user directory (awaitable methods).
        client: The generated `AuthenticatedClient`, sharing this client's connection pool and
            authentication, for calling any generated `asyncio` endpoint function directly.
            Its `with_timeout`/`with_headers`/`with_cookies` raise `ConfigurationError`: the
            copy they return would lose this client's connection and auth.
        config: The resolved configuration (secrets masked).
    """

    _tokens: AsyncTokenManager | None

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        username: str | None = None,
        password: str | None = None,
        token_url: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        verify: Verify = True,
        allow_insecure_http: bool = False,
        refresh_skew: float = 60.0,
        token: Token | None = None,
        on_token: AsyncTokenHook | None = None,
        token_store: TokenStore | None = None,
        _clock: Callable[[], float] = time.monotonic,
        max_retries: int = 2,
        retry_policy: RetryPolicy | None = None,
        proxy: ProxySetting | None = None,
        trust_env: bool = True,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.config, auth, self._tokens = _configure(locals(), build_async_auth)
        options = _httpx_options(self.config, timeout, verify)
        transport, mounts = transports(
            async_retry_transport,
            verify=options["verify"],
            max_retries=max_retries,
            policy=retry_policy,
            token_url=self.config.token_url,
            proxy=proxy,
            trust_env=trust_env,
        )
        http = _AsyncClient(**options, transport=transport, mounts=mounts, auth=auth)
        _bind_limits(http, retry_policy, max_response_bytes)
        if self._tokens is not None:
            self._tokens.attach(http)
        self._http = http
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_async_httpx_client(http)
        self.users = AsyncUsers(http)

    async def get_token(self) -> Token:
        """Return the current access token, obtaining or renewing it if needed.

        Raises:
            ConfigurationError: the client uses an API key, for which no token is issued; or a
                new token needs the password, which was not given.
            ClientClosedError: the client is closed.
            AuthenticationError: the token request was refused.
        """
        if self._tokens is None:
            raise ConfigurationError("an API key client has no access token to get")
        if self._http.is_closed:
            raise ClientClosedError("the client is closed: create a new one")
        with call_scope(self._http):
            return await self._tokens.get()

    async def close(self) -> None:
        """Close the connection pool. Any later call raises `ClientClosedError`."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __repr__(self) -> str:
        return _describe(self.config, type(self).__name__)
