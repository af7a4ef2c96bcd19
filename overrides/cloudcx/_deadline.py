"""Whole-call and whole-attempt time bounds, and the capped body read.

httpx's timeouts count per phase and per read: a server that sends one byte just inside the read
timeout keeps a request alive for ever. Two bounds make time real:

* The call deadline (`RetryPolicy.deadline`, from the start of one public call): the token
  request, the API request, its resend after a 401 and every retry share it. A `CallScope`,
  held in a context variable, is opened once per public call (`call_scope`); nested sends
  (the token request inside an API call) join the open one.
* The attempt bound: one attempt (connect, send, headers and body) ends within the longest of
  its timeouts (30 s by default), however the server spaces its bytes.

Both are enforced in the network layer (`DeadlineBackend`, wrapped around httpcore's): every
connect, read and write waits at most until the nearer bound, and one that starts after it fails
at once with a timeout. So a slow-drip server meets the bound to the millisecond, in the headers
as in the body, sync and async.

The body cap: `read_capped` reads a response body in small raw chunks and counts the decoded
(decompressed) bytes, ending the read as soon as they pass the client's `max_response_bytes`:
memory stays near the cap even for a gzip body that would inflate a thousandfold.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any, cast

import httpcore
import httpx

from ._exceptions import ConfigurationError, InvalidResponseError

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "AsyncDeadlineBackend",
    "CallLimits",
    "CallScope",
    "DeadlineBackend",
    "aread_capped",
    "bind_limits",
    "bound_borrowed_client",
    "call_scope",
    "check_body_cap",
    "current_scope",
    "read_capped",
    "remaining_time",
]

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The default cap on a response body's decoded size: 32 MiB, a thousand times a full page."""

_MAX_BODY_CAP = 1 << 40
# Beyond a day, a bound is no bound: a socket's or a lock's timer overflows on 1e300 seconds.
_FAR = 86_400.0
# Raw bytes of a compressed body decoded at a time: a deflate bomb inflates about 1,000-fold,
# so one step holds at most about 1 MB of decoded data beyond the cap. An uncompressed body is
# read in the chunks the network gives.
_RAW_CHUNK = 1024


def check_body_cap(value: object) -> int:
    """Validate `max_response_bytes`: an integer of bytes, >= 1 (the value is never quoted)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_BODY_CAP:
        raise ConfigurationError(
            f"max_response_bytes must be an integer number of bytes from 1 to {_MAX_BODY_CAP}"
        )
    return value


@dataclass(frozen=True, slots=True)
class CallLimits:
    """What a client bounds each public call by: the deadline's policy and the body cap."""

    deadline: float | None
    clock: Callable[[], float]
    body_cap: int = DEFAULT_MAX_RESPONSE_BYTES


_DEFAULT_LIMITS = CallLimits(deadline=120.0, clock=time.monotonic)
_LIMITS_ATTRIBUTE = "_cloudcx_limits"


def bind_limits(http: httpx.Client | httpx.AsyncClient, limits: CallLimits) -> None:
    """Record on the client's httpx client the limits every call through it opens a scope with."""
    setattr(http, _LIMITS_ATTRIBUTE, limits)


@dataclass(slots=True)
class CallScope:
    """The bounds of one public call, shared by every request it sends.

    Attributes:
        clock: The monotonic clock the bounds are read on (the retry policy's).
        ends_at: When the whole call must end (the call deadline); None: no deadline.
        body_cap: The cap on each response body's decoded size, in bytes.
        attempt_ends_at: When the attempt in progress must end; set by the retry transport.
    """

    clock: Callable[[], float]
    ends_at: float | None
    body_cap: int
    attempt_ends_at: float | None = None

    @classmethod
    def start(cls, limits: CallLimits) -> CallScope:
        """A scope whose deadline counts from now."""
        ends_at = None if limits.deadline is None else limits.clock() + limits.deadline
        return cls(limits.clock, ends_at, limits.body_cap)

    def remaining(self) -> float | None:
        """Seconds left before the call deadline (may be negative); None without one."""
        return None if self.ends_at is None else self.ends_at - self.clock()

    def begin_attempt(self, budget: float | None) -> None:
        """Start an attempt that may last `budget` seconds (None: only the call deadline)."""
        self.attempt_ends_at = None if budget is None else self.clock() + budget

    def io_ends_at(self) -> float | None:
        """The nearer of the call deadline and the attempt's end, which every wait must meet."""
        call, attempt = self.ends_at, self.attempt_ends_at
        if call is None or attempt is None:
            return attempt if call is None else call
        return call if call < attempt else attempt


