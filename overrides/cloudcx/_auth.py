"""httpx authentication for CloudCX: a static API key, or password-grant access tokens.

`TokenAuth` keeps the token on a `TokenManager` and asks it for a fresh one before each request;
a 401 on a token this client obtained discards it and resends the request once with a new one.
The manager does its own I/O (the token request) through the client's own `send`, so it shares
the connection pool and the retry transport, and holds its lock only while that request runs,
never across a `yield` of the auth flow.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator

import httpx

from ._config import ClientConfig
from ._secrets import Secret
from ._tokens import Token, build_token_request, parse_token_response

__all__ = ["ApiKeyAuth", "AsyncTokenManager", "SyncTokenManager", "TokenAuth"]

SyncSend = Callable[[httpx.Request], httpx.Response]
AsyncSend = Callable[[httpx.Request], Awaitable[httpx.Response]]


class ApiKeyAuth(httpx.Auth):
    """Sends the API key as `Authorization: Bearer <key>`, as the vendor documents."""

    def __init__(self, api_key: Secret) -> None:
        self._api_key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach the key; a 401 is left to the caller to report (a key cannot be renewed)."""
        request.headers["Authorization"] = f"Bearer {self._api_key.get_secret_value()}"
        yield request

    def __repr__(self) -> str:
        return "ApiKeyAuth(api_key=Secret('**********'))"


class _TokenState:
    """The cached token and the policy for when it must be renewed.

    Renew when the remaining lifetime falls under `skew`, scaled down for short-lived tokens
    (a quarter of the lifetime at most) so that a 10 s token is still reused for 7.5 s.
    """

    def __init__(self, config: ClientConfig, *, skew: float, clock: Callable[[], float]) -> None:
        self.config = config
        self.skew = skew
        self.clock = clock
        self.token: Token | None = None
        self.lifetime: float | None = None
        self.generation = 0

    def usable(self) -> Token | None:
        token = self.token
        if token is None:
            return None
        left = token.remaining(self.clock())
        if left is None:
            return token
        skew = min(self.skew, (self.lifetime or 0.0) / 4)
        return token if left > skew else None

    def adopt(self, token: Token) -> None:
        self.token = token
        self.lifetime = token.remaining(self.clock())
        self.generation += 1

    def discard(self, stale: Token) -> None:
        if self.token is stale:
            self.token = None
            self.generation += 1

    def request(self) -> httpx.Request:
        return build_token_request(self.config)

    def parse(self, response: httpx.Response) -> Token:
        return parse_token_response(response, monotonic_now=self.clock())


class SyncTokenManager:
    """Obtains and caches tokens for a sync client; one token request at a time."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._state = _TokenState(config, skew=skew, clock=clock)
        self._lock = threading.Lock()
        self._send: SyncSend | None = None

    def bind(self, send: SyncSend) -> None:
        """Give the manager the function that sends its token requests."""
        self._send = send

    def get(self) -> Token:
        """Return a usable token, obtaining one if needed (single flight)."""
        token = self._state.usable()
        if token is not None:
            return token
        with self._lock:
            token = self._state.usable()
            if token is not None:
                return token
            assert self._send is not None, "TokenManager used before bind()"
            response = self._send(self._state.request())
            token = self._state.parse(response)
            self._state.adopt(token)
            return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        with self._lock:
            self._state.discard(token)


class AsyncTokenManager:
    """Obtains and caches tokens for an async client; one token request at a time."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        skew: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._state = _TokenState(config, skew=skew, clock=clock)
        self._lock = asyncio.Lock()
        self._send: AsyncSend | None = None

    def bind(self, send: AsyncSend) -> None:
        """Give the manager the coroutine function that sends its token requests."""
        self._send = send

    async def get(self) -> Token:
        """Return a usable token, obtaining one if needed (single flight)."""
        token = self._state.usable()
        if token is not None:
            return token
        async with self._lock:
            token = self._state.usable()
            if token is not None:
                return token
            assert self._send is not None, "TokenManager used before bind()"
            response = await self._send(self._state.request())
            token = self._state.parse(response)
            self._state.adopt(token)
            return token

    def discard(self, token: Token) -> None:
        """Forget `token` (the API refused it), so that the next `get` obtains a new one."""
        self._state.discard(token)


def _authorize(request: httpx.Request, token: Token) -> None:
    request.headers["Authorization"] = f"Bearer {token.access_token.get_secret_value()}"


class TokenAuth(httpx.Auth):
    """Bearer tokens from the password grant, renewed before expiry and after a 401."""

    def __init__(self, manager: SyncTokenManager | AsyncTokenManager) -> None:
        self._manager = manager

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Attach a token; on 401, renew it once and resend."""
        manager = self._manager
        assert isinstance(manager, SyncTokenManager), "a sync client needs a SyncTokenManager"
        token = manager.get()
        _authorize(request, token)
        response = yield request
        if response.status_code == 401:
            manager.discard(token)
            _authorize(request, manager.get())
            yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Attach a token; on 401, renew it once and resend."""
        manager = self._manager
        assert isinstance(manager, AsyncTokenManager), "an async client needs an AsyncTokenManager"
        token = await manager.get()
        _authorize(request, token)
        response = yield request
        if response.status_code == 401:
            manager.discard(token)
            _authorize(request, await manager.get())
            yield request

    def __repr__(self) -> str:
        return "TokenAuth()"
