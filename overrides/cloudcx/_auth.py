"""Authentication: the token policy, the token cache both clients share, the httpx auth classes.

The httpx auth classes check each request before a credential goes on it, attach the API key
or the access token, and answer a 401. A password-grant client keeps its token in one
`TokenCache`, whose plan of steps is sans-I/O and shared by its sync and async drivers. The
token policy, in one place:

* A token is obtained on first use (or taken from `token=` or the token store while still
  valid), cached, and shared by every call, thread and task of the client.
* It is renewed before it expires: when its remaining life, timed on a monotonic clock from the
  moment the token request was sent, falls under `refresh_skew` (60 s), scaled down to a tenth
  of the token's lifetime for short-lived tokens, so that a 10 s token is used for 9 s.
* Without `expires_in`, the JWT `exp` claim (read, not verified) gives the expiry; an opaque
  token without one is used until the API answers 401.
* A token obtained from the server that is already due for renewal when it arrives
  (`expires_in: 0`, a tiny `expires_in` against a slow round trip, a JWT `exp` in the past
  because the clocks differ) is treated as one of unknown expiry: used until the API answers
  401, instead of a token request on every call. Its `expires_at` still says what the server
  said.
* A 401 on a request discards the token that request carried, obtains a new one and resends
  the request once; a second 401 raises `AuthenticationError`, as does any 401 with an API key.
* Renewal uses the refresh grant when a refresh token was issued (a rotated one is adopted, the
  old one kept when the answer brings none); if the server rejects it, the password grant.
* With `token=` or `token_store=`, the password may be left out: when the password grant
  becomes necessary, the stored token is deleted and `ConfigurationError` ("a password is
  needed to obtain a new token") is raised, before anything is sent.
* One token request at a time: callers that find the token missing or stale while a request is
  in flight wait for it. Its success serves them all. Its failure reaches only the waiters
  that would have sent the same request with the same settings: those of a client (the
  original or a `with_options` copy) with the same timeout, retries and retry waits, whatever
  the deadline. Any other waiter makes its own attempt, one at a time, with its own settings;
  so does every waiter when the failure only says the holder's call deadline ran out. The lock
  is held only while the token is obtained, never across a `yield` of the auth flow.
* After every token obtained from the server, the token store saves it and then the
  `on_token` hook sees it (not for a token taken from `token=` or the store). The store saves
  it while the other callers wait for that token; the hook is called afterwards, outside the
  lock, by the caller that obtained it, so the hook may use the client (`get_token`, API
  calls) while other callers already use the new token. A failing hook or store is logged at
  WARNING, by exception type only (its message may hold the token), and never fails the call.
* Credentials are attached only to requests for the configured API origin, and never over
  plain http:// to a host that is not loopback unless `allow_insecure_http=True`.
"""

from __future__ import annotations

import copy
import inspect
import logging
import math
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx

from ._config import ClientConfig, check_credential_url, check_token_options, same_origin
from ._deadline import aread_capped, read_capped, remaining_time
from ._exceptions import (
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InsecureTransportError,
)
from ._oauth import (
    RequestBuilder,
    Token,
    build_token_request,
    parse_token_response,
    password_needed,
)
from ._response import (
    KNOWN_SECRETS_EXTENSION,
    api_refusal,
    describe_url,
    raise_send_failure,
)
from ._secrets import Secret
from ._token_store import TokenStore, token_store_key

if TYPE_CHECKING:
    # Imported where async code runs: the sync client imports this module and must not pay
    # for loading asyncio.
    import asyncio
    from types import TracebackType

    from ._http import Connection

__all__ = [
    "ApiKeyAuth",
    "AsyncTokenHook",
    "LoopGuard",
    "SyncTokenHook",
    "TokenAuth",
    "TokenCache",
    "build_auth",
]

log = logging.getLogger("cloudcx.auth")

