"""`CloudCX` and `AsyncCloudCX`: options, copies, the resources.

Also `CLOUDCX_LOG`, the switch that turns the `cloudcx` logger on without code. The httpx
client with its send guards, and the generated client they hand out, are in `cloudcx._http`.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from abc import abstractmethod
from collections.abc import Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Self

import httpx

from cloudcx_openapi.resources import AsyncResources, SyncResources

from ._config import (
    DEFAULT_MAX_RESPONSE_BYTES,
    check_proxied_credentials,
    resolve_config,
    unproxied_origins,
)
from ._exceptions import ClientClosedError, ConfigurationError
from ._version import __version__

# Only defining the client classes is paid for at import: what a built client uses (the auth
# and token machinery, the transports, the runner, the generated client) is imported by the
# first constructor.
if TYPE_CHECKING:
    from ._auth import AsyncTokenHook, SyncTokenHook, TokenAuth
    from ._config import ClientConfig
    from ._http import AsyncHttpClient, Connection, HttpClient, Retrying
    from ._oauth import Token
    from ._token_store import TokenStore
    from ._transport import Pools, ProxySetting, RetryPolicy, Verify

__all__ = [
    "DEFAULT_TIMEOUT",
    "LOG_ENV_VAR",
    "AsyncCloudCX",
    "CloudCX",
    "configure_from_env",
]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connect within 5 s; read, write and pool waits within 30 s."""

_USER_AGENT = f"cloudcx-python/{__version__}"

LOG_ENV_VAR = "CLOUDCX_LOG"
"""The environment variable that turns logging on: `debug` or `info`."""

_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# The logger of `cloudcx._transport` (the retries), where every client's log lines go.
_logger = logging.getLogger("cloudcx")


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler `CLOUDCX_LOG` installs; its class marks it as installed."""


def configure_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Install a stderr handler on the `cloudcx` logger if `CLOUDCX_LOG` asks; idempotent.

    `CLOUDCX_LOG=debug` (or `info`) adds one handler at that level, once per process. An
    unknown value is ignored rather than refused: a logging switch must never stop the client
    from working. No log line carries a secret: requests are logged by method and path, never
    by query, header or body. Returns whether the handler is installed.
    """
    env = os.environ if environ is None else environ
    level = _LOG_LEVELS.get(env.get(LOG_ENV_VAR, "").strip().lower())
    installed = [h for h in _logger.handlers if isinstance(h, _EnvHandler)]
    if level is None:
        return bool(installed)
    if not installed:
        handler = _EnvHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_LOG_FORMAT))
        _logger.addHandler(handler)
        installed.append(handler)
    for handler in installed:
        handler.setLevel(level)
    _logger.setLevel(level)
    return True


def _usable_tokens(tokens: TokenAuth | None, http: HttpClient | AsyncHttpClient) -> TokenAuth:
    """The token auth `get_token` asks; refused for an API key client or a closed one."""
    if tokens is None:
        raise ConfigurationError("an API key client has no access token to get")
    if http.unusable:
        raise ClientClosedError("the client is closed: create a new one")
    return tokens


class _Core:
    """What both clients decide alike: opening the httpx client, copying, the repr.

    Only the I/O-specific lines stay in `CloudCX` and `AsyncCloudCX`.
    """

    config: ClientConfig
    _tokens: TokenAuth | None
    _http: HttpClient | AsyncHttpClient
    _auth: httpx.Auth
    _connection: Connection
    # The networks (connection pools) under the retry transports: the default route's, and
    # per proxy pattern (None: direct). A `with_options` copy borrows them.
    _pools: Pools

    @abstractmethod
    def _connect(self, auth: httpx.Auth, connection: Connection, source: Self | None) -> None:
        """Open the httpx client, on `source`'s pools if given, and attach the resources."""

    def _open_http(
        self,
        http_type: Callable[..., HttpClient | AsyncHttpClient],
        kind: type[Retrying],
        auth: httpx.Auth,
        connection: Connection,
        source: Self | None,
    ) -> None:
        """Open the httpx client (`_http`), on `source`'s pools if given."""
        from ._http import open_http

        check_proxied_credentials(self.config, connection.proxy)
        self._connection, self._auth = connection, auth
        self._http, self._pools = open_http(
            http_type,
            kind,
            base_url=self.config.base_url,
            token_url=self.config.token_url,
            headers={"User-Agent": _USER_AGENT, "Accept": "application/json"},
            auth=auth,
            connection=connection,
            borrow=None if source is None else (source._pools, source._http),
            unproxied=unproxied_origins(self.config),
        )

    def _copy(
        self,
        client_type: type[httpx.Client | httpx.AsyncClient],
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry_policy: RetryPolicy | None,
    ) -> Self:
        connection = self._connection.changed(
            timeout=timeout, max_retries=max_retries, retry_policy=retry_policy
        ).validated(client_type)
        copy = object.__new__(type(self))
        # The copy's own token auth, on the shared token cache: a token request one of its
        # calls needs goes out with the copy's timeout and retries.
        tokens = None if self._tokens is None else self._tokens.sharing()
        copy.config, copy._tokens = self.config, tokens
        copy._connect(self._auth if tokens is None else tokens, connection, source=self)
        return copy

    def __repr__(self) -> str:
        config = self.config
        who = f"password grant as {config.username!r}"
        if config.auth_mode == "api_key":
            who = "api_key"
        urls = f"base_url={config.base_url!r}, token_url={config.token_url!r}"
        return f"{type(self).__name__}({urls}, auth={who})"


