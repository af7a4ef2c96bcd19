"""httpx authentication for CloudCX: a static API key, or password-grant access tokens.

Token policy, in one place:

* A token is obtained on first use (or taken from `token=` or the token store while still
  valid), cached, and shared by every call, thread and task of the client.
* It is renewed before it expires: when its remaining life, timed on a monotonic clock from the
  moment the token request was sent, falls under `refresh_skew` (60 s), scaled down to a tenth
  of the token's lifetime for short-lived tokens, so that a 10 s token is used for 9 s.
* Without `expires_in`, the JWT `exp` claim (read, not verified) gives the expiry; an opaque
  token without one is used until the API answers 401.
* A 401 on a request discards the token that request carried, obtains a new one and resends
  the request once; a second 401 raises `AuthenticationError`, as does any 401 with an API key.
* Renewal uses the refresh grant when a refresh token was issued (a rotated one is adopted, the
  old one kept when the answer brings none); if the server rejects it, the password grant.
* With `token=` or `token_store=`, the password may be left out: when the password grant
  becomes necessary, the stored token is deleted and `ConfigurationError` ("a password is
  needed to obtain a new token") is raised, before anything is sent.
* One token request at a time: callers that find the token missing or stale while a request is
  in flight wait for it and share its outcome, success or failure. The lock is held only while
  the token is obtained, never across a `yield` of the auth flow.
* After every token obtained from the server, the token store saves it and then the
  `on_token` hook sees it (not for a token taken from `token=` or the store). Both run while
  the other callers wait for that token, so keep them quick; a failing hook or store is
  logged at WARNING, by exception type only (its message may hold the token), and never
  fails the call.
* Credentials are attached only to requests for the configured API origin, and never over
  plain http:// to a host that is not loopback unless `allow_insecure_http=True`.
"""

from __future__ import annotations

import asyncio
import copy
import inspect
import logging
import math
import re
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

import httpx

from ._config import ClientConfig, check_credential_url, same_origin
from ._exceptions import AuthenticationError, ConfigurationError
from ._response import (
    KNOWN_SECRETS_EXTENSION,
    describe_url,
    envelope_message,
    json_or_none,
    server_text,
)
from ._secrets import Secret
from ._token_store import TokenStore, token_store_key
from ._tokens import (
    RequestBuilder,
    Token,
    build_token_request,
    parse_token_response,
    password_needed,
)
from ._transport_errors import translate_transport_error

__all__ = [
    "LOCAL_SEND_ERRORS",
    "ApiKeyAuth",
    "AsyncTokenHook",
    "AsyncTokenManager",
    "SyncTokenHook",
    "SyncTokenManager",
    "TokenAuth",
    "build_async_auth",
    "build_sync_auth",
    "raise_send_failure",
]

log = logging.getLogger("cloudcx.auth")

SyncSend = Callable[[httpx.Request], httpx.Response]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]
SyncTokenHook = Callable[[Token], None]
AsyncTokenHook = Callable[[Token], "Awaitable[None] | None"]
Clock = Callable[[], float]

#: A short-lived token is renewed when this fraction of its lifetime is left (at most the skew).
SHORT_TOKEN_FRACTION = 0.1


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


# An RFC 6750 §3 challenge parameter: name="quoted value" or name=token.
_CHALLENGE_PARAM = re.compile(r'([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')


def _bearer_challenge(response: httpx.Response) -> dict[str, str]:
    """The parameters of the `WWW-Authenticate: Bearer ...` challenge, if the API sent one."""
    for header in response.headers.get_list("www-authenticate"):
        scheme, _, params = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            continue
        return {
            name.lower(): re.sub(r"\\(.)", r"\1", quoted) if quoted else bare
            for name, quoted, bare in _CHALLENGE_PARAM.findall(params)
        }
    return {}