Clock = Callable[[], float]
SyncSend = Callable[[httpx.Request], httpx.Response]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]
SyncTokenHook = Callable[[Token], None]
AsyncTokenHook = Callable[[Token], "Awaitable[None] | None"]
#: What a token request's outcome depends on besides the endpoint: the sending client's
#: timeout, retries and retry waits (`_request_settings`). Equal settings, shared failures.
RequestSettings = Hashable

#: A short-lived token is renewed when this fraction of its lifetime is left (at most the skew).
_SHORT_TOKEN_FRACTION = 0.1


# --- the plan's steps ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoadStore:
    """Step: read the token store (result: a `Token` or `None`; failures are logged)."""


@dataclass(frozen=True, slots=True)
class ForgetStore:
    """Step: delete this account's token from the store (failures are logged)."""


@dataclass(frozen=True, slots=True)
class SendRequest:
    """Step: send a token request (result: the `httpx.Response`)."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class SaveToken:
    """Step: save a token just obtained to the store (failures are logged)."""

    token: Token


Step = LoadStore | ForgetStore | SendRequest | SaveToken
#: Steps out, their results in; the token, and whether it is new from the server.
Plan = Generator[Step, Any, tuple[Token, bool]]


@dataclass(frozen=True, slots=True)
class _Current:
    """The token in use, with its monotonic deadline and renewal margin (one atomic unit)."""

    token: Token
    deadline: float | None
    margin: float


@dataclass(frozen=True, slots=True)
class _Failed:
    """The result of a step that raised: the plan raises it where the step was yielded."""

    error: Exception


def _result(sent: Any) -> Any:
    if isinstance(sent, _Failed):
        raise sent.error
    return sent


def _replay(exc: Exception) -> Exception:
    """A copy of a shared failure, so that each waiter raises its own exception object."""
    try:
        clone = copy.copy(exc)
    except Exception:  # an exception type that cannot be rebuilt: share the original
        return exc
    clone.__cause__ = exc.__cause__
    clone.__traceback__ = None
    return clone


def _out_of_own_time(exc: Exception) -> bool:
    """Whether `exc` is a timeout that the current call's deadline, not the endpoint, caused."""
    return isinstance(exc, APITimeoutError) and exc.deadline_passed


def _request_settings(connection: Connection) -> RequestSettings:
    """The settings a client's token request is sent with, less the call deadline.

    The deadline (and the clock it is read on) belongs to each call, and a failure it caused is
    never shared anyway; the timeout, the number of retries and the waits between them decide
    whether the same request would have failed for another caller.
    """
    from ._transport import RetryPolicy

    timeout = connection.timeout
    timeouts = tuple(timeout.as_dict().items()) if isinstance(timeout, httpx.Timeout) else timeout
    policy = replace(connection.retry_policy or RetryPolicy(), deadline=None, clock=time.monotonic)
    return (timeouts, connection.max_retries, policy)


def _lock_timeout() -> APITimeoutError:
    return APITimeoutError(
        "the call's deadline passed while another caller's token request was in flight",
        deadline_passed=True,
    )


def _store_failed(action: str, reason: str) -> None:
    log.warning("the token store failed to %s a token (%s); going on without it", action, reason)


def _hook_failed(hook: object, exc: Exception) -> None:
    log.warning(
        "the on_token hook %s raised %s; the call goes on with the new token",
        getattr(hook, "__qualname__", None) or type(hook).__name__,
        type(exc).__name__,
    )


async def _acquire(lock: asyncio.Lock) -> None:
    """Take `lock`, waiting no longer than this call's own deadline."""
    left = remaining_time()
    if left is None:
        await lock.acquire()
        return
    import asyncio

    try:
        async with asyncio.timeout(left):
            await lock.acquire()
    except TimeoutError:
        raise _lock_timeout() from None


# --- the token cache -----------------------------------------------------------------------


