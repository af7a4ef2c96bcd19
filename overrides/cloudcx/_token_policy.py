"""The cached access token and its renewal policy, without I/O.

The managers (`cloudcx._token_manager`) perform the steps this module plans; the httpx auth
classes (`cloudcx._auth`) attach the token and answer a 401. The token policy, in one place:

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
  in flight wait for it and share its outcome, success or failure. The lock is held only while
  the token is obtained, never across a `yield` of the auth flow.
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
import logging
import math
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from ._config import ClientConfig, check_credential_url
from ._exceptions import AuthenticationError
from ._oauth import (
    RequestBuilder,
    Token,
    build_token_request,
    parse_token_response,
    password_needed,
)
from ._response import describe_url
from ._secrets import Secret
from ._token_store import TokenStore, token_store_key

__all__ = [
    "SHORT_TOKEN_FRACTION",
    "Announce",
    "Clock",
    "ForgetStore",
    "LoadStore",
    "Plan",
    "SendRequest",
    "Step",
    "TokenState",
]

log = logging.getLogger("cloudcx.auth")

Clock = Callable[[], float]

#: A short-lived token is renewed when this fraction of its lifetime is left (at most the skew).
SHORT_TOKEN_FRACTION = 0.1


def _replay(exc: Exception) -> Exception:
    """A copy of a shared failure, so that each waiter raises its own exception object."""
    try:
        clone = copy.copy(exc)
    except Exception:  # an exception type that cannot be rebuilt: share the original
        return exc
    clone.__cause__ = exc.__cause__
    clone.__traceback__ = None
    return clone


@dataclass(frozen=True, slots=True)
class _Current:
    """The token in use, with its monotonic deadline and renewal margin (one atomic unit)."""

    token: Token
    deadline: float | None
    margin: float


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
class Announce:
    """Step: save a new token to the store (failures are logged).

    The manager shows the token to the `on_token` hook once its lock is released.
    """

    token: Token


Step = LoadStore | ForgetStore | SendRequest | Announce
Plan = Generator[Step, Any, Token]


class TokenState:
    """Everything both managers share: the cached token, the renewal policy, the outcome log.

    It does no I/O: `plan` says which steps obtain a token, and a manager performs them.
    """

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
        """Record the end of a token-obtaining attempt, and its failure if it failed."""
        self.failure = failure
        self.completed += 1

    def shared_failure(self, seen: int) -> Exception | None:
        """The failure to report to a caller that started waiting when `seen` attempts were done."""
        if self.completed != seen and self.failure is not None:
            return _replay(self.failure)
        return None

    def request(self, refresh: Secret | None) -> httpx.Request:
        """The token request: the refresh grant with `refresh`, else the password grant."""
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
        """Read a token response (raising on a refusal) and adopt the token it brings."""
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
        """Adopt the token read from the store; return it if still usable, else None."""
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

        Sans-I/O: the plan yields `LoadStore`, `ForgetStore`, `SendRequest` and `Announce` steps
        and receives their results; a step's failure is thrown back into it, so the refresh
        fallback is written once for the sync and the async manager. A password grant that is
        needed without a password forgets the stored token and raises `ConfigurationError`.
        """
        if self.store_pending and self.store is not None:
            token = self.from_store((yield LoadStore()))
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
                yield ForgetStore()
            raise password_needed()
        return (yield from self._grant(None))

    def _grant(self, refresh: Secret | None) -> Plan:
        request = self.request(refresh)
        sent_mono, sent_wall = self.clock(), datetime.now(UTC)
        response = yield SendRequest(request)
        token = self.accept(response, refresh=refresh, sent_mono=sent_mono, sent_wall=sent_wall)
        yield Announce(token)
        return token


def _should_fall_back(exc: AuthenticationError) -> bool:
    """Tell whether the password grant is worth a try after a refused refresh grant.

    Yes for anything but a refused client (`invalid_client`), which the password grant would
    meet as well: `invalid_grant` (expired or revoked refresh token), `unsupported_grant_type`...
    """
    return exc.error != "invalid_client"
