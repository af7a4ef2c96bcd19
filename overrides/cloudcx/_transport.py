"""The transport: retries, proxies and the network bound, built by `build_transport`.

The retry policy sits in an httpx transport wrapped around the real one, so every request the
client sends goes through it: API calls and the token manager's token requests alike (the
manager sends through the client's own `send`), direct or through a proxy (each proxy route
gets its own retrying transport). The whole policy:

* Retried: a connection that could not be made (connect errors and connect/pool timeouts, always
  safe because nothing was sent); a connection that broke, or a read or write timeout, for
  idempotent methods and for the token request; the statuses 408, 429 and 503 (the request
  was not processed); and 502 and 504 (it may have been) under the same rule as a broken
  connection: only idempotent methods and the token request.
  The token POST is safe to resend although POST is not idempotent: it changes nothing on the
  server but the issue of a token, so a lost answer costs at worst one unused token that
  expires on its own (a rotated refresh token that was spent is refused with `invalid_grant`,
  which the token manager already handles).
* Never retried: any other status (400, 401, which the token refresh owns, 403, 404, 422, 500
  and the rest), and any answer whose body is wrong: those are decided above this layer.
* Waiting: full jitter, a random delay in `[0, min(max_delay, base_delay * 2**retry))`, or the
  server's `Retry-After` (seconds or an HTTP date) when it sent one. A `Retry-After` beyond
  `max_retry_after` is not waited for: the error surfaces at once, carrying it.
* Bounds: `max_retries` retries after the first attempt, and an overall `deadline` across all
  requests, attempts and waits of one public call; each attempt's timeouts are shrunk to what
  is left of the deadline, and a wait that would overrun it is not started. One attempt ends
  within its longest timeout, however slowly the server sends: the network backend under
  every pool (`DeadlineBackend`) bounds each connect, read and write by the call scope
  (`cloudcx._deadline`).

Proxies: `proxy=` given, every request goes through it and the environment is not read (as
httpx). Otherwise, with `trust_env` (the default), `http://` URLs use `HTTP_PROXY`, `https://`
URLs `HTTPS_PROXY`, either falls back on `ALL_PROXY`; a host that `NO_PROXY` names (an address,
`localhost`, a domain and its subdomains, `.domain` for subdomains only, or `*` for all) is
reached directly; lower-case names are read too. httpx reads these only when it builds its own
transport, and the clients hand it a retrying one, so they are read here the way httpx does. A
proxy changes the route, not the target: the plain-`http://` refusal for hosts that are not
loopback (`allow_insecure_http`) is decided on the API and token URLs all the same. Plain
`http://` to loopback is let by only because it never leaves the machine, so without the
opt-in it never takes a proxy: the environment's are bypassed for it, and an explicit one is
refused (`_config.check_proxied_credentials`).

Every attempt is logged at DEBUG (method, path, outcome, elapsed ms, attempt number) and every
retry at INFO, on the `cloudcx` logger; the path only, never the query or a header.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import os
import random
import ssl
import time
import urllib.request
from collections.abc import Awaitable, Callable, Collection, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar, cast

import httpcore
import httpx

from ._config import (
    MAX_TIMEOUT,
    build_ssl_context,
    check_max_retries,
    check_proxy,
    check_retry_delays,
)
from ._deadline import (
    BASE_TIMEOUT_EXTENSION,
    CallLimits,
    CallScope,
    aread_capped,
    attempt_budget,
    call_scope,
    current_scope,
    read_capped,
)
from ._exceptions import CloudCXError, ConfigurationError
from ._response import ATTEMPTS_EXTENSION, describe_path, parse_retry_after

__all__ = [
    "RETRY_STATUSES",
    "AsyncDeadlineBackend",
    "AsyncRetryTransport",
    "DeadlineBackend",
    "Pools",
    "ProxySetting",
    "RetryPolicy",
    "RetryTransport",
    "Routes",
    "Verify",
    "build_transport",
    "environment_proxies",
    "logger",
]

logger = logging.getLogger("cloudcx")
"""The library's logger. Nothing shows unless the application configures logging, or
`CLOUDCX_LOG` asks for a stderr handler (`cloudcx._client`)."""
logger.addHandler(logging.NullHandler())

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
"""The statuses that are worth another attempt: the server or a proxy on the way is busy."""

ProxySetting = str | httpx.URL | httpx.Proxy
"""What `proxy=` takes: a proxy URL (credentials in it are sent to the proxy), or a Proxy."""

Verify = bool | str | os.PathLike[str] | ssl.SSLContext
"""What `verify=` takes: on/off, a CA bundle file or directory, or a TLS context."""

_T = TypeVar("_T")
_U = TypeVar("_U")


@dataclass(frozen=True, slots=True)
class Routes(Generic[_T]):
    """A transport per route: the default one, and one per URL pattern (None: the default).

    The shape of httpx's `transport=` and `mounts=`.
    """

    default: _T
    mounts: dict[str, _T | None]

    def map(self, convert: Callable[[_T], _U]) -> Routes[_U]:
        """The same routes, each transport converted (a None route stays None)."""
        mounts = {p: None if t is None else convert(t) for p, t in self.mounts.items()}
        return Routes(convert(self.default), mounts)


Pools = Routes[Any]
"""The networks (connection pools) under a client's retry transports; a `with_options` copy
borrows them."""


class _BorrowedPool(httpx.BaseTransport):
    """A connection pool this client uses without owning it: closing this leaves it open.

    The original's network, for a `with_options` copy; the caller's client, for
    `http_client=`. The client's own retry transport wraps it, so its `max_retries` apply.
    """

    def __init__(self, send: Callable[[httpx.Request], httpx.Response]) -> None:
        self._send = send

    @classmethod
    def through(cls, client: httpx.Client) -> _BorrowedPool:
        """Send through a caller's client: its transport, proxies, TLS and hooks.

        Its own auth is not applied (ours is, once, by the CloudCX client) and redirects are
        never followed; the response is streamed back for the CloudCX client to read.
        """
        return cls(functools.partial(client.send, auth=None, follow_redirects=False, stream=True))

    @classmethod
    def of(cls, pool: httpx.BaseTransport) -> _BorrowedPool:
        """Send through another client's network transport, leaving it open on close."""
        return cls(pool.handle_request)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the pool's owner."""
        return self._send(request)