class TokenCache:
    """The access token of one password-grant client: cached, renewed, shared by every caller.

    Its decisions are made without I/O: `_attempt` plans the steps that obtain a token, and the
    drivers, `get` for a sync client and `aget` for an async one, perform them under a lock (a
    `threading.Lock`, or an `asyncio.Lock` made on first use in the running loop). The async
    driver runs store I/O in a worker thread, so the loop never waits on the disk.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float = 60.0,
        clock: Clock = time.monotonic,
        token: Token | None = None,
        store: TokenStore | None = None,
        on_token: SyncTokenHook | AsyncTokenHook | None = None,
    ) -> None:
        self.config = config
        self.skew = skew
        self.clock = clock
        self.store = store
        self.store_key = token_store_key(
            config.token_url, config.client_id or "", config.username or ""
        )
        self._on_token = on_token
        self._store_pending = store is not None and token is None
        self._current: _Current | None = None
        self._refresh_token: Secret | None = None
        # Finished token-obtaining attempts, and per request settings the latest failed one
        # since the last success (its number, its failure): a caller that waited through it
        # and would have sent the same request shares its failure instead of retrying.
        self._completed = 0
        self._failures: dict[RequestSettings, tuple[int, Exception]] = {}
        self._mutex = threading.Lock()  # guards `_current`; never held during I/O
        self._lock = threading.Lock()  # one token request at a time (sync driver)
        self._loop_lock: asyncio.Lock | None = None  # the same, for the async driver
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        if token is not None:
            self._adopt_known(token)

    def __repr__(self) -> str:
        return "TokenCache()"

    # --- decisions, without I/O

    def _margin(self, lifetime: float) -> float:
        return max(0.0, min(self.skew, lifetime * _SHORT_TOKEN_FRACTION))

    def usable(self) -> Token | None:
        """The cached token, if it is not due for renewal."""
        current = self._current
        if current is None:
            return None
        if current.deadline is None or current.deadline - self.clock() > current.margin:
            return current.token
        return None

    def _set(self, token: Token, deadline: float | None, margin: float) -> None:
        with self._mutex:
            self._current = _Current(token, deadline, margin)
            self._refresh_token = token.refresh_token

    def _adopt_known(self, token: Token) -> bool:
        """Take a token from the caller or the store; False if it is already due for renewal."""
        left = token.remaining()
        deadline = None if left is None else self.clock() + left
        self._set(token, deadline, 0.0 if left is None else self._margin(left))
        return self.usable() is token

    def _adopt_new(self, token: Token, sent_mono: float, sent_wall: datetime) -> None:
        """Take a token just obtained; its life counts from when its request was sent.

        A token already due for renewal on arrival is used until the API answers 401: renewing
        it at once would only bring another like it, one token request per call.
        """
        deadline: float | None = None
        margin = 0.0
        if token.expires_at is not None:
            lifetime = (token.expires_at - sent_wall).total_seconds()
            due, grace = sent_mono + lifetime, self._margin(lifetime)
            if due - self.clock() > grace:
                deadline, margin = due, grace
            else:
                log.debug("the new access token is due on arrival; using it until a 401")
        self._set(token, deadline, margin)

    def discard(self, stale: Token) -> None:
        """Forget `stale` if it is still the cached token (another caller may have renewed)."""
        with self._mutex:
            if self._current is not None and self._current.token is stale:
                self._current = None
                log.debug("discarded the access token the API refused")

    def _attempt(self, seen: int, build: RequestBuilder, settings: RequestSettings) -> Plan:
        """Under the lock: the token another caller just obtained, its failure, or a new token.

        `seen` is the number of finished attempts when the caller started to wait: a caller
        that waited through a failed attempt sent with the same `settings` raises a copy of its
        failure instead of retrying; one with other settings (another timeout or other retries)
        might have succeeded, and makes its own attempt. A failure that only says the holder's
        own deadline ran out is not shared: it tells nothing about the endpoint.
        """
        token = self.usable()
        if token is not None:
            return token, False
        failed = self._failures.get(settings)
        if failed is not None and failed[0] > seen:
            raise _replay(failed[1])
        try:
            outcome = yield from self._plan(build)
        except Exception as exc:
            self._completed += 1
            if _out_of_own_time(exc):
                self._failures.pop(settings, None)
            else:
                self._failures[settings] = (self._completed, exc)
            raise
        self._failures.clear()
        self._completed += 1
        return outcome

    def _plan(self, build: RequestBuilder) -> Plan:
        """How to obtain a token: the stored one, the refresh grant, else the password grant.

        A step's failure is raised inside the plan, so the refresh fallback is written once
        for both drivers. A password grant that is needed without a password forgets the
        stored token and raises `ConfigurationError`.
        """
        if self._store_pending and self.store is not None:
            loaded: Token | None = _result((yield LoadStore()))
            self._store_pending = False
            if loaded is not None and self._adopt_known(loaded):
                log.debug("reusing the access token from the token store")
                return loaded, False
            if loaded is not None:
                # Too old to use, but its refresh token may still renew it without the password.
                log.debug("the stored access token is due for renewal")
        refresh = self._refresh_token
        if refresh is not None:
            try:
                return (yield from self._grant(refresh, build))
            except AuthenticationError as exc:
                # The password grant is worth a try after any refusal (`invalid_grant`: expired
                # or revoked) but of the client itself, which it would meet as well.
                if exc.error == "invalid_client":
                    raise
                log.debug("the refresh token was refused (%s); using the password grant", exc.error)
                self._refresh_token = None
        if self.config.password is None:
            # The stored token is spent: forget it, so that the next run (the CLI's) knows to
            # ask for the password instead of offering the same token again.
            if self.store is not None:
                _result((yield ForgetStore()))
            raise password_needed()
        return (yield from self._grant(None, build))

    def _grant(self, refresh: Secret | None, build: RequestBuilder) -> Plan:
        """One token request: the refresh grant with `refresh`, else the password grant."""
        request = build_token_request(self.config, refresh_token=refresh, build=build)
        check_credential_url(
            request.url,
            allow_insecure_http=self.config.allow_insecure_http,
            setting="`token_url` (or CLOUDCX_TOKEN_URL)",
        )
        log.debug(
            "requesting an access token (grant_type=%s) from %s",
            "refresh_token" if refresh is not None else "password",
            describe_url(request.url),
        )
        sent_mono, sent_wall = self.clock(), datetime.now(UTC)
        response = _result((yield SendRequest(request)))
        token = parse_token_response(response, sent_at=sent_wall, previous_refresh=refresh)
        self._adopt_new(token, sent_mono, sent_wall)
        left = token.remaining()
        log.debug(
            "obtained an access token (%s; refresh token: %s)",
            "no expiry given" if left is None else f"expires in {math.floor(left)} s",
            "yes" if token.refresh_token is not None else "no",
        )
        if self.store is not None:
            _result((yield SaveToken(token)))
        return token, True

    def _store_io(self, step: LoadStore | ForgetStore | SaveToken) -> Token | None:
        """Perform a store step; a failing store is logged and otherwise ignored."""
        assert self.store is not None  # the plan yields store steps only with a store
        action = "load" if isinstance(step, LoadStore) else "delete"
        try:
            if isinstance(step, SaveToken):
                action = "save"
                self.store.save(self.store_key, step.token)
            elif isinstance(step, ForgetStore):
                self.store.delete(self.store_key)
            else:
                loaded = self.store.load(self.store_key)
                if loaded is None or isinstance(loaded, Token):
                    return loaded
                # Say what it returned by type only: a hand-rolled store's dict holds the token.
                _store_failed("load", f"it returned a {type(loaded).__name__}, not a Token")
        except Exception as exc:
            _store_failed(action, type(exc).__name__)
        return None

    # --- the sync driver

    def _perform(self, step: Step, send: SyncSend) -> Any:
        """Perform a step: its result, or the exception it raised, for the plan to raise."""
        try:
            if isinstance(step, SendRequest):
                try:
                    return send(step.request)
                except httpx.HTTPError as exc:
                    raise_send_failure(exc, step.request)
            return self._store_io(step)
        except Exception as exc:
            return _Failed(exc)

    def get(
        self, send: SyncSend, build: RequestBuilder = httpx.Request, settings: RequestSettings = ()
    ) -> Token:
        """Return a usable token, obtaining one through `send` if needed (single flight).

        `build` builds the token request: a client's `build_request`, for its default headers.
        `settings` are those `send` sends it with (`_request_settings`): a failure is shared only
        between callers with equal settings.
        """
        token = self.usable()
        if token is not None:
            return token
        seen = self._completed
        # Wait for another caller's token request no longer than this call's own deadline.
        left = remaining_time()
        if not self._lock.acquire(timeout=-1 if left is None else left):
            raise _lock_timeout()
        try:
            plan = self._attempt(seen, build, settings)
            try:
                step = next(plan)
                while True:
                    step = plan.send(self._perform(step, send))
            except StopIteration as done:
                outcome: tuple[Token, bool] = done.value
        finally:
            self._lock.release()
        token, new = outcome
        # Outside the lock: a hook that uses the client must not wait on its own caller.
        if new and self._on_token is not None:
            try:
                called: Any = self._on_token(token)
                if inspect.isawaitable(called):
                    # A coroutine on a sync client would never run: close it, and say so.
                    if inspect.iscoroutine(called):
                        called.close()
                    raise TypeError("an async on_token hook needs AsyncCloudCX")
            except Exception as exc:
                _hook_failed(self._on_token, exc)
        return token

    # --- the async driver

    async def _aperform(self, step: Step, send: AsyncSend) -> Any:
        """Perform a step: its result, or the exception it raised, for the plan to raise."""
        import asyncio

        try:
            if isinstance(step, SendRequest):
                try:
                    return await send(step.request)
                except httpx.HTTPError as exc:
                    raise_send_failure(exc, step.request)
            # Store I/O in a worker thread: the loop never waits on the disk.
            return await asyncio.to_thread(self._store_io, step)
        except Exception as exc:
            return _Failed(exc)

    def _running_loop_lock(self) -> asyncio.Lock:
        """The lock for the running loop; the client as a whole still belongs to one loop."""
        import asyncio

        loop = asyncio.get_running_loop()
        if self._loop_lock is None or self._lock_loop is not loop:
            if self._loop_lock is not None and self._loop_lock.locked():
                # The other loop's token request would never wake this loop's waiters.
                raise ConfigurationError(
                    "this AsyncCloudCX is in use by another event loop: use one client per loop"
                )
            self._loop_lock, self._lock_loop = asyncio.Lock(), loop
        return self._loop_lock

    async def aget(
        self, send: AsyncSend, build: RequestBuilder = httpx.Request, settings: RequestSettings = ()
    ) -> Token:
        """Return a usable token, obtaining one through `send` if needed (single flight)."""
        token = self.usable()
        if token is not None:
            return token
        seen = self._completed
        lock = self._running_loop_lock()
        await _acquire(lock)
        try:
            plan = self._attempt(seen, build, settings)
            try:
                step = next(plan)
                while True:
                    step = plan.send(await self._aperform(step, send))
            except StopIteration as done:
                outcome: tuple[Token, bool] = done.value
        finally:
            lock.release()
        token, new = outcome
        # Outside the lock: a hook that uses the client must not wait on its own caller.
        if new and self._on_token is not None:
            try:
                called = self._on_token(token)
                if inspect.isawaitable(called):
                    await called
            except Exception as exc:
                _hook_failed(self._on_token, exc)
        return token


# --- one event loop at a time per async client ---------------------------------------------


class LoopGuard:
    """Counts an async client's requests in flight, and the loop they run on.

    The client's connection pool and token lock belong to the loop that uses them; a request
    from another loop while the first has requests in flight would wait on futures of a loop
    that never wakes it, past every timeout: it is refused at once instead.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._active = 0
        self._mutex = threading.Lock()

    def __enter__(self) -> None:
        """Mark a request in flight on the running loop; refuse a second loop meanwhile.

        A plain context manager (`with guard:`), not a generator: it wraps every async request.

        Raises:
            ConfigurationError: another event loop has requests in flight on this client.
        """
        import asyncio

        loop = asyncio.get_running_loop()
        with self._mutex:
            if self._active and loop is not self._loop:
                raise ConfigurationError(
                    "this AsyncCloudCX is in use by another event loop at the same time: use "
                    "one client per event loop (or per thread that runs one)"
                )
            self._loop = loop
            self._active += 1

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """The request is no longer in flight."""
        with self._mutex:
            self._active -= 1


