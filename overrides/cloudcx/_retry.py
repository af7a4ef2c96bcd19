"""Retries: which failures are retried, how long to wait, and the transports that do it.

The policy sits in an httpx transport wrapped around the real one, so every request the client
sends goes through it: API calls and the token manager's token requests alike (the manager sends
through the client's own `send`), direct or through a proxy (each proxy route gets its own
wrapped transport: see `cloudcx._proxy`). The whole policy:

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
  within its longest timeout, however slowly the server sends (see `cloudcx._deadline`).

Every attempt is logged at DEBUG (method, path, outcome, elapsed ms, attempt number) and every
retry at INFO, on the `cloudcx` logger; the path only, never the query or a header.
"""

from __future__ import annotations

import logging
import math
import random
import ssl
import sys
import time
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx

from ._deadline import (
    CallLimits,
    CallScope,
    aread_capped,
    attempt_budget,
    bound_network,
    call_scope,
    read_capped,
)
from ._exceptions import CloudCXError, ConfigurationError
from ._logging import logger
from ._response import ATTEMPTS_EXTENSION, parse_retry_after

__all__ = [
    "BASE_TIMEOUT_EXTENSION",
    "MAX_TIMEOUT",
    "RETRY_STATUSES",
    "AsyncRetryTransport",
    "RetryPolicy",
    "RetryTransport",
    "async_retry_transport",
    "resolve_timeout",
    "retry_transport",
]

MAX_TIMEOUT = 86_400.0
"""The longest timeout accepted, in seconds (a day): far beyond any call, far below what
overflows a socket's timer (1e300 s raised OverflowError there)."""

RETRY_STATUSES = frozenset({408, 429, 502, 503, 504})
"""The statuses that are worth another attempt: the server or a proxy on the way is busy."""

BASE_TIMEOUT_EXTENSION = "cloudcx.base_timeout"
"""The request extension holding the caller's own timeouts, before any deadline shrank them."""

_Wrapped = TypeVar("_Wrapped", httpx.BaseTransport, httpx.AsyncBaseTransport)

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
# A gateway answered for a server that may already have acted on the request (408, 429 and 503
# say the request was not processed).
_MAYBE_PROCESSED = frozenset({502, 504})
# Nothing reached the server: resending is safe whatever the method.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# The request may have reached the server: resend only what is safe to repeat.
_MAYBE_SENT = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.TimeoutException)