def _api_refusal(response: httpx.Response, reason: str) -> AuthenticationError:
    """The `AuthenticationError` for a 401 from the API.

    `error` and `error_description` come from the RFC 6750 challenge when there is one; the
    envelope's `code` stays in `code`, its `message` stands in for a missing description.
    """
    code, message = envelope_message(json_or_none(response))
    challenge = _bearer_challenge(response)
    error = challenge.get("error") or None
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
    )


# httpx errors raised before anything is sent, whose message may quote a header value (and so a
# credential): translated without chaining them.
LOCAL_SEND_ERRORS = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)


def raise_send_failure(exc: httpx.HTTPError, request: httpx.Request | None) -> NoReturn:
    """Raise the `CloudCXError` for a failed send, chaining `exc` only if it is safe to show.

    A local protocol error (an illegal header value...) may quote the header, so it is dropped
    from the chain (`from None`): no traceback can print a credential.
    """
    if isinstance(exc, LOCAL_SEND_ERRORS):
        raise translate_transport_error(exc, request) from None
    raise translate_transport_error(exc, request) from exc


def _authorize(request: httpx.Request, token: Token, config: ClientConfig) -> None:
    request.headers["Authorization"] = f"Bearer {token.access_token.get_secret_value()}"
    request.extensions[KNOWN_SECRETS_EXTENSION] = (
        token.access_token,
        token.refresh_token,
        config.password,
        config.client_secret,
    )


def _replay(exc: Exception) -> Exception:
    """A copy of a shared failure, so that each waiter raises its own exception object."""
    try:
        clone = copy.copy(exc)
    except Exception:  # an exception type that cannot be rebuilt: share the original
        return exc
    clone.__cause__ = exc.__cause__
    clone.__traceback__ = None
    return clone


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__name__


# --- the cached token and its policy -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Current:
    """The token in use, with its monotonic deadline and renewal margin (one atomic unit)."""

    token: Token
    deadline: float | None
    margin: float


@dataclass(frozen=True, slots=True)
class _LoadStore:
    """Step: read the token store (result: a `Token` or `None`; failures are logged)."""


@dataclass(frozen=True, slots=True)
class _ForgetStore:
    """Step: delete this account's token from the store (failures are logged)."""


@dataclass(frozen=True, slots=True)
class _Send:
    """Step: send a token request (result: the `httpx.Response`)."""

    request: httpx.Request


@dataclass(frozen=True, slots=True)
class _Announce:
    """Step: save a new token to the store and show it to the hook (failures are logged)."""

    token: Token


_Step = _LoadStore | _ForgetStore | _Send | _Announce
Plan = Generator[_Step, Any, Token]