class _AsyncBorrowedPool(httpx.AsyncBaseTransport):
    """The async twin of `_BorrowedPool`."""

    def __init__(self, send: Callable[[httpx.Request], Awaitable[httpx.Response]]) -> None:
        self._send = send

    @classmethod
    def through(cls, client: httpx.AsyncClient) -> _AsyncBorrowedPool:
        """The async twin of `_BorrowedPool.through`."""
        return cls(functools.partial(client.send, auth=None, follow_redirects=False, stream=True))

    @classmethod
    def of(cls, pool: httpx.AsyncBaseTransport) -> _AsyncBorrowedPool:
        """The async twin of `_BorrowedPool.of`."""
        return cls(pool.handle_async_request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the pool's owner."""
        return await self._send(request)


_Wrapped = TypeVar("_Wrapped", httpx.BaseTransport, httpx.AsyncBaseTransport)

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# A gateway answered for a server that may already have acted on the request (408, 429 and 503
# say the request was not processed).
_MAYBE_PROCESSED = frozenset({502, 504})
# Nothing reached the server: resending is safe whatever the method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the server: resend only what is safe to repeat.
_MAYBE_SENT = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.TimeoutException)


def _full_jitter(upper: float) -> float:
    return random.uniform(0.0, upper)


async def _asyncio_sleep(seconds: float) -> None:
    # Imported here, not at module level: the sync client imports this module and must not
    # pay for loading asyncio.
    import asyncio

    await asyncio.sleep(seconds)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long to wait between attempts, and for how long to keep trying.

    The number of retries is the client's `max_retries`; this object shapes the waits. Every
    function is injectable so that tests run in milliseconds.

    Attributes:
        base_delay: The first backoff's upper bound, in seconds; it doubles at each retry.
        max_delay: The cap on a backoff's upper bound, in seconds.
        max_retry_after: The longest `Retry-After` the client waits for; a longer one makes the
            error surface at once (with `RateLimitError.retry_after` telling the wait).
        deadline: Seconds from the start of a public call by which the whole call ends: its
            token request, API request, resend after a 401, retries and waits together
            (`APITimeoutError` past it). `None`: no overall deadline (each attempt is still
            bounded by its timeouts).
        jitter: Given the upper bound, returns the delay to wait (uniform in [0, bound]).
        sleep: Waits that many seconds (the sync client).
        async_sleep: Waits that many seconds (the async client).
        clock: A monotonic clock, in seconds.
    """

    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    deadline: float | None = 120.0
    jitter: Callable[[float], float] = field(default=_full_jitter, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(default=_asyncio_sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        check_retry_delays(
            base_delay=self.base_delay,
            max_delay=self.max_delay,
            max_retry_after=self.max_retry_after,
            deadline=self.deadline,
        )

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (counting from 0) when the server named none."""
        # `2.0**1024` raises OverflowError, and a client with a huge `max_retries` against a
        # server that fails at once reaches retry 1024 within its deadline; past 2**1023 the
        # product is far over any finite `max_delay` anyway (or inf, which `min` caps).
        upper = min(self.max_delay, self.base_delay * 2.0 ** min(retry, 1023))
        return min(upper, max(0.0, self.jitter(upper)))


