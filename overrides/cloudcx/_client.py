"""`CloudCX` and `AsyncCloudCX`: configuration, the connection pool, and the resources."""

from __future__ import annotations

import dataclasses
import os
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

import httpx

from cloudcx_openapi.resources import AsyncResources, SyncResources

from ._auth import build_async_auth, build_sync_auth
from ._config import ClientConfig, build_ssl_context, resolve_config
from ._deadline import (
    DEFAULT_MAX_RESPONSE_BYTES,
    CallLimits,
    aread_capped,
    bind_limits,
    bound_borrowed_client,
    call_scope,
    check_body_cap,
    read_capped,
)
from ._exceptions import ClientClosedError, ConfigurationError
from ._generated_client import SharedAuthenticatedClient
from ._logging import configure_from_env
from ._loop_guard import LoopGuard
from ._proxy import ProxySetting, transports
from ._response import LOCAL_SEND_ERRORS, describe_url, raise_send_failure
from ._retry import (
    AsyncRetryTransport,
    RetryPolicy,
    RetryTransport,
    async_retry_transport,
    resolve_timeout,
    retry_transport,
)
from ._token_manager import AsyncTokenHook, AsyncTokenManager, SyncTokenHook, SyncTokenManager
from ._token_store import TokenStore
from ._tokens import Token
from ._version import __version__
from .resources._runner import AsyncRunner, SyncRunner

__all__ = ["DEFAULT_TIMEOUT", "AsyncCloudCX", "CloudCX"]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
"""Connect within 5 s; read, write and pool waits within 30 s."""

_USER_AGENT = f"cloudcx-python/{__version__}"

Verify = bool | str | os.PathLike[str] | ssl.SSLContext


@dataclass(frozen=True, slots=True)
class _Connection:
    """How a client reaches the server: what `with_options` copies, changing some of it.

    The credentials are not here: they live in the resolved `ClientConfig` and the auth, which
    a copy shares. `validated` checks every field before any pool exists.
    """

    timeout: float | httpx.Timeout
    max_retries: int
    retry_policy: RetryPolicy | None
    verify: Verify
    proxy: ProxySetting | None
    trust_env: bool
    http_client: httpx.Client | httpx.AsyncClient | None
    strict: bool
    max_response_bytes: int

    def validated(self, client_type: type[httpx.Client | httpx.AsyncClient]) -> _Connection:
        """These options, checked (the timeout resolved); `ConfigurationError` otherwise."""
        if not isinstance(self.strict, bool):
            raise ConfigurationError("strict must be True or False")
        check_body_cap(self.max_response_bytes)
        if self.http_client is not None:
            if not isinstance(self.http_client, client_type):
                raise ConfigurationError(
                    f"http_client must be an {client_type.__module__}.{client_type.__name__}, "
                    f"not {type(self.http_client).__name__}"
                )
            if self.proxy is not None or self.verify is not True:
                raise ConfigurationError(
                    "proxy and verify do not apply with http_client: configure them on it"
                )
        return dataclasses.replace(self, timeout=resolve_timeout(self.timeout))


def _resolve(
    *,
    base_url: str | None,
    api_key: str | None,
    client_id: str | None,
    client_secret: str | None,
    username: str | None,
    password: str | None,
    token_url: str | None,
    allow_insecure_http: bool,
    saved_token: bool,
) -> ClientConfig:
    """The first step of both constructors: the settings, from the arguments and environment.

    A saved token (`token=` or `token_store=`) may stand in for the password. Auth is built
    after this and before any httpx client: its validation can fail, and there is no pool yet.
    """
    config = resolve_config(
        base_url=base_url,
        api_key=api_key,
        client_id=client_id,
        client_secret=client_secret,
        username=username,
        password=password,
        token_url=token_url,
        allow_insecure_http=allow_insecure_http,
        password_optional=saved_token,
    )
    configure_from_env()
    return config


class _BorrowedPool(httpx.BaseTransport):
    """A connection pool this client uses without owning it: closing this leaves it open.

    The original's network transport, for a `with_options` copy; the caller's client, for
    `http_client=`. The client's own retry transport wraps it, so its `max_retries` apply.
    """

    def __init__(self, send: Callable[[httpx.Request], httpx.Response]) -> None:
        self._send = send

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the pool's owner."""
        return self._send(request)


class _AsyncBorrowedPool(httpx.AsyncBaseTransport):
    """The async twin of `_BorrowedPool`."""

    def __init__(self, send: Callable[[httpx.Request], Awaitable[httpx.Response]]) -> None:
        self._send = send

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the pool's owner."""
        return await self._send(request)