def _finite(value: object) -> bool:
    """Whether `value` is a real, finite number (a bool is not one).

    An int is compared with the largest float rather than passed to `math.isfinite`, which
    raises OverflowError on one beyond a float's range (10**400).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return math.isfinite(value)


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
        # NaN passes every `< 0` test and poisons each comparison after it (a NaN deadline
        # shrank every timeout to 1 ms), and infinity makes a wait endless: only finite numbers.
        for name in ("base_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            # The value is not quoted: the repr of a 5,000-digit int raises ValueError.
            if not _finite(value) or value < 0:
                raise ConfigurationError(
                    f"RetryPolicy.{name} must be a finite number of seconds >= 0"
                )
        deadline = self.deadline
        if deadline is not None and (not _finite(deadline) or deadline <= 0):
            raise ConfigurationError(
                "RetryPolicy.deadline must be a finite number of seconds > 0, or None"
            )

    def backoff(self, retry: int) -> float:
        """The wait before retry number `retry` (counting from 0) when the server named none."""
        # `2.0**1024` raises OverflowError, and a client with a huge `max_retries` against a
        # server that fails at once reaches retry 1024 within its deadline; past 2**1023 the
        # product is far over any finite `max_delay` anyway (or inf, which `min` caps).
        upper = min(self.max_delay, self.base_delay * 2.0 ** min(retry, 1023))
        return min(upper, max(0.0, self.jitter(upper)))


@dataclass(slots=True)
class _Attempts:
    """One request's walk through its attempts: what to do after each outcome."""

    policy: RetryPolicy
    max_retries: int
    resendable: bool
    request: httpx.Request
    scope: CallScope
    number: int = 0
    attempt_started: float = 0.0

    def begin(self) -> None:
        self.number += 1
        self.request.extensions[ATTEMPTS_EXTENSION] = self.number
        self._shrink_timeouts()
        self.attempt_started = self.policy.clock()

    def _shrink_timeouts(self) -> None:
        timeouts = self.request.extensions.get("timeout")
        if not isinstance(timeouts, dict):
            self.scope.begin_attempt(None)
            return
        # The auth flow resends this very request object after a 401, through a new walk: shrink
        # from the caller's timeouts, remembered once, not from the last walk's shrunk ones.
        timeouts = self.request.extensions.setdefault(BASE_TIMEOUT_EXTENSION, dict(timeouts))
        # The whole attempt (headers and body) ends within its longest timeout: the network
        # layer enforces it (see `cloudcx._deadline`).
        self.scope.begin_attempt(attempt_budget(timeouts))
        remaining = self.scope.remaining()
        if remaining is None:
            return
        left = max(0.001, remaining)
        # A phase without a limit gets what is left of the deadline, unless that is beyond what
        # a socket's timer takes (a deadline of 1e12 s raised OverflowError there).
        unlimited = left if left <= MAX_TIMEOUT else None
        self.request.extensions["timeout"] = {
            name: unlimited if value is None else min(value, left)
            for name, value in timeouts.items()
        }

    def _describe(self) -> str:
        return f"{self.request.method} {self.request.url.path}"

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
            isinstance(exc, _MAYBE_SENT) and self.resendable
        ):
            return None
        return self._wait_or_none(self.policy.backoff(self.number - 1), type(exc).__name__)

    def after_response(self, response: httpx.Response) -> float | None:
        """The wait before retrying after `response`, or None to hand it back."""
        status = response.status_code
        self.log_outcome(str(status))
        if status not in RETRY_STATUSES:
            return None
        if status in _MAYBE_PROCESSED and not self.resendable:
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
    """What both transports share: the settings, and a fresh walk per request.

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
        if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
            raise ConfigurationError("max_retries must be an integer >= 0")
        self._transport: _Wrapped = transport
        self.max_retries = max_retries
        self.policy = policy or RetryPolicy()
        self._resendable_urls = frozenset(str(httpx.URL(url)) for url in resendable_urls)
        # The bounds of a request sent outside any public call (through a bare transport).
        self._limits = CallLimits(self.policy.deadline, self.policy.clock)

    def _resendable(self, request: httpx.Request) -> bool:
        if request.method in _IDEMPOTENT:
            return True
        # Only a request that is not idempotent pays for rebuilding its URL without the query.
        return str(request.url.copy_with(query=None, fragment=None)) in self._resendable_urls

    def _attempts(self, request: httpx.Request, scope: CallScope) -> _Attempts:
        return _Attempts(self.policy, self.max_retries, self._resendable(request), request, scope)


class RetryTransport(_RetryBase[httpx.BaseTransport], httpx.BaseTransport):
    """A sync transport that retries what the policy allows, around another transport."""

    _transport: httpx.BaseTransport

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying per the policy; return the last response or raise."""
        with call_scope(limits=self._limits) as scope:
            return self._walk(self._attempts(request, scope))

    def _walk(self, attempts: _Attempts) -> httpx.Response:
        while True:
            attempts.begin()
            try:
                response = self._transport.handle_request(attempts.request)
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

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request`, retrying per the policy; return the last response or raise."""
        with call_scope(limits=self._limits) as scope:
            return await self._walk(self._attempts(request, scope))

    async def _walk(self, attempts: _Attempts) -> httpx.Response:
        while True:
            attempts.begin()
            try:
                response = await self._transport.handle_async_request(attempts.request)
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


def _timeout_seconds(value: object) -> bool:
    """Whether `value` is a usable timeout in seconds: finite, > 0, within what a socket takes."""
    return _finite(value) and 0 < value <= MAX_TIMEOUT  # type: ignore[operator]


def resolve_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Check a client's or a call's `timeout` (seconds for every phase, or an `httpx.Timeout`).

    A number must be finite, > 0 and at most `MAX_TIMEOUT`; so must each phase of an
    `httpx.Timeout`, or be None (no limit). Anything else is a `ConfigurationError`: a negative
    or infinite value would otherwise fail deep in the socket layer.
    """
    if isinstance(timeout, httpx.Timeout):
        phases = {
            "connect": timeout.connect,
            "read": timeout.read,
            "write": timeout.write,
            "pool": timeout.pool,
        }
        for name, value in phases.items():
            if value is not None and not _timeout_seconds(value):
                raise ConfigurationError(
                    f"timeout: the httpx.Timeout's {name} must be None or a number of seconds"
                    f" > 0 and <= {MAX_TIMEOUT:.0f}"
                )
        return timeout
    if not _timeout_seconds(timeout):
        raise ConfigurationError(
            f"timeout must be a number of seconds > 0 and <= {MAX_TIMEOUT:.0f}, or an httpx.Timeout"
        )
    return httpx.Timeout(float(timeout))


def retry_transport(
    *,
    verify: bool | ssl.SSLContext,
    max_retries: int,
    policy: RetryPolicy | None,
    token_url: str,
    proxy: httpx.Proxy | None = None,
) -> RetryTransport:
    """The sync client's transport: the network (via `proxy`, if any) in the retry policy."""
    network = httpx.HTTPTransport(verify=verify, proxy=proxy)
    bound_network(network)
    return RetryTransport(
        network, max_retries=max_retries, policy=policy, resendable_urls=[token_url]
    )


def async_retry_transport(
    *,
    verify: bool | ssl.SSLContext,
    max_retries: int,
    policy: RetryPolicy | None,
    token_url: str,
    proxy: httpx.Proxy | None = None,
) -> AsyncRetryTransport:
    """The async client's transport: the network (via `proxy`, if any) in the retry policy."""
    network = httpx.AsyncHTTPTransport(verify=verify, proxy=proxy)
    bound_network(network)
    return AsyncRetryTransport(
        network, max_retries=max_retries, policy=policy, resendable_urls=[token_url]
    )