def _longest(values: tuple[object, ...]) -> float | None:
    """The longest of `values` if each is a number (not NaN); None if any is not."""
    numbers = [value for value in values if isinstance(value, int | float) and value == value]
    return max(numbers, default=-math.inf) if len(numbers) == len(values) else None


class _TimeoutShape:
    """What an attempt needs of its timeouts, kept for the last values seen.

    The requests of a client carry the same values (its timeout, or one call's `timeout=`), so
    they are worked out once, not on every attempt. One entry, replaced whole: threads share it.
    """

    __slots__ = ("_last",)

    def __init__(self) -> None:
        self._last: tuple[tuple[object, ...], float | None, float | None] = ((), None, -math.inf)

    def of(self, timeouts: Mapping[str, object]) -> tuple[float | None, float | None]:
        """The attempt's budget (`attempt_budget`), and the longest timeout (`_longest`)."""
        values = tuple(timeouts.values())
        last = self._last
        if last[0] != values:
            last = self._last = (values, attempt_budget(timeouts), _longest(values))
        return last[1], last[2]


@dataclass(slots=True)
class _Attempts:
    """One request's attempts: what to do after each outcome."""

    owner: _RetryBase[Any]
    request: httpx.Request
    scope: CallScope
    number: int = 0
    attempt_started: float = 0.0

    @property
    def policy(self) -> RetryPolicy:
        return self.owner.policy

    @property
    def max_retries(self) -> int:
        return self.owner.max_retries

    def resendable(self) -> bool:
        return self.owner.resendable(self.request)

    def begin(self) -> None:
        self.number += 1
        self.request.extensions[ATTEMPTS_EXTENSION] = self.number
        self._shrink_timeouts()
        self.attempt_started = self.owner.policy.clock()

    def _shrink_timeouts(self) -> None:
        extensions = self.request.extensions
        if not isinstance(extensions.get("timeout"), dict):
            self.scope.begin_attempt(None)
            return
        # The auth flow resends this very request object after a 401, for a new series of
        # attempts: shrink from the caller's timeouts, remembered once, not from the last shrunk.
        timeouts = extensions.get(BASE_TIMEOUT_EXTENSION)
        if timeouts is None:
            timeouts = extensions[BASE_TIMEOUT_EXTENSION] = dict(extensions["timeout"])
        # The whole attempt (headers and body) ends within its longest timeout: the network
        # layer enforces it (`DeadlineBackend`).
        budget, longest = self.owner._timeout_shape.of(timeouts)
        self.scope.begin_attempt(budget)
        remaining = self.scope.remaining()
        if remaining is None:
            return
        left = max(0.001, remaining)
        if longest is not None and longest <= left:
            extensions["timeout"] = timeouts  # the usual case: every phase fits as it is
            return
        # A phase without a limit gets what is left of the deadline, unless that is beyond what
        # a socket's timer takes (it overflows on a deadline of 1e12 s).
        unlimited = left if left <= MAX_TIMEOUT else None
        extensions["timeout"] = {
            name: unlimited if value is None else min(value, left)
            for name, value in timeouts.items()
        }

    def _describe(self) -> str:
        return f"{self.request.method} {describe_path(self.request.url)}"

    def log_outcome(self, outcome: str) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return  # the usual case: spare building the message's parts on every attempt
        elapsed_ms = (self.policy.clock() - self.attempt_started) * 1000.0
        logger.debug(
            "%s -> %s in %.1f ms (attempt %d of %d)",
            self._describe(),
            outcome,
            elapsed_ms,
            self.number,
            self.max_retries + 1,
        )

    def _wait_or_none(self, delay: float, reason: str) -> float | None:
        """Return `delay` if another attempt fits in the budget, else None."""
        if self.number > self.max_retries:
            return None
        left = self.scope.remaining()
        if left is not None and delay >= left:
            logger.info("%s: %s; not retrying, the deadline would pass", self._describe(), reason)
            return None
        logger.info(
            "%s: %s; retrying in %.3f s (attempt %d of %d)",
            self._describe(),
            reason,
            delay,
            self.number + 1,
            self.max_retries + 1,
        )
        return delay

    def after_error(self, exc: Exception) -> float | None:
        """The wait before retrying after `exc`, or None to give up (and re-raise it)."""
        self.log_outcome(type(exc).__name__)
        if not isinstance(exc, _NOT_SENT) and not (
            isinstance(exc, _MAYBE_SENT) and self.resendable()
        ):
            return None
        return self._wait_or_none(self.policy.backoff(self.number - 1), type(exc).__name__)

    def after_response(self, response: httpx.Response) -> float | None:
        """The wait before retrying after `response`, or None to hand it back."""
        status = response.status_code
        self.log_outcome(str(status))
        if status not in RETRY_STATUSES:
            return None
        if status in _MAYBE_PROCESSED and not self.resendable():
            # A gateway's 502/504 says nothing of whether the server behind it acted: resending
            # a request that is not safe to repeat could do it twice.
            return None
        retry_after = parse_retry_after(response.headers.get("retry-after"))
        if retry_after is None:
            delay = self.policy.backoff(self.number - 1)
        elif retry_after > self.policy.max_retry_after:
            logger.info(
                "%s: HTTP %d asks to wait %.0f s, over the %.0f s cap; not retrying",
                self._describe(),
                status,
                retry_after,
                self.policy.max_retry_after,
            )
            return None
        else:
            delay = retry_after
        return self._wait_or_none(delay, f"HTTP {status}")


