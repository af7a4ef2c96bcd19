"""The call scope (one public call's time budget) and the capped body read.

httpx's timeouts count per phase and per read: a server that sends one byte just inside the read
timeout keeps a request alive for ever. Two bounds make time real:

* The call deadline (`RetryPolicy.deadline`, from the start of one public call): the token
  request, the API request, its resend after a 401 and every retry share it. A `CallScope`,
  held in a context variable, is opened once per public call (`call_scope`); nested sends
  (the token request inside an API call) join the open one.
* The attempt bound: one attempt (connect, send, headers and body) ends within the longest of
  its timeouts (30 s by default), however the server spaces its bytes.

The scope holds both; the network layer enforces them (`cloudcx._transport`): every connect,
read and write waits at most until the nearer bound, and one that starts after it fails at once
with a timeout, in the headers as in the body, sync and async. Before each wait it records in
the scope whether the call deadline is that bound (`CallScope.deadline_bound`): a timeout of the
wait is then the deadline's doing, a fact `deadline_caused_timeout` reads when the timeout
becomes an `APITimeoutError` (its `deadline_passed`).

The body cap: `read_capped` reads a response body in small raw chunks and counts the decoded
(decompressed) bytes, ending the read as soon as they pass the client's `max_response_bytes`:
memory stays near the cap even for a gzip body that would inflate a thousandfold.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import cast

import httpx

from ._config import DEFAULT_MAX_RESPONSE_BYTES, MAX_TIMEOUT
from ._exceptions import InvalidResponseError

__all__ = [
    "BASE_TIMEOUT_EXTENSION",
    "CallLimits",
    "CallScope",
    "aread_capped",
    "attempt_budget",
    "bind_limits",
    "call_scope",
    "current_scope",
    "deadline_caused_timeout",
    "pool_wait_cut_by_deadline",
    "read_capped",
    "remaining_time",
]

# Raw bytes of a compressed body decoded at a time: a deflate bomb inflates about 1,000-fold,
# so one step holds at most about 1 MB of decoded data beyond the cap. An uncompressed body is
# read in the chunks the network gives.
_RAW_CHUNK = 1024

BASE_TIMEOUT_EXTENSION = "cloudcx.base_timeout"
"""The request extension holding the caller's own timeouts, before any deadline shrank them."""


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
        deadline_bound: Whether the call deadline, not the wait's own timeout or the attempt's
            end, bounds the network wait in progress (or the one that just failed); set by the
            network layer before each wait, cleared when an attempt begins.
    """

    clock: Callable[[], float]
    ends_at: float | None
    body_cap: int
    attempt_ends_at: float | None = None
    deadline_bound: bool = False

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
        self.deadline_bound = False

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
    return None if left is None or left > MAX_TIMEOUT else max(0.0, left)


def deadline_caused_timeout() -> bool:
    """Whether the current call's deadline, not a timeout of the request's own, ended its wait.

    Asked right after a network wait timed out, in its call: the wait that failed is the last
    one the call made, and the scope says whether the call deadline bounded it.
    """
    scope = _SCOPE.get()
    return scope is not None and scope.deadline_bound


def pool_wait_cut_by_deadline(request: httpx.Request) -> bool:
    """Whether the request's wait for a pooled connection was cut short by the call deadline.

    That wait comes before any network wait, bounded by the request's pool timeout, which the
    retry transport cuts to what is left of the deadline when that is less: the cut says it.
    """
    own = request.extensions.get(BASE_TIMEOUT_EXTENSION) or {}
    cut = request.extensions.get("timeout") or {}
    pool, own_pool = cut.get("pool"), own.get("pool", cut.get("pool"))
    return pool is not None and (own_pool is None or pool < own_pool)


class _OpenedScope:
    """The context of a call that opens the scope: set on entry, reset on exit."""

    __slots__ = ("_limits", "_reset")

    def __init__(self, limits: CallLimits) -> None:
        self._limits = limits
        self._reset: Token[CallScope | None] | None = None

    def __enter__(self) -> CallScope:
        scope = CallScope.start(self._limits)
        self._reset = _SCOPE.set(scope)
        return scope

    def __exit__(self, *exc_info: object) -> None:
        if self._reset is not None:
            _SCOPE.reset(self._reset)
            self._reset = None


class _JoinedScope:
    """The context of a send inside a call whose scope is open: it changes nothing.

    One instance serves every thread and task: it holds no state, and the scope it returns is
    the context variable's, which each thread and task holds on its own.
    """

    __slots__ = ()

    def __enter__(self) -> CallScope:
        # Handed out only while a scope is open in this thread or task (`call_scope`).
        return cast(CallScope, _SCOPE.get())

    def __exit__(self, *exc_info: object) -> None:
        return None


_JOINED = _JoinedScope()


def call_scope(
    http: object = None, *, limits: CallLimits | None = None
) -> _OpenedScope | _JoinedScope:
    """Open the bounds of one public call, or join the one already open (used in a `with`).

    `http` is the client's httpx client (its limits were recorded by `bind_limits`); `limits`
    gives them directly. Sync and async code alike use it with a plain `with`: it only sets a
    context variable, which each thread and each task holds on its own. The scope is opened
    once per public call; the nested sends of that call (the client's `send`, the retry
    transport, the token request) join it at the cost of one context variable read.
    """
    if _SCOPE.get() is not None:
        return _JOINED
    return _OpenedScope(limits or getattr(http, _LIMITS_ATTRIBUTE, None) or _DEFAULT_LIMITS)


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


def attempt_budget(timeouts: Mapping[str, object]) -> float | None:
    """How long one attempt may last: the longest of its timeouts (None: no limit)."""
    finite = [
        float(value)
        for value in timeouts.values()
        if isinstance(value, int | float) and math.isfinite(value)
    ]
    return max(finite, default=None)
