"""The token managers: a sync and an async twin that obtain, cache and renew access tokens.

Each performs the steps `cloudcx._token_policy` plans (send a token request through the
client's connection pool, read, save or delete the stored token) under its own lock: a
`threading.Lock` or an `asyncio.Lock`. The caller that obtained a new token then calls
`on_token` after releasing the lock, so that a hook may use the client (`get_token`, an API
call that meets a 401) without waiting on the lock its own caller holds. The token policy is
stated in full in `cloudcx._token_policy`.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import httpx

from ._config import ClientConfig
from ._deadline import remaining_time
from ._exceptions import APITimeoutError, ConfigurationError
from ._response import raise_send_failure
from ._token_policy import (
    Announce,
    Clock,
    ForgetStore,
    LoadStore,
    SendRequest,
    Step,
    TokenState,
)
from ._token_store import TokenStore
from ._tokens import RequestBuilder, Token

if TYPE_CHECKING:
    # Imported where the async manager runs: the sync client imports this module and must not
    # pay for loading asyncio.
    import asyncio

__all__ = [
    "AsyncSend",
    "AsyncTokenHook",
    "AsyncTokenManager",
    "SyncSend",
    "SyncTokenHook",
    "SyncTokenManager",
]

log = logging.getLogger("cloudcx.auth")

SyncSend = Callable[[httpx.Request], httpx.Response]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]
SyncTokenHook = Callable[[Token], None]
AsyncTokenHook = Callable[[Token], "Awaitable[None] | None"]


def _hook_name(hook: object) -> str:
    return getattr(hook, "__qualname__", None) or type(hook).__name__


def _load_store(state: TokenState) -> Token | None:
    """Read the store; a failing store, or one that returns no `Token`, is logged: no token."""
    if state.store is None:
        return None
    try:
        loaded = state.store.load(state.store_key)
    except Exception as exc:
        _store_failed("load", type(exc).__name__)
        return None
    if loaded is not None and not isinstance(loaded, Token):
        # Say what it returned by type only: a hand-rolled store's dict holds the token.
        _store_failed("load", f"it returned a {type(loaded).__name__}, not a Token")
        return None
    return loaded


def _forget_store(state: TokenState) -> None:
    """Delete this account's stored token; a failing store is logged and otherwise ignored."""
    if state.store is None:
        return
    try:
        state.store.delete(state.store_key)
    except Exception as exc:
        _store_failed("delete", type(exc).__name__)


def _save_store(state: TokenState, token: Token) -> None:
    """Save a new token; a failing store is logged and otherwise ignored."""
    if state.store is None:
        return
    try:
        state.store.save(state.store_key, token)
    except Exception as exc:
        _store_failed("save", type(exc).__name__)


def _lock_timeout() -> APITimeoutError:
    return APITimeoutError(
        "the call's deadline passed while another caller's token request was in flight"
    )


def _store_failed(action: str, reason: str) -> None:
    log.warning("the token store failed to %s a token (%s); going on without it", action, reason)