class _RetryBase(Generic[_Wrapped]):
    """What both transports share: the settings, and a fresh series of attempts per request.

    Args:
        transport: The transport that really sends (an `httpx.HTTPTransport`, or its async twin).
        max_retries: Retries after the first attempt (0: none).
        policy: Backoff, caps and deadline.
        resendable_urls: URLs (without query) whose POSTs are safe to resend after the
            connection broke: the token endpoint.
    """

    def __init__(
        self,
        transport: _Wrapped,
        *,
        max_retries: int = 2,
        policy: RetryPolicy | None = None,
        resendable_urls: Collection[str] = (),
    ) -> None:
        self._transport: _Wrapped = transport
        self.max_retries = check_max_retries(max_retries)
        self.policy = policy or RetryPolicy()
        self._resendable_urls = frozenset(str(httpx.URL(url)) for url in resendable_urls)
        # The bounds of a request sent outside any public call (through a bare transport).
        self._limits = CallLimits(self.policy.deadline, self.policy.clock)
        self._timeout_shape = _TimeoutShape()

    def resendable(self, request: httpx.Request) -> bool:
        """Whether `request` is safe to send again after it may have reached the server."""
        if request.method in _IDEMPOTENT:
            return True
        # Only a request that is not idempotent pays for rebuilding its URL without the query.
        return str(request.url.copy_with(query=None, fragment=None)) in self._resendable_urls