_SCOPE: ContextVar[CallScope | None] = ContextVar("cloudcx_call_scope", default=None)


def current_scope() -> CallScope | None:
    """The scope of the public call in progress in this thread or task, if any."""
    return _SCOPE.get()


def remaining_time() -> float | None:
    """Seconds left in the call in progress (clamped at 0); None without a (near) deadline."""
    scope = _SCOPE.get()
    left = None if scope is None else scope.remaining()
    return None if left is None or left > _FAR else max(0.0, left)


class call_scope:
    """Open the bounds of one public call, or join the one already open.

    `http` is the client's httpx client (its limits were recorded by `bind_limits`); `limits`
    gives them directly. Sync and async code alike use it with a plain `with`: it only sets a
    context variable, which each thread and each task holds on its own. (A class, not a
    generator: it runs two or three times per call.)
    """

    __slots__ = ("_limits", "_reset")

    def __init__(self, http: object = None, *, limits: CallLimits | None = None) -> None:
        self._limits = limits or getattr(http, _LIMITS_ATTRIBUTE, None) or _DEFAULT_LIMITS
        self._reset: Token[CallScope | None] | None = None

    def __enter__(self) -> CallScope:
        scope = _SCOPE.get()
        if scope is None:
            scope = CallScope.start(self._limits)
            self._reset = _SCOPE.set(scope)
        return scope

    def __exit__(self, *exc_info: object) -> None:
        if self._reset is not None:
            _SCOPE.reset(self._reset)
            self._reset = None


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    """`timeout` shrunk to what is left of the current bounds; `error` if nothing is left."""
    scope = _SCOPE.get()
    if scope is None:
        return timeout
    ends_at = scope.io_ends_at()
    if ends_at is None:
        return timeout
    left = ends_at - scope.clock()
    if left <= 0:
        raise error("the time allowed for the attempt or the call ran out")
    if left > _FAR:
        return timeout  # a far deadline: a socket's timer would overflow on it
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    """A network stream whose every read and write ends by the current bounds."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

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

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

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


def bound_network(transport: httpx.HTTPTransport | httpx.AsyncHTTPTransport) -> None:
    """Put `transport`'s connection pool on a network backend that enforces the bounds.

    httpx 0.28 takes no `network_backend` argument: the pool's backend is swapped right after
    the transport is built, before any connection exists (httpcore reads it per connection).
    """
    pool = transport._pool
    inner = pool._network_backend
    if isinstance(transport, httpx.AsyncHTTPTransport):
        pool._network_backend = AsyncDeadlineBackend(cast(httpcore.AsyncNetworkBackend, inner))
    else:
        pool._network_backend = DeadlineBackend(cast(httpcore.NetworkBackend, inner))


def bound_borrowed_client(client: httpx.Client | httpx.AsyncClient) -> None:
    """Bound the network of a caller's `http_client=` as this library's own pools are.

    Its httpx transports (default and mounted) get the bounding backend once; outside a
    CloudCX call the backend changes nothing, so the caller's other requests are unaffected.
    A transport of another kind is left as it is (it does its own I/O).
    """
    transports = [client._transport, *client._mounts.values()]
    for transport in transports:
        if not isinstance(transport, httpx.HTTPTransport | httpx.AsyncHTTPTransport):
            continue
        backend = transport._pool._network_backend
        if not isinstance(backend, DeadlineBackend | AsyncDeadlineBackend):
            bound_network(transport)


def _too_large(response: httpx.Response, cap: int) -> InvalidResponseError:
    from ._response import invalid_response  # _response imports this module's users

    return invalid_response(
        response,
        f"the body is larger than max_response_bytes ({cap} bytes decoded); the read was stopped",
        mask_body=True,
    )


class _CappedBody:
    """Decodes raw chunks as they arrive, refusing to hold more than the cap."""

    def __init__(self, response: httpx.Response, limit: int) -> None:
        self._response = response
        self._limit = limit
        # The decoding `iter_bytes` uses, applied per raw chunk.
        self._decoder = response._get_content_decoder()
        self._chunks: list[bytes] = []
        self._size = 0
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        self.raw_chunk = None if encoding in {"", "identity"} else _RAW_CHUNK

    def add(self, raw: bytes) -> None:
        self._keep(self._decoder.decode(raw))

    def _keep(self, decoded: bytes) -> None:
        self._size += len(decoded)
        if self._size > self._limit:
            raise _too_large(self._response, self._limit)
        self._chunks.append(decoded)

    def finish(self) -> None:
        self._keep(self._decoder.flush())
        # What `Response.read()` would have stored: the decoded body, for `.content`, `.json()`.
        self._response._content = b"".join(self._chunks)


def _limit(cap: int | None) -> int:
    if cap is not None:
        return cap
    scope = _SCOPE.get()
    return DEFAULT_MAX_RESPONSE_BYTES if scope is None else scope.body_cap


def _declared_within(response: httpx.Response, limit: int) -> bool:
    """Whether the body is uncompressed and declares a length within the cap.

    The usual case, read at httpx's own pace: the HTTP/1.1 parser never reads past a
    Content-Length, and without a content coding decoded and raw sizes are equal.
    """
    headers = response.headers
    if "content-encoding" in headers:
        return False
    length = headers.get("content-length", "")
    return length.isdigit() and len(length) < 16 and int(length) <= limit


def read_capped(response: httpx.Response, cap: int | None = None) -> None:
    """Read `response`'s body, stopping as soon as its decoded size passes the cap.

    The cap is `cap`, else the current call's (`max_response_bytes`). The body is read in small
    raw chunks, each decoded at once, so that a compressed body never inflates far past it. The
    response is closed in every case.

    Raises:
        InvalidResponseError: the body is larger than the cap.
        httpx.HTTPError: the body broke off, timed out or could not be decoded.
    """
    if hasattr(response, "_content"):
        return
    limit = _limit(cap)
    if _declared_within(response, limit):
        response.read()  # h11 reads exactly Content-Length bytes: the cap holds
        return
    body = _CappedBody(response, limit)
    try:
        for raw in response.iter_raw(body.raw_chunk):
            body.add(raw)
        body.finish()
    finally:
        response.close()


async def aread_capped(response: httpx.Response, cap: int | None = None) -> None:
    """The async twin of `read_capped`."""
    if hasattr(response, "_content"):
        return
    limit = _limit(cap)
    if _declared_within(response, limit):
        await response.aread()  # h11 reads exactly Content-Length bytes: the cap holds
        return
    body = _CappedBody(response, limit)
    try:
        async for raw in response.aiter_raw(body.raw_chunk):
            body.add(raw)
        body.finish()
    finally:
        await response.aclose()


def attempt_budget(timeouts: object) -> float | None:
    """How long one attempt may last: the longest of its timeouts (None: no limit)."""
    if not isinstance(timeouts, dict):
        return None
    values = [value for value in timeouts.values() if isinstance(value, (int, float))]
    finite = [float(value) for value in values if math.isfinite(value)]
    return max(finite) if finite else None