def _hook_failed(hook: object, exc: Exception) -> None:
    log.warning(
        "the on_token hook %s raised %s; the call goes on with the new token",
        _hook_name(hook),
        type(exc).__name__,
    )


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
        self._state = TokenState(config, skew=skew, clock=clock, token=token, store=store)
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
        # Wait for another caller's token request no longer than this call's own deadline.
        left = remaining_time()
        if not self._lock.acquire(timeout=-1 if left is None else left):
            raise _lock_timeout()
        try:
            token = state.usable()
            if token is not None:
                return token
            failure = state.shared_failure(seen)
            if failure is not None:
                raise failure
            try:
                token, new = self._obtain()
            except Exception as exc:
                state.finish(exc)
                raise
            state.finish(None)
        finally:
            self._lock.release()
        # Outside the lock: a hook that uses the client must not wait on its own caller.
        if new:
            self._announce(token)
        return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        self._state.discard(token)

    def _obtain(self) -> tuple[Token, bool]:
        """Perform the plan; return its token, and whether it is new from the server."""
        plan = self._state.plan()
        result: Any = None
        failure: Exception | None = None
        new = False
        while True:
            try:
                step = plan.throw(failure) if failure is not None else plan.send(result)
            except StopIteration as done:
                token: Token = done.value
                return token, new
            new = new or isinstance(step, Announce)
            result, failure = None, None
            try:
                result = self._perform(step)
            except Exception as exc:
                failure = exc

    def _perform(self, step: Step) -> Any:
        if isinstance(step, SendRequest):
            assert self._send is not None, "TokenManager used before bind()"
            try:
                return self._send(step.request)
            except httpx.HTTPError as exc:
                raise_send_failure(exc, step.request)
        if isinstance(step, LoadStore):
            return _load_store(self._state)
        if isinstance(step, ForgetStore):
            return _forget_store(self._state)
        _save_store(self._state, step.token)
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
            _hook_failed(hook, exc)


class AsyncTokenManager:
    """Obtains, caches and renews tokens for an async client; one token request at a time.

    The lock is an `asyncio.Lock` made on first use in the running loop, so a client built
    outside a loop works; the lock follows the loop, but the client as a whole does not: its
    connection pool, like httpx's, belongs to the loop that first used it. Store
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
        self._state = TokenState(config, skew=skew, clock=clock, token=token, store=store)
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
        import asyncio

        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            if self._lock is not None and self._lock.locked():
                # The other loop's token request would never wake this loop's waiters.
                raise ConfigurationError(
                    "this AsyncCloudCX is in use by another event loop: use one client per loop"
                )
            self._lock, self._lock_loop = asyncio.Lock(), loop
        return self._lock

    async def _acquire(self, lock: asyncio.Lock) -> None:
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

    async def get(self) -> Token:
        """Return a usable token, obtaining one if needed (single flight)."""
        state = self._state
        token = state.usable()
        if token is not None:
            return token
        seen = state.completed
        lock = self._loop_lock()
        await self._acquire(lock)
        try:
            token = state.usable()
            if token is not None:
                return token
            failure = state.shared_failure(seen)
            if failure is not None:
                raise failure
            try:
                token, new = await self._obtain()
            except Exception as exc:
                state.finish(exc)
                raise
            state.finish(None)
        finally:
            lock.release()
        # Outside the lock: a hook that uses the client must not wait on its own caller.
        if new:
            await self._announce(token)
        return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        self._state.discard(token)

    async def _obtain(self) -> tuple[Token, bool]:
        """Perform the plan; return its token, and whether it is new from the server."""
        plan = self._state.plan()
        result: Any = None
        failure: Exception | None = None
        new = False
        while True:
            try:
                step = plan.throw(failure) if failure is not None else plan.send(result)
            except StopIteration as done:
                token: Token = done.value
                return token, new
            new = new or isinstance(step, Announce)
            result, failure = None, None
            try:
                result = await self._perform(step)
            except Exception as exc:
                failure = exc

    async def _perform(self, step: Step) -> Any:
        state = self._state
        if isinstance(step, SendRequest):
            assert self._send is not None, "TokenManager used before bind()"
            try:
                return await self._send(step.request)
            except httpx.HTTPError as exc:
                raise_send_failure(exc, step.request)
        # Store I/O in a worker thread: the loop never waits on the disk.
        import asyncio

        if isinstance(step, LoadStore):
            return await asyncio.to_thread(_load_store, state)
        if isinstance(step, ForgetStore):
            return await asyncio.to_thread(_forget_store, state)
        if state.store is not None:
            await asyncio.to_thread(_save_store, state, step.token)
        return None

    async def _announce(self, token: Token) -> None:
        hook = self._on_token
        if hook is None:
            return
        try:
            result = hook(token)
            if inspect.isawaitable(result):
                await result
        except Exception as exc:
            _hook_failed(hook, exc)