class RetryTransport(_RetryBase[httpx.BaseTransport], httpx.BaseTransport):
    """A sync transport that retries what the policy allows, around another transport."""

    _transport: httpx.BaseTransport
    #: The network transport it wraps in a client's own pools, and the one for a borrowed pool.
    network: ClassVar[type[httpx.HTTPTransport]] = httpx.HTTPTransport
    borrowed: ClassVar[type[_BorrowedPool]] = _BorrowedPool

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying per the policy; return the last response or raise."""
        with call_scope(limits=self._limits) as scope:
            attempts = _Attempts(self, request, scope)
            while True:
                attempts.begin()
                try:
                    response = self._transport.handle_request(request)
                except httpx.TransportError as exc:
                    delay = attempts.after_error(exc)
                    if delay is None:
                        raise
                else:
                    delay = attempts.after_response(response)
                    if delay is None:
                        return response
                    _discard(response)
                self.policy.sleep(delay)

    def close(self) -> None:
        """Close the wrapped transport."""
        self._transport.close()


class AsyncRetryTransport(_RetryBase[httpx.AsyncBaseTransport], httpx.AsyncBaseTransport):
    """The async twin of `RetryTransport`."""

    _transport: httpx.AsyncBaseTransport
    network: ClassVar[type[httpx.AsyncHTTPTransport]] = httpx.AsyncHTTPTransport
    borrowed: ClassVar[type[_AsyncBorrowedPool]] = _AsyncBorrowedPool

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying per the policy; return the last response or raise."""
        # One coroutine for the whole series: every frame on the stack is resumed each time
        # the connection waits.
        with call_scope(limits=self._limits) as scope:
            attempts = _Attempts(self, request, scope)
            while True:
                attempts.begin()
                try:
                    response = await self._transport.handle_async_request(request)
                except httpx.TransportError as exc:
                    delay = attempts.after_error(exc)
                    if delay is None:
                        raise
                else:
                    delay = attempts.after_response(response)
                    if delay is None:
                        return response
                    await _adiscard(response)
                await self.policy.async_sleep(delay)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._transport.aclose()


# A dropped response's body is read (so that its connection can be reused) up to this size.
_DISCARD_CAP = 64 * 1024


def _discard(response: httpx.Response) -> None:
    """Read and close a response that is not handed back, so its connection can be reused."""
    try:
        read_capped(response, _DISCARD_CAP)
    except (httpx.HTTPError, CloudCXError):
        pass  # A broken body of a response we drop anyway changes nothing.
    finally:
        response.close()


