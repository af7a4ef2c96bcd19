"""Access tokens: the token request, its response, and the token's lifetime.

The token endpoint speaks RFC 6749: a form-encoded POST with the client credentials in the body
(no `Authorization` header), answered by `{access_token, token_type, expires_in, ...}` or by an
error object `{error, error_description}`. Parsing goes through the generated models, so the spec
stays the source of truth; the result is turned at once into a `Token` whose secrets are masked.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cloudcx_openapi.models.o_auth_error import OAuthError
from cloudcx_openapi.models.token_response import TokenResponse
from cloudcx_openapi.types import Unset

from ._config import ClientConfig
from ._exceptions import AuthenticationError
from ._response import describe_url, invalid_response
from ._secrets import Secret

__all__ = ["Token", "build_token_request", "jwt_expiry", "parse_token_response"]


@dataclass(frozen=True, slots=True)
class Token:
    """An access token and what is known of its lifetime.

    Attributes:
        access_token: The bearer token (masked when printed).
        token_type: The token type the server reported, normally `Bearer`.
        expires_at: When the token expires, as an aware UTC datetime; `None` when unknown
            (the server gave no `expires_in` and the token is not a JWT): such a token is used
            until the API answers 401.
        refresh_token: A refresh token, when the server issued one (masked when printed).
        scope: The granted scope, when reported.
    """

    access_token: Secret
    token_type: str = "Bearer"
    expires_at: datetime | None = None
    refresh_token: Secret | None = None
    scope: str | None = None
    # Monotonic deadline, so that wall-clock jumps never make a token look fresh or stale.
    _deadline: float | None = field(default=None, repr=False, compare=False)

    def remaining(self, now: float | None = None) -> float | None:
        """Seconds of life left (negative once expired), or `None` when the expiry is unknown."""
        if self._deadline is not None:
            return self._deadline - (time.monotonic() if now is None else now)
        if self.expires_at is not None:
            return (self.expires_at - datetime.now(UTC)).total_seconds()
        return None

    def with_clock(self, monotonic_now: float, wall_now: datetime | None = None) -> Token:
        """Return this token with its monotonic deadline anchored at `monotonic_now`."""
        if self.expires_at is None:
            return self
        wall = wall_now or datetime.now(UTC)
        left = (self.expires_at - wall).total_seconds()
        return Token(
            access_token=self.access_token,
            token_type=self.token_type,
            expires_at=self.expires_at,
            refresh_token=self.refresh_token,
            scope=self.scope,
            _deadline=monotonic_now + left,
        )


def jwt_expiry(access_token: str) -> datetime | None:
    """Read the `exp` claim of a JWT without verifying it; `None` if it is not a JWT.

    The client is not the token's audience and holds no key: the claim is only a hint of when to
    renew, and the server stays the judge (a 401 still triggers a refresh).
    """
    parts = access_token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def build_token_request(
    config: ClientConfig, *, refresh_token: Secret | None = None
) -> httpx.Request:
    """Build the token request: the password grant, or the refresh grant when given a token."""
    form: dict[str, str] = {"client_id": config.client_id or ""}
    if config.client_secret is not None:
        form["client_secret"] = config.client_secret.get_secret_value()
    if refresh_token is not None:
        form["grant_type"] = "refresh_token"
        form["refresh_token"] = refresh_token.get_secret_value()
    else:
        form["grant_type"] = "password"
        form["username"] = config.username or ""
        form["password"] = config.password.get_secret_value() if config.password else ""
    return httpx.Request(
        "POST",
        config.token_url,
        data=form,
        headers={"Accept": "application/json"},
    )


def _json_object(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid_response(response, "the token endpoint's answer is not JSON") from exc
    if not isinstance(body, dict):
        raise invalid_response(response, "the token endpoint's answer is not a JSON object")
    return body


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _authentication_error(response: httpx.Response) -> AuthenticationError:
    error: str | None = None
    description: str | None = None
    try:
        body = response.json()
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        parsed = OAuthError.from_dict(body)
        error = parsed.error
        description = _optional_str(parsed.error_description)
    message = f"the token request was refused ({error or 'HTTP ' + str(response.status_code)})"
    if description:
        message += f": {description}"
    return AuthenticationError(
        message,
        error=error,
        error_description=description,
        status_code=response.status_code,
        method=response.request.method,
        url=describe_url(response.request.url),
    )


def parse_token_response(
    response: httpx.Response, *, monotonic_now: float, wall_now: datetime | None = None
) -> Token:
    """Turn the token endpoint's answer into a `Token`, or raise a typed error."""
    if response.status_code != 200:
        if response.status_code in (400, 401, 403):
            raise _authentication_error(response)
        raise invalid_response(response, "unexpected status from the token endpoint")
    body = _json_object(response)
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        raise invalid_response(response, "the token response has no access_token", mask_body=True)
    if not isinstance(body.get("token_type"), str):
        raise invalid_response(response, "the token response has no token_type", mask_body=True)
    expires_in = body.get("expires_in")
    if expires_in is not None and (
        isinstance(expires_in, bool) or not isinstance(expires_in, (int, float)) or expires_in < 0
    ):
        raise invalid_response(
            response, "the token response's expires_in is not a number", mask_body=True
        )
    parsed = TokenResponse.from_dict(body)
    if parsed.token_type.lower() != "bearer":
        raise invalid_response(
            response, f"unsupported token_type {parsed.token_type!r}", mask_body=True
        )
    wall = wall_now or datetime.now(UTC)
    access = parsed.access_token
    expires_at: datetime | None
    if isinstance(parsed.expires_in, Unset) or parsed.expires_in is None:
        expires_at = jwt_expiry(access)
    else:
        expires_at = wall + timedelta(seconds=float(parsed.expires_in))
    refresh = _optional_str(parsed.refresh_token)
    token = Token(
        access_token=Secret(access),
        token_type="Bearer",
        expires_at=expires_at,
        refresh_token=Secret(refresh) if refresh else None,
        scope=_optional_str(parsed.scope),
    )
    return token.with_clock(monotonic_now, wall)