class CloudCX(_Core, SyncResources):
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
    `allow_insecure_http=True`. The README's "Tokens" section states the token policy in full.

    Failures: `timeout` (seconds, or an `httpx.Timeout`; default connect 5 s, read 30 s) can
    be overridden per call. Connection errors, timeouts and 408/429/502/503/504 are retried
    `max_retries` times (default 2) with full-jitter backoff, honouring `Retry-After`, for API
    and token requests alike; `retry_policy` (a `RetryPolicy`) shapes the waits and sets an
    overall deadline (the README's "Retries and timeouts"). One attempt ends within
    its longest timeout however slowly the server sends, and one call (token request, API
    request and resend together) within `retry_policy.deadline` (120 s by default).
    `max_response_bytes` (default 32 MiB) caps each response body's decoded size: a larger one
    raises `InvalidResponseError` as soon as the cap is passed (the README's "Bounds").

    Proxies: `proxy` (a URL, or an `httpx.Proxy`) sends every request through that proxy. Without
    it, and with `trust_env` (default `True`), `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and
    `NO_PROXY` are honoured as httpx honours them; `trust_env=False` ignores them. API and token
    requests alike go through the proxy and the retry policy; plain `http://` to loopback takes
    no proxy without `allow_insecure_http=True`.

    Resources: every operation of the spec is a typed method, `cx.<resource>.<method>(...)`
    (generated: `cloudcx_openapi.resources`), and `cx.<resource>.with_raw_response.<method>`
    returns the raw response. Decoding is tolerant by default (a nullable field that is missing
    reads as null; extra fields are kept); `strict=True` requires every field the spec lists.

    Your own httpx client: `http_client=` (an `httpx.Client`) sends every request, the token
    request included, through that client's transport, so its proxies, TLS settings, limits,
    mounts and event hooks apply. This client's auth, timeout, retry policy, redirect refusal
    and guards are applied around it, and its own auth, default headers and redirect setting
    are not used. It stays yours: `close()` does not close it. `proxy` and `verify` are then
    refused (set them on it).

    `with_options(timeout=..., max_retries=..., retry_policy=...)` returns a copy with other
    timeouts or retries that shares this client's connection pool, credentials and token; a
    token request one of the copy's calls needs goes out with the copy's settings.

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

    _tokens: TokenAuth | None
    _http: HttpClient

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
        http_client: httpx.Client | None = None,
        strict: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.config = resolve_config(
            base_url=base_url,
            api_key=api_key,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            token_url=token_url,
            allow_insecure_http=allow_insecure_http,
            # A saved token may stand in for the password.
            password_optional=token is not None or token_store is not None,
        )
        configure_from_env()
        from ._auth import build_auth
        from ._http import Connection

        auth, self._tokens = build_auth(
            self.config,
            token=token,
            on_token=on_token,
            token_store=token_store,
            refresh_skew=refresh_skew,
            clock=_clock,
        )
        connection = Connection(
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            verify=verify,
            proxy=proxy,
            trust_env=trust_env,
            http_client=http_client,
            strict=strict,
            max_response_bytes=max_response_bytes,
        )
        self._connect(auth, connection.validated(httpx.Client), source=None)

    def _connect(self, auth: httpx.Auth, connection: Connection, source: Self | None) -> None:
        """Open the httpx client, on `source`'s pools if given, and attach the resources."""
        from ._http import HttpClient, SharedAuthenticatedClient
        from ._transport import RetryTransport
        from .resources._runner import SyncRunner

        self._open_http(HttpClient, RetryTransport, auth, connection, source)
        if self._tokens is not None:
            self._tokens.attach(self._http, connection)
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_httpx_client(self._http)
        SyncResources.__init__(self, SyncRunner(self._http, strict=connection.strict))

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> Self:
        """A copy of this client with other timeouts or retries, sharing its pool and token.

        The copy uses this client's connections, credentials and token (no new token request),
        and is usable while this client is open; closing the copy leaves this client open,
        closing this client closes the copies too. Arguments left out keep their value. The
        copy's settings apply to everything it sends, a token request included: when one of
        its calls finds the shared token missing or due, that call obtains it with the copy's
        timeout, retries and deadline, and the original and every copy use the one token.

        Example:
            >>> patient = cx.with_options(timeout=120, max_retries=5)  # doctest: +SKIP
        """
        return self._copy(httpx.Client, timeout, max_retries, retry_policy)

    def get_token(self) -> Token:
        """Return the current access token, obtaining or renewing it if needed.

        Raises:
            ConfigurationError: the client uses an API key, for which no token is issued; or a
                new token needs the password, which was not given.
            ClientClosedError: the client is closed.
            AuthenticationError: the token request was refused.
        """
        from ._deadline import call_scope

        tokens = _usable_tokens(self._tokens, self._http)
        with call_scope(self._http):
            return tokens.get()

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


class AsyncCloudCX(_Core, AsyncResources):
    """Asynchronous CloudCX client, the twin of `CloudCX`.

    It takes the same arguments, with the same retry, timeout, proxy and decoding behaviour,
    and has the same resources with awaitable methods; in addition, the walkers of paged
    operations (`users.iter(..., concurrency=N)`) prefetch up to N pages at once.

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

    _tokens: TokenAuth | None
    _http: AsyncHttpClient

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
        http_client: httpx.AsyncClient | None = None,
        strict: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        self.config = resolve_config(
            base_url=base_url,
            api_key=api_key,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            token_url=token_url,
            allow_insecure_http=allow_insecure_http,
            # A saved token may stand in for the password.
            password_optional=token is not None or token_store is not None,
        )
        configure_from_env()
        from ._auth import build_auth
        from ._http import Connection

        auth, self._tokens = build_auth(
            self.config,
            asynchronous=True,
            token=token,
            on_token=on_token,
            token_store=token_store,
            refresh_skew=refresh_skew,
            clock=_clock,
        )
        connection = Connection(
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            verify=verify,
            proxy=proxy,
            trust_env=trust_env,
            http_client=http_client,
            strict=strict,
            max_response_bytes=max_response_bytes,
        )
        self._connect(auth, connection.validated(httpx.AsyncClient), source=None)

    def _connect(self, auth: httpx.Auth, connection: Connection, source: Self | None) -> None:
        """Open the httpx client, on `source`'s pools if given, and attach the resources."""
        from ._http import AsyncHttpClient, SharedAuthenticatedClient
        from ._transport import AsyncRetryTransport
        from .resources._runner import AsyncRunner

        self._open_http(AsyncHttpClient, AsyncRetryTransport, auth, connection, source)
        if self._tokens is not None:
            self._tokens.attach(self._http, connection)
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_async_httpx_client(self._http)
        AsyncResources.__init__(self, AsyncRunner(self._http, strict=connection.strict))

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> Self:
        """A copy of this client with other timeouts or retries, sharing its pool and token.

        As `CloudCX.with_options`.
        """
        return self._copy(httpx.AsyncClient, timeout, max_retries, retry_policy)

    async def get_token(self) -> Token:
        """Return the current access token, obtaining or renewing it if needed.

        Raises:
            ConfigurationError: the client uses an API key, for which no token is issued; or a
                new token needs the password, which was not given.
            ClientClosedError: the client is closed.
            AuthenticationError: the token request was refused.
        """
        from ._deadline import call_scope

        tokens = _usable_tokens(self._tokens, self._http)
        with call_scope(self._http):
            return await tokens.aget()

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