class _TokenState:
    """Everything both managers share: the cached token, the renewal policy, the outcome log."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float,
        clock: Clock,
        token: Token | None,
        store: TokenStore | None,
    ) -> None:
        self.config = config
        self.skew = skew
        self.clock = clock
        self.store = store
        self.store_key = token_store_key(
            config.token_url, config.client_id or "", config.username or ""
        )
        self.store_pending = store is not None and token is None
        self.build: RequestBuilder = httpx.Request
        self.current: _Current | None = None
        self.refresh_token: Secret | None = None
        # Finished token-obtaining attempts, and the failure of the latest one if it failed:
        # a caller that waited through an attempt shares its failure instead of retrying.
        self.completed = 0
        self.failure: Exception | None = None
        self._mutex = threading.Lock()  # guards `current`; never held during I/O
        if token is not None:
            self.adopt_known(token)

    def _margin(self, lifetime: float) -> float:
        return max(0.0, min(self.skew, lifetime * SHORT_TOKEN_FRACTION))

    def usable(self) -> Token | None:
        """The cached token, if it is not due for renewal."""
        current = self.current
        if current is None:
            return None
        if current.deadline is None or current.deadline - self.clock() > current.margin:
            return current.token
        return None

    def adopt_known(self, token: Token) -> bool:
        """Take a token from the caller or the store; False if it is already due for renewal."""
        left = token.remaining()
        deadline = None if left is None else self.clock() + left
        margin = 0.0 if left is None else self._margin(left)
        with self._mutex:
            self.current = _Current(token, deadline, margin)
            self.refresh_token = token.refresh_token
        return self.usable() is token

    def adopt_new(self, token: Token, sent_mono: float, sent_wall: datetime) -> None:
        """Take a token just obtained; its life counts from when its request was sent."""
        if token.expires_at is None:
            deadline, margin = None, 0.0
        else:
            lifetime = (token.expires_at - sent_wall).total_seconds()
            deadline, margin = sent_mono + lifetime, self._margin(lifetime)
        with self._mutex:
            self.current = _Current(token, deadline, margin)
            self.refresh_token = token.refresh_token

    def discard(self, stale: Token) -> None:
        """Forget `stale` if it is still the cached token (another caller may have renewed)."""
        with self._mutex:
            if self.current is not None and self.current.token is stale:
                self.current = None
                log.debug("discarded the access token the API refused")

    def finish(self, failure: Exception | None) -> None:
        self.failure = failure
        self.completed += 1

    def shared_failure(self, seen: int) -> Exception | None:
        """The failure to report to a caller that started waiting when `seen` attempts were done."""
        if self.completed != seen and self.failure is not None:
            return _replay(self.failure)
        return None

    def request(self, refresh: Secret | None) -> httpx.Request:
        request = build_token_request(self.config, refresh_token=refresh, build=self.build)
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
        return request

    def accept(
        self,
        response: httpx.Response,
        *,
        refresh: Secret | None,
        sent_mono: float,
        sent_wall: datetime,
    ) -> Token:
        token = parse_token_response(response, sent_at=sent_wall, previous_refresh=refresh)
        self.adopt_new(token, sent_mono, sent_wall)
        left = token.remaining()
        log.debug(
            "obtained an access token (%s; refresh token: %s)",
            "no expiry given" if left is None else f"expires in {math.floor(left)} s",
            "yes" if token.refresh_token is not None else "no",
        )
        return token

    def from_store(self, loaded: Token | None) -> Token | None:
        self.store_pending = False
        if loaded is None:
            return None
        if self.adopt_known(loaded):
            log.debug("reusing the access token from the token store")
            return loaded
        # Too old to use, but its refresh token may still renew it without the password.
        log.debug("the stored access token is due for renewal")
        return None

    def plan(self) -> Plan:
        """How to obtain a token, as steps for a manager to perform (the same for both).

        Sans-I/O: the plan yields `_LoadStore`, `_ForgetStore`, `_Send` and `_Announce` steps
        and receives their results; a step's failure is thrown back into it, so the refresh
        fallback is written once for the sync and the async manager. A password grant that is
        needed without a password forgets the stored token and raises `ConfigurationError`.
        """
        if self.store_pending and self.store is not None:
            token = self.from_store((yield _LoadStore()))
            if token is not None:
                return token
        refresh = self.refresh_token
        if refresh is not None:
            try:
                return (yield from self._grant(refresh))
            except AuthenticationError as exc:
                if not _should_fall_back(exc):
                    raise
                log.debug("the refresh token was refused (%s); using the password grant", exc.error)
                self.refresh_token = None
        if self.config.password is None:
            # The stored token is spent: forget it, so that the next run (the CLI's) knows to
            # ask for the password instead of offering the same token again.
            if self.store is not None:
                yield _ForgetStore()
            raise password_needed()
        return (yield from self._grant(None))

    def _grant(self, refresh: Secret | None) -> Plan:
        request = self.request(refresh)
        sent_mono, sent_wall = self.clock(), datetime.now(UTC)
        response = yield _Send(request)
        token = self.accept(response, refresh=refresh, sent_mono=sent_mono, sent_wall=sent_wall)
        yield _Announce(token)
        return token

    def load_store(self) -> Token | None:
        """Read the store; a failing store is logged and reads as empty."""
        if self.store is None:
            return None
        try:
            return self.store.load(self.store_key)
        except Exception as exc:
            self._store_failed("load", exc)
            return None

    def forget_store(self) -> None:
        """Delete this account's stored token; a failing store is logged and otherwise ignored."""
        if self.store is None:
            return
        try:
            self.store.delete(self.store_key)
        except Exception as exc:
            self._store_failed("delete", exc)

    def save_store(self, token: Token) -> None:
        """Save a new token; a failing store is logged and otherwise ignored."""
        if self.store is None:
            return
        try:
            self.store.save(self.store_key, token)
        except Exception as exc:
            self._store_failed("save", exc)

    def _store_failed(self, action: str, exc: Exception) -> None:
        log.warning(
            "the token store failed to %s a token (%s); going on without it",
            action,
            type(exc).__name__,
        )

    def hook_failed(self, hook: object, exc: Exception) -> None:
        log.warning(
            "the on_token hook %s raised %s; the call goes on with the new token",
            _hook_name(hook),
            type(exc).__name__,
        )