async def _adiscard(response: httpx.Response) -> None:
    try:
        await aread_capped(response, _DISCARD_CAP)
    except (httpx.HTTPError, CloudCXError):
        pass  # A broken body of a response we drop anyway changes nothing.
    finally:
        await response.aclose()


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` shrunk to what is left of the current bounds; `error` if nothing is left."""
    scope = current_scope()
    if scope is None:
        return timeout
    ends_at = scope.io_ends_at()
    if ends_at is None:
        return timeout
    left = ends_at - scope.clock()
    # A timeout of this wait is the call deadline's doing when the deadline bounds it.
    scope.deadline_bound = ends_at == scope.ends_at and (timeout is None or left <= timeout)
    if left <= 0:
        raise error("the time allowed for the attempt or the call ran out")
    if left > MAX_TIMEOUT:
        return timeout  # a far deadline: a socket's timer would overflow on it
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the current bounds."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        # An empty write (httpcore's for an empty body, and to end a message) sends and waits
        # for nothing: it needs no bound.
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout) if buffer else timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    """The async twin of `_Stream`."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner

    # `read` and `write` hand back the inner stream's coroutine, not one of their own: a frame
    # fewer to resume each time the read waits. httpcore awaits them at once.
    def read(self, max_bytes: int, timeout: float | None = None) -> Coroutine[Any, Any, bytes]:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> Coroutine[Any, Any, None]:
        bounded = _bounded(timeout, httpcore.WriteTimeout) if buffer else timeout
        return self._inner.write(buffer, bounded)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.start_tls(ssl_context, server_hostname, bounded))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


_SocketOptions = Iterable[Any] | None


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, with every wait bounded by the current `CallScope`."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: _SocketOptions = None,
    ) -> httpcore.NetworkStream:
        """Connect within the bounds; the stream keeps reading and writing within them."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return _Stream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: _SocketOptions = None
    ) -> httpcore.NetworkStream:
        """Connect within the bounds (a Unix socket)."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _Stream(self._inner.connect_unix_socket(path, bounded, socket_options))

    def sleep(self, seconds: float) -> None:
        """Sleep, as the wrapped backend does."""
        self._inner.sleep(seconds)


class AsyncDeadlineBackend(httpcore.AsyncNetworkBackend):
    """The async twin of `DeadlineBackend`."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: _SocketOptions = None,
    ) -> httpcore.AsyncNetworkStream:
        """Connect within the bounds; the stream keeps reading and writing within them."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        stream = await self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return _AsyncStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: _SocketOptions = None
    ) -> httpcore.AsyncNetworkStream:
        """Connect within the bounds (a Unix socket)."""
        bounded = _bounded(timeout, httpcore.ConnectTimeout)
        return _AsyncStream(await self._inner.connect_unix_socket(path, bounded, socket_options))

    async def sleep(self, seconds: float) -> None:
        """Sleep, as the wrapped backend does."""
        await self._inner.sleep(seconds)


def _bound_network(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> None:
    """Put `transport`'s connection pool on a network backend that enforces the call's bounds.

    httpx 0.28 takes no `network_backend` argument: the pool's backend is swapped right after
    the transport is built, before any connection exists (httpcore reads it per connection).
    Outside a CloudCX call the backend changes nothing. A pool already bounded is left as is.
    """
    pool = transport._pool
    inner = pool._network_backend
    if isinstance(inner, DeadlineBackend | AsyncDeadlineBackend):
        return
    if isinstance(transport, httpx.AsyncHTTPTransport):
        pool._network_backend = AsyncDeadlineBackend(cast(httpcore.AsyncNetworkBackend, inner))
    else:
        pool._network_backend = DeadlineBackend(cast(httpcore.NetworkBackend, inner))


def _bound_borrowed_client(client: httpx.Client | httpx.AsyncClient) -> None:
    """Bound the network of a caller's `http_client=` as this library's own pools are.

    Its httpx transports (default and mounted) get the bounding backend; outside a CloudCX
    call it changes nothing, so the caller's other requests are unaffected. A transport of
    another kind is left as it is (it does its own I/O).
    """
    for transport in [client._transport, *client._mounts.values()]:
        if isinstance(transport, httpx.HTTPTransport | httpx.AsyncHTTPTransport):
            _bound_network(transport)


def _is_address(host: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        kind(host.split("/")[0])
    except ValueError:
        return False
    return True


def environment_proxies() -> dict[str, str | None]:
    """The proxy URL per httpx URL pattern from the environment; None means "go direct".

    The same map httpx builds for itself (`httpx._utils.get_environment_proxies`, which is
    private, hence these few lines; a test keeps the two in step).
    """
    found = urllib.request.getproxies()
    routes: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            routes[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (part.strip() for part in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if not host:
            continue
        if "://" in host:
            routes[host] = None
        elif _is_address(host, ipaddress.IPv4Address):
            routes[f"all://{host}"] = None
        elif _is_address(host, ipaddress.IPv6Address):
            routes[f"all://[{host}]"] = None
        elif host.lower() == "localhost":
            routes[f"all://{host}"] = None
        else:
            # `example.com` covers the domain and its subdomains; `.example.com` only the latter.
            routes[f"all://*{host}"] = None
    return routes


_Retrying = TypeVar("_Retrying", RetryTransport, AsyncRetryTransport)


def _own_networks(
    kind: type[_Retrying],
    verify: Verify,
    proxy: ProxySetting | None,
    trust_env: bool,
    unproxied: Collection[str],
) -> Pools:
    """The client's own pools: through `proxy`, else per the environment's proxy variables.

    The `unproxied` URL patterns go direct whatever the environment says.
    """
    context = build_ssl_context(verify)  # also for an `https://` proxy's own certificate

    def network(through: ProxySetting | None, where: str) -> Any:
        checked = None if through is None else check_proxy(through, where)
        try:
            transport = kind.network(verify=context, proxy=checked)
        except ImportError:
            # httpx needs the optional `socksio` package for a SOCKS proxy.
            raise ConfigurationError(
                f"{where} is a SOCKS proxy, which needs httpx's extra: pip install 'httpx[socks]'"
            ) from None
        _bound_network(transport)
        return transport

    if proxy is not None:
        return Routes(network(proxy, "proxy"), {})
    mounts: dict[str, Any] = {}
    if trust_env:
        for pattern, url in environment_proxies().items():
            where = f"the environment's proxy for {pattern!r}"
            mounts[pattern] = None if url is None else network(url, where)
        if mounts:
            mounts.update(dict.fromkeys(unproxied))
    return Routes(network(None, "the direct route"), mounts)