def _through_client(client: httpx.Client) -> Callable[[httpx.Request], httpx.Response]:
    """Send each request through a caller's `httpx.Client`: its transport, proxies, TLS, hooks.

    Its own auth is not applied (ours is, once, by the CloudCX client) and redirects are never
    followed; the response is streamed back for the CloudCX client to read.
    """

    def send(request: httpx.Request) -> httpx.Response:
        return client.send(request, auth=None, follow_redirects=False, stream=True)

    return send


def _through_async_client(
    client: httpx.AsyncClient,
) -> Callable[[httpx.Request], Awaitable[httpx.Response]]:
    """The async twin of `_through_client`."""

    async def send(request: httpx.Request) -> httpx.Response:
        return await client.send(request, auth=None, follow_redirects=False, stream=True)

    return send


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
    #: The client whose pool this one borrows (a `with_options` copy), if any.
    owner: httpx.Client | None = None

    @property
    def unusable(self) -> bool:
        """Closed, or borrowing the pool of a client that is closed."""
        return self.is_closed or (self.owner is not None and self.owner.is_closed)

    def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.unusable:
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
    owner: httpx.AsyncClient | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loops = LoopGuard()  # a second event loop is refused at once, not left to hang

    @property
    def unusable(self) -> bool:
        """Closed, or borrowing the pool of a client that is closed."""
        return self.is_closed or (self.owner is not None and self.owner.is_closed)

    async def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.unusable:
            raise _closed_error(request)
        with self._loops.entered(), call_scope(self):
            try:
                response = await super().send(request, stream=True, **kwargs)
            except LOCAL_SEND_ERRORS as exc:
                raise_send_failure(exc, request)
            if not stream:
                await aread_capped(response)
            return response


def _bind_limits(http: httpx.Client | httpx.AsyncClient, connection: _Connection) -> None:
    chosen = connection.retry_policy or RetryPolicy()
    bind_limits(http, CallLimits(chosen.deadline, chosen.clock, connection.max_response_bytes))


def _httpx_options(config: ClientConfig, connection: _Connection) -> dict[str, Any]:
    return {
        "base_url": config.base_url,
        "timeout": connection.timeout,
        # Never follow redirects: a redirect to another origin must not carry credentials, and
        # the API has no redirecting endpoints.
        "follow_redirects": False,
        "headers": {"User-Agent": _USER_AGENT, "Accept": "application/json"},
    }


def _describe(config: ClientConfig, name: str) -> str:
    who = "api_key" if config.auth_mode == "api_key" else f"password grant as {config.username!r}"
    return f"{name}(base_url={config.base_url!r}, token_url={config.token_url!r}, auth={who})"