def _should_fall_back(exc: AuthenticationError) -> bool:
    """Tell whether the password grant is worth a try after a refused refresh grant.

    Yes for anything but a refused client (`invalid_client`), which the password grant would
    meet as well: `invalid_grant` (expired or revoked refresh token), `unsupported_grant_type`...
    """
    return exc.error != "invalid_client"


# --- the managers ------------------------------------------------------------------------


class SyncTokenManager:
    """Obtains, caches and renews tokens for a sync client; one token request at a time."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float = 60.0,
        clock: Clock = time.monotonic,
        token: Token | None = None,
        store: TokenStore | None = None,
        on_token: SyncTokenHook | None = None,
    ) -> None:
        self._state = _TokenState(config, skew=skew, clock=clock, token=token, store=store)
        self._on_token = on_token
        self._lock = threading.Lock()
        self._send: SyncSend | None = None

    def __repr__(self) -> str:
        return "SyncTokenManager()"

    def bind(self, send: SyncSend, *, build: RequestBuilder = httpx.Request) -> None:
        """Give the manager the function that sends its token requests (and builds them)."""
        self._send = send
        self._state.build = build

    def attach(self, http: httpx.Client) -> None:
        """Send token requests through `http`, built with its default headers and timeout."""
        # auth=None: the token request must carry no Authorization header, and must not recurse.
        self.bind(lambda request: http.send(request, auth=None), build=http.build_request)

    def get(self) -> Token:
        """Return a usable token, obtaining one if needed (single flight)."""
        state = self._state
        token = state.usable()
        if token is not None:
            return token
        seen = state.completed
        with self._lock:
            token = state.usable()
            if token is not None:
                return token
            failure = state.shared_failure(seen)
            if failure is not None:
                raise failure
            try:
                token = self._obtain()
            except Exception as exc:
                state.finish(exc)
                raise
            state.finish(None)
            return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        self._state.discard(token)

    def _obtain(self) -> Token:
        plan = self._state.plan()
        result: Any = None
        failure: Exception | None = None
        while True:
            try:
                step = plan.throw(failure) if failure is not None else plan.send(result)
            except StopIteration as done:
                token: Token = done.value
                return token
            result, failure = None, None
            try:
                result = self._perform(step)
            except Exception as exc:
                failure = exc

    def _perform(self, step: _Step) -> Any:
        if isinstance(step, _Send):
            assert self._send is not None, "TokenManager used before bind()"
            try:
                return self._send(step.request)
            except httpx.HTTPError as exc:
                raise_send_failure(exc, step.request)
        if isinstance(step, _LoadStore):
            return self._state.load_store()
        if isinstance(step, _ForgetStore):
            return self._state.forget_store()
        self._state.save_store(step.token)
        self._announce(step.token)
        return None

    def _announce(self, token: Token) -> None:
        hook = self._on_token
        if hook is None:
            return
        try:
            result: Any = hook(token)
            if inspect.isawaitable(result):
                # A coroutine on a sync client would never run: close it, and say so.
                if inspect.iscoroutine(result):
                    result.close()
                raise TypeError("an async on_token hook needs AsyncCloudCX")
        except Exception as exc:
            self._state.hook_failed(hook, exc)


class AsyncTokenManager:
    """Obtains, caches and renews tokens for an async client; one token request at a time.

    The lock is an `asyncio.Lock` made on first use in the running loop (and anew if the
    client is later used from another loop), so a client built outside a loop works. Store
    I/O runs in a worker thread, so the loop never waits on the disk.
    """

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float = 60.0,
        clock: Clock = time.monotonic,
        token: Token | None = None,
        store: TokenStore | None = None,
        on_token: AsyncTokenHook | None = None,
    ) -> None:
        self._state = _TokenState(config, skew=skew, clock=clock, token=token, store=store)
        self._on_token = on_token
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self._send: AsyncSend | None = None

    def __repr__(self) -> str:
        return "AsyncTokenManager()"

    def bind(self, send: AsyncSend, *, build: RequestBuilder = httpx.Request) -> None:
        """Give the manager the coroutine function that sends its token requests."""
        self._send = send
        self._state.build = build

    def attach(self, http: httpx.AsyncClient) -> None:
        """Send token requests through `http`, built with its default headers and timeout."""

        async def send(request: httpx.Request) -> httpx.Response:
            # auth=None: no Authorization header on the token request, and no recursion.
            return await http.send(request, auth=None)

        self.bind(send, build=http.build_request)

    def _loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def get(self) -> Token:
        """Return a usable token, obtaining one if needed (single flight)."""
        state = self._state
        token = state.usable()
        if token is not None:
            return token
        seen = state.completed
        async with self._loop_lock():
            token = state.usable()
            if token is not None:
                return token
            failure = state.shared_failure(seen)
            if failure is not None:
                raise failure
            try:
                token = await self._obtain()
            except Exception as exc:
                state.finish(exc)
                raise
            state.finish(None)
            return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        self._state.discard(token)

    async def _obtain(self) -> Token:
        plan = self._state.plan()
        result: Any = None
        failure: Exception | None = None
        while True:
            try:
                step = plan.throw(failure) if failure is not None else plan.send(result)
            except StopIteration as done:
                token: Token = done.value
                return token
            result, failure = None, None
            try:
                result = await self._perform(step)
            except Exception as exc:
                failure = exc

    async def _perform(self, step: _Step) -> Any:
        state = self._state
        if isinstance(step, _Send):
            assert self._send is not None, "TokenManager used before bind()"
            try:
                return await self._send(step.request)
            except httpx.HTTPError as exc:
                raise_send_failure(exc, step.request)
        # Store I/O in a worker thread: the loop never waits on the disk.
        if isinstance(step, _LoadStore):
            return await asyncio.to_thread(state.load_store)
        if isinstance(step, _ForgetStore):
            return await asyncio.to_thread(state.forget_store)
        if state.store is not None:
            await asyncio.to_thread(state.save_store, step.token)
        hook = self._on_token
        if hook is not None:
            try:
                result = hook(step.token)
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                state.hook_failed(hook, exc)
        return None


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
            response.read()
            raise _api_refusal(response, "the API refused the API key (HTTP 401)")

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach the key; a 401 raises `AuthenticationError`."""
        self._attach(request)
        response = yield request
        if response.status_code == 401:
            await response.aread()
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
        response.read()
        log.debug("the API answered 401; renewing the access token and resending once")
        manager.discard(token)
        _authorize(request, manager.get(), self._config)
        response = yield request
        if response.status_code == 401:
            response.read()
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
        await response.aread()
        log.debug("the API answered 401; renewing the access token and resending once")
        manager.discard(token)
        _authorize(request, await manager.get(), self._config)
        response = yield request
        if response.status_code == 401:
            await response.aread()
            raise _api_refusal(response, _REFUSED_AGAIN)


# --- wiring, for the clients -------------------------------------------------------------


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
    if not math.isfinite(refresh_skew) or refresh_skew < 0:
        raise ConfigurationError("refresh_skew must be a finite number of seconds >= 0")
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