def build_transport(
    kind: type[_Retrying],
    *,
    max_retries: int,
    policy: RetryPolicy | None,
    token_url: str,
    verify: Verify = True,
    proxy: ProxySetting | None = None,
    trust_env: bool = True,
    http_client: httpx.Client | httpx.AsyncClient | None = None,
    borrow: Pools | None = None,
    unproxied: Collection[str] = (),
) -> tuple[Routes[_Retrying], Pools]:
    """A client's transports, every route retrying, and the networks (pools) under them.

    The networks are `borrow` (another client's pools, for a `with_options` copy: used, never
    closed), else the caller's `http_client` (its transport, proxies, TLS and hooks; never
    closed, its pools bounded as ours are), else the client's own: through `proxy`, or the
    environment's proxies with `trust_env`, with TLS per `verify`.

    Args:
        kind: `RetryTransport` (sync client) or `AsyncRetryTransport` (async client).
        max_retries: Retries after the first attempt, on every route.
        policy: Backoff, caps and deadline, on every route.
        token_url: The token endpoint, whose POST is safe to resend.
        verify: TLS verification of the client's own pools.
        proxy: The explicit proxy, or None.
        trust_env: Whether the environment's proxy variables are read when `proxy` is None.
        http_client: The caller's httpx client to send through (of `kind`'s flavour).
        borrow: The pools of the client a `with_options` copy is made from.
        unproxied: URL patterns never routed through the environment's proxies.

    Returns:
        The retrying routes (httpx's `transport=` and `mounts=`), and the pools under them.
    """
    if borrow is not None:
        pools = borrow
    elif http_client is not None:
        _bound_borrowed_client(http_client)
        pools = Routes(kind.borrowed.through(http_client), {})  # type: ignore[arg-type]
    else:
        pools = _own_networks(kind, verify, proxy, trust_env, unproxied)

    def retrying(pool: Any) -> _Retrying:
        # A copy's retry transport closes with the copy: the pool it borrows must stay open.
        network = pool if borrow is None else kind.borrowed.of(pool)
        return kind(network, max_retries=max_retries, policy=policy, resendable_urls=[token_url])

    return pools.map(retrying), pools