# --- request checks and errors ----------------------------------------------------------


class _Guard:
    """Refuses, before anything is sent, to put a credential on an unsafe or foreign request.

    A request for the API's own origin passes on three cheap comparisons (httpx lowercases the
    host and drops a default port): that origin already passed the plain-http check when the
    guard was built. Any other request is checked in full, and refused.
    """

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._api_url = httpx.URL(config.base_url)
        try:
            check_credential_url(
                self._api_url, allow_insecure_http=config.allow_insecure_http, setting="base_url"
            )
        except InsecureTransportError:
            self._trusted: tuple[int | None, str, str] | None = None
        else:
            self._trusted = (self._api_url.port, self._api_url.host, self._api_url.scheme)

    def check(self, request: httpx.Request) -> None:
        url, trusted = request.url, self._trusted
        if (
            trusted is not None
            and url.port == trusted[0]
            and url.host == trusted[1]
            and url.scheme == trusted[2]
        ):
            return
        config = self._config
        check_credential_url(
            url, allow_insecure_http=config.allow_insecure_http, setting="the request URL"
        )
        if not same_origin(url, self._api_url):
            raise ConfigurationError(
                f"refusing to send credentials to {describe_url(url)}: it is not on the "
                f"configured API host {config.base_url}"
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
        self._header = f"Bearer {config.api_key.get_secret_value()}"
        self._known = (config.api_key,)

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key=Secret('**********'))"

    def _attach(self, request: httpx.Request) -> None:
        self._guard.check(request)
        request.headers["Authorization"] = self._header
        request.extensions[KNOWN_SECRETS_EXTENSION] = self._known

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the key; a 401 raises `AuthenticationError`."""
        self._attach(request)
        response = yield request
        if response.status_code == 401:
            read_capped(response)
            raise api_refusal(response, "the API refused the API key (HTTP 401)")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach the key; a 401 raises `AuthenticationError`."""
        self._attach(request)
        response = yield request
        if response.status_code == 401:
            await aread_capped(response)
            raise api_refusal(response, "the API refused the API key (HTTP 401)")