class CloudCX(SyncResources):
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
    timeouts or retries that shares this client's connection pool, credentials and token.

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
    _http: _Client
    _auth: httpx.Auth
    _connection: _Connection
    # The networks (connection pools) under the retry transports: the default route's, and
    # per proxy pattern (None: direct). A `with_options` copy borrows them.
    _pools: tuple[httpx.BaseTransport, dict[str, httpx.BaseTransport | None]]

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
        self.config = _resolve(
            base_url=base_url,
            api_key=api_key,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            token_url=token_url,
            allow_insecure_http=allow_insecure_http,
            saved_token=token is not None or token_store is not None,
        )
        auth, self._tokens = build_sync_auth(
            self.config,
            token=token,
            on_token=on_token,
            token_store=token_store,
            refresh_skew=refresh_skew,
            clock=_clock,
        )
        connection = _Connection(
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

    def _connect(self, auth: httpx.Auth, connection: _Connection, source: CloudCX | None) -> None:
        """Open the httpx client, on `source`'s pools if given, and attach the resources."""
        self._connection, self._auth = connection, auth

        def retrying(pool: httpx.BaseTransport) -> RetryTransport:
            return RetryTransport(
                _BorrowedPool(pool.handle_request),
                max_retries=connection.max_retries,
                policy=connection.retry_policy,
                resendable_urls=[self.config.token_url],
            )

        mounts: dict[str, httpx.BaseTransport | None]
        if source is not None:
            self._pools = source._pools
            transport: httpx.BaseTransport = retrying(self._pools[0])
            mounts = {p: None if n is None else retrying(n) for p, n in self._pools[1].items()}
        elif isinstance(connection.http_client, httpx.Client):
            bound_borrowed_client(connection.http_client)
            pool = _BorrowedPool(_through_client(connection.http_client))
            self._pools = (pool, {})
            transport, mounts = retrying(pool), {}
        else:
            root, root_mounts = transports(
                retry_transport,
                verify=build_ssl_context(connection.verify),
                max_retries=connection.max_retries,
                policy=connection.retry_policy,
                token_url=self.config.token_url,
                proxy=connection.proxy,
                trust_env=connection.trust_env,
            )
            transport, mounts = root, dict(root_mounts)
            # The network under each retry transport: what a `with_options` copy borrows.
            self._pools = (
                root._transport,
                {p: None if t is None else t._transport for p, t in root_mounts.items()},
            )
        options = _httpx_options(self.config, connection)
        http = _Client(**options, transport=transport, mounts=mounts, auth=auth)
        http.owner = None if source is None else (source._http.owner or source._http)
        _bind_limits(http, connection)
        if self._tokens is not None and source is None:
            self._tokens.attach(http)
        self._http = http
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_httpx_client(http)
        SyncResources.__init__(self, SyncRunner(http, strict=connection.strict))

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
        closing this client closes the copies too. Arguments left out keep their value.

        Example:
            >>> patient = cx.with_options(timeout=120, max_retries=5)  # doctest: +SKIP
        """
        changes: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "retry_policy": retry_policy,
        }
        connection = dataclasses.replace(
            self._connection, **{k: v for k, v in changes.items() if v is not None}
        ).validated(httpx.Client)
        copy = object.__new__(type(self))
        copy.config, copy._tokens = self.config, self._tokens
        copy._connect(self._auth, connection, source=self)
        return copy

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
        if self._http.unusable:
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


class AsyncCloudCX(AsyncResources):
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

    _tokens: AsyncTokenManager | None
    _http: _AsyncClient
    _auth: httpx.Auth
    _connection: _Connection
    _pools: tuple[httpx.AsyncBaseTransport, dict[str, httpx.AsyncBaseTransport | None]]

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
        self.config = _resolve(
            base_url=base_url,
            api_key=api_key,
            client_id=client_id,
            client_secret=client_secret,
            username=username,
            password=password,
            token_url=token_url,
            allow_insecure_http=allow_insecure_http,
            saved_token=token is not None or token_store is not None,
        )
        auth, self._tokens = build_async_auth(
            self.config,
            token=token,
            on_token=on_token,
            token_store=token_store,
            refresh_skew=refresh_skew,
            clock=_clock,
        )
        connection = _Connection(
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

    def _connect(
        self, auth: httpx.Auth, connection: _Connection, source: AsyncCloudCX | None
    ) -> None:
        """Open the httpx client, on `source`'s pools if given, and attach the resources."""
        self._connection, self._auth = connection, auth

        def retrying(pool: httpx.AsyncBaseTransport) -> AsyncRetryTransport:
            return AsyncRetryTransport(
                _AsyncBorrowedPool(pool.handle_async_request),
                max_retries=connection.max_retries,
                policy=connection.retry_policy,
                resendable_urls=[self.config.token_url],
            )

        mounts: dict[str, httpx.AsyncBaseTransport | None]
        if source is not None:
            self._pools = source._pools
            transport: httpx.AsyncBaseTransport = retrying(self._pools[0])
            mounts = {p: None if n is None else retrying(n) for p, n in self._pools[1].items()}
        elif isinstance(connection.http_client, httpx.AsyncClient):
            bound_borrowed_client(connection.http_client)
            pool = _AsyncBorrowedPool(_through_async_client(connection.http_client))
            self._pools = (pool, {})
            transport, mounts = retrying(pool), {}
        else:
            root, root_mounts = transports(
                async_retry_transport,
                verify=build_ssl_context(connection.verify),
                max_retries=connection.max_retries,
                policy=connection.retry_policy,
                token_url=self.config.token_url,
                proxy=connection.proxy,
                trust_env=connection.trust_env,
            )
            transport, mounts = root, dict(root_mounts)
            # The network under each retry transport: what a `with_options` copy borrows.
            self._pools = (
                root._transport,
                {p: None if t is None else t._transport for p, t in root_mounts.items()},
            )
        options = _httpx_options(self.config, connection)
        http = _AsyncClient(**options, transport=transport, mounts=mounts, auth=auth)
        http.owner = None if source is None else (source._http.owner or source._http)
        _bind_limits(http, connection)
        if self._tokens is not None and source is None:
            self._tokens.attach(http)
        self._http = http
        self.client = SharedAuthenticatedClient(
            base_url=self.config.base_url, token=""
        ).set_async_httpx_client(http)
        AsyncResources.__init__(self, AsyncRunner(http, strict=connection.strict))

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
        changes: dict[str, Any] = {
            "timeout": timeout,
            "max_retries": max_retries,
            "retry_policy": retry_policy,
        }
        connection = dataclasses.replace(
            self._connection, **{k: v for k, v in changes.items() if v is not None}
        ).validated(httpx.AsyncClient)
        copy = object.__new__(type(self))
        copy.config, copy._tokens = self.config, self._tokens
        copy._connect(self._auth, connection, source=self)
        return copy

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
        if self._http.unusable:
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
