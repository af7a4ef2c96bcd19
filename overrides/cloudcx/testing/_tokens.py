"""Issuing and checking access and refresh tokens.

Access tokens are either JWT-shaped (like the vendor's example: ``header.payload.signature`` in
base64url, with ``exp``, ``iat`` and ``sub`` claims) or opaque random strings. Whether a token
is live is decided by the store's own monotonic clock, never by the wall clock, so that tests
of expiry are not disturbed by clock changes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RefreshGrant", "TokenStore"]

_PRUNE_ABOVE = 10_000


def _b64url(data: bytes) -> str:
    """Encode ``data`` as unpadded base64url, as JWTs do."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64json(value: object) -> str:
    """Serialize ``value`` compactly and base64url-encode it."""
    return _b64url(json.dumps(value, separators=(",", ":")).encode())


@dataclass(frozen=True)
class RefreshGrant:
    """Who a refresh token was issued to."""

    client_id: str
    user_id: str


class TokenStore:
    """Issues access and refresh tokens and tells whether one is still good."""

    def __init__(
        self,
        *,
        ttl: float,
        jwt: bool,
        issuer: str = "http://cloudcx-simulator",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl
        self._jwt = jwt
        self._issuer = issuer
        self._clock = clock
        self._key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._access: dict[str, float] = {}
        self._refresh: dict[str, RefreshGrant] = {}
        self.issued = 0

    def issue_access(self, client_id: str, user_id: str) -> str:
        """Return a new access token for ``user_id``, live for the configured lifetime."""
        token = self._jwt_token(client_id, user_id) if self._jwt else secrets.token_urlsafe(32)
        with self._lock:
            now = self._clock()
            if len(self._access) > _PRUNE_ABOVE:
                self._access = {t: exp for t, exp in self._access.items() if exp > now}
            self._access[token] = now + self._ttl
            self.issued += 1
        return token

    def _jwt_token(self, client_id: str, user_id: str) -> str:
        """Build a JWT like the vendor's (HS256 here, with a random ``jti`` for uniqueness)."""
        now = time.time()
        header = {"kid": "cloudcx-simulator", "typ": "JWT", "alg": "HS256"}
        payload = {
            "sub": client_id,
            "aud": client_id,
            "nbf": int(now),
            "user-id": user_id,
            "iss": self._issuer,
            "exp": math.ceil(now + self._ttl),
            "iat": int(now),
            "jti": str(uuid.uuid4()),
        }
        signing_input = f"{_b64json(header)}.{_b64json(payload)}"
        signature = hmac.new(self._key, signing_input.encode(), hashlib.sha256).digest()
        return f"{signing_input}.{_b64url(signature)}"

    def is_live(self, token: str) -> bool:
        """Tell whether ``token`` was issued here, has not expired and was not revoked."""
        with self._lock:
            expires = self._access.get(token)
            return expires is not None and self._clock() < expires

    def revoke_access(self) -> None:
        """Invalidate every access token issued so far."""
        with self._lock:
            self._access.clear()

    def issue_refresh(self, grant: RefreshGrant) -> str:
        """Return a new refresh token for ``grant``."""
        token = str(uuid.uuid4())
        with self._lock:
            self._refresh[token] = grant
        return token

    def use_refresh(self, token: str, client_id: str, *, rotate: bool) -> RefreshGrant | None:
        """Check ``token`` for ``client_id``; with ``rotate`` it is spent (removed) on success."""
        with self._lock:
            grant = self._refresh.get(token)
            if grant is None or grant.client_id != client_id:
                return None
            if rotate:
                del self._refresh[token]
            return grant

    def revoke_refresh(self) -> None:
        """Invalidate every refresh token issued so far."""
        with self._lock:
            self._refresh.clear()