_REFUSED_AGAIN = "the API refused a freshly obtained access token (HTTP 401 twice)"


class TokenAuth(httpx.Auth):
    """Bearer tokens from the password grant, renewed before expiry and after a 401.

    The request body is buffered (`requires_request_body`) so that it can be resent once. The
    token requests go through the httpx client given to `attach`: that client takes this auth
    when it is built, so the auth learns its client afterwards. Each client has its own
    `TokenAuth`; the copies of a client share its `TokenCache` (`sharing`).
    """

    requires_request_body = True

    def __init__(self, cache: TokenCache) -> None:
        self._cache = cache
        self._config = cache.config
        self._guard = _Guard(cache.config)
        self._send: SyncSend | None = None
        self._asend: AsyncSend | None = None
        self._build: RequestBuilder = httpx.Request
        self._settings: RequestSettings = ()
        # The latest token's header value, one tuple so that threads read a consistent triple.
        self._credential: tuple[Token, str, tuple[Secret | None, ...]] | None = None

    def __repr__(self) -> str:
        return "TokenAuth()"

    def _authorize(self, request: httpx.Request, token: Token) -> None:
        credential = self._credential
        if credential is None or credential[0] is not token:
            config = self._config
            known = (token.access_token, token.refresh_token, config.password, config.client_secret)
            credential = (token, f"Bearer {token.access_token.get_secret_value()}", known)
            self._credential = credential
        request.headers["Authorization"] = credential[1]
        request.extensions[KNOWN_SECRETS_EXTENSION] = credential[2]

    def attach(self, http: httpx.Client | httpx.AsyncClient, connection: Connection) -> None:
        """Send token requests through `http`, built with its default headers and timeout.

        `connection` holds the timeout and retries `http` was opened with: callers of clients
        with the same ones share a failed token request, others make their own attempt.
        """
        self._build = http.build_request
        self._settings = _request_settings(connection)
        # auth=None: the token request must carry no Authorization header, and must not recurse.
        if isinstance(http, httpx.AsyncClient):

            async def asend(request: httpx.Request) -> httpx.Response:
                return await http.send(request, auth=None)

            self._asend = asend
        else:
            self._send = lambda request: http.send(request, auth=None)

    def sharing(self) -> TokenAuth:
        """An auth for another client (a `with_options` copy) that shares this one's token.

        Attached to that client, it sends the token requests that client's calls need through
        it, with its timeout and retries; the one `TokenCache` still lets a single token
        request be in flight for both, and every caller of either uses the token it obtains.
        """
        return TokenAuth(self._cache)

    def get(self) -> Token:
        """Return a usable token for a sync client (single flight)."""
        if self._send is None:
            raise TypeError("TokenAuth.get needs a sync client attached")
        return self._cache.get(self._send, self._build, self._settings)

    async def aget(self) -> Token:
        """Return a usable token for an async client (single flight)."""
        if self._asend is None:
            raise TypeError("TokenAuth.aget needs an async client attached")
        return await self._cache.aget(self._asend, self._build, self._settings)

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach a token; on 401, renew it once and resend; a second 401 raises."""
        self._guard.check(request)
        token = self._cache.usable() or self.get()
        self._authorize(request, token)
        response = yield request
        if response.status_code != 401:
            return
        read_capped(response)
        log.debug("the API answered 401; renewing the access token and resending once")
        self._cache.discard(token)
        self._authorize(request, self.get())
        response = yield request
        if response.status_code == 401:
            read_capped(response)
            raise api_refusal(response, _REFUSED_AGAIN)

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach a token; on 401, renew it once and resend; a second 401 raises."""
        self._guard.check(request)
        token = self._cache.usable() or await self.aget()
        self._authorize(request, token)
        response = yield request
        if response.status_code != 401:
            return
        await aread_capped(response)
        log.debug("the API answered 401; renewing the access token and resending once")
        self._cache.discard(token)
        self._authorize(request, await self.aget())
        response = yield request
        if response.status_code == 401:
            await aread_capped(response)
            raise api_refusal(response, _REFUSED_AGAIN)


# --- wiring, for the clients ---------------------------------------------------------------


def build_auth(
    config: ClientConfig,
    *,
    token: Token | None = None,
    on_token: SyncTokenHook | AsyncTokenHook | None = None,
    token_store: TokenStore | None = None,
    refresh_skew: float = 60.0,
    clock: Clock = time.monotonic,
    asynchronous: bool = False,
) -> tuple[httpx.Auth, TokenAuth | None]:
    """Check the auth options and build the auth; a password-grant auth also comes second.

    The client `attach`es the `TokenAuth` to its httpx client, and asks it for `get_token`.

    Raises:
        ConfigurationError: an option is of the wrong type, or does not apply to an API key.
    """
    skew = check_token_options(
        config,
        token=token,
        on_token=on_token,
        token_store=token_store,
        refresh_skew=refresh_skew,
        asynchronous=asynchronous,
    )
    if config.auth_mode == "api_key":
        return ApiKeyAuth(config), None
    cache = TokenCache(
        config, skew=skew, clock=clock, token=token, store=token_store, on_token=on_token
    )
    auth = TokenAuth(cache)
    return auth, auth
