"""Access tokens: the `Token` value, the token request, and the token endpoint's answer.

The token endpoint speaks RFC 6749: a form-encoded POST with the client credentials in the body
(no `Authorization` header), answered by `{access_token, token_type, expires_in, ...}` or by an
error object `{error, error_description}`. The form and the answer go through the generated
models, so the spec stays the source of truth; those attrs objects print their fields in clear,
so they live only inside the functions here and are turned at once into masked `Token` values.
Bodies of the token endpoint are never quoted in errors: any of them may hold a credential.
Its error answers are mapped to typed errors in `_response`, with every other mapping.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from cloudcx_openapi.models.password_grant_request import PasswordGrantRequest
from cloudcx_openapi.models.refresh_token_grant_request import RefreshTokenGrantRequest
from cloudcx_openapi.models.token_response import TokenResponse
from cloudcx_openapi.types import UNSET, Unset

from ._config import ClientConfig, check_stored_token, check_token_fields
from ._exceptions import ConfigurationError
from ._response import (
    KNOWN_SECRETS_EXTENSION,
    invalid_response,
    json_or_none,
    server_text,
    token_endpoint_error,
)
from ._secrets import Secret, header_safe

__all__ = [
    "PASSWORD_NEEDED",
    "RequestBuilder",
    "Token",
    "build_token_request",
    "jwt_expiry",
    "parse_token_response",
    "password_needed",
]

_DECIMAL = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")
_MAX_LIFETIME = 10 * 365 * 24 * 3600.0

PASSWORD_NEEDED = "a password is needed to obtain a new token"
"""How the `ConfigurationError` for a password grant without a password begins."""


def password_needed() -> ConfigurationError:
    """The error for a password grant that has become necessary without a password."""
    return ConfigurationError(
        f"{PASSWORD_NEEDED}: the saved token has expired or was refused, and cannot be renewed; "
        "pass `password` (or CLOUDCX_PASSWORD)"
    )


RequestBuilder = Callable[..., httpx.Request]
"""`httpx.Request`, or a client's `build_request` (which adds its default headers and timeout)."""


@dataclass(frozen=True, slots=True)
class Token:
    """An access token and what is known of its lifetime; its secrets are masked when printed.

    Attributes:
        access_token: The bearer token.
        token_type: The token type, always `Bearer` for CloudCX.
        expires_at: When the token expires, as an aware UTC datetime; `None` when unknown
            (the server gave no `expires_in` and the token is not a JWT): such a token is used
            until the API answers 401.
        refresh_token: A refresh token, when the server issued one.
        scope: The granted scope, when reported.

    Example:
        >>> from datetime import UTC, datetime
        >>> Token(Secret("abc"), expires_at=datetime(2030, 1, 1, tzinfo=UTC)).access_token
        Secret('**********')
    """

    access_token: Secret
    token_type: str = "Bearer"
    expires_at: datetime | None = None
    refresh_token: Secret | None = None
    scope: str | None = None

    def __post_init__(self) -> None:
        # Frozen dataclass: `expires_at` is normalised to UTC once, at construction.
        expires_at = check_token_fields(
            self.access_token, self.token_type, self.expires_at, self.refresh_token, self.scope
        )
        object.__setattr__(self, "expires_at", expires_at)

    def remaining(self, now: datetime | None = None) -> float | None:
        """Seconds of life left by the wall clock (negative once expired); `None` if unknown.

        The client itself times a token it obtained on a monotonic clock; this is for tokens
        read back from storage, and for display.
        """
        if self.expires_at is None:
            return None
        return (self.expires_at - (now or datetime.now(UTC))).total_seconds()

    def to_dict(self) -> dict[str, str | None]:
        """Return the token as JSON-ready data, secrets in clear: for a token store only."""
        return {
            "access_token": self.access_token.get_secret_value(),
            "token_type": self.token_type,
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "refresh_token": (
                self.refresh_token.get_secret_value() if self.refresh_token is not None else None
            ),
            "scope": self.scope,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Token:
        """Rebuild a token from `to_dict()` output.

        Raises:
            ConfigurationError: a field is missing or of the wrong type (the message names
                the field, never its value).
        """
        access, token_type, expires_at, refresh, scope = check_stored_token(data)
        return cls(
            access_token=Secret(access),
            token_type=token_type,
            expires_at=expires_at,
            refresh_token=Secret(refresh) if refresh is not None else None,
            scope=scope,
        )


def jwt_expiry(access_token: str) -> datetime | None:
    """Read the `exp` claim of a JWT without verifying it; `None` if it is not a JWT.

    The client is not the token's audience and holds no key: the claim is only a hint of when to
    renew, and the server stays the judge (a 401 still triggers a renewal).
    """
    parts = access_token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, TypeError, RecursionError):  # RecursionError: nested too deep
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return None
    try:
        return datetime.fromtimestamp(exp, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def build_token_request(
    config: ClientConfig,
    *,
    refresh_token: Secret | None = None,
    build: RequestBuilder = httpx.Request,
) -> httpx.Request:
    """Build the token request: the password grant, or the refresh grant when given a token.

    The client credentials go in the form body, as the vendor documents; the request carries no
    `Authorization` header. `build` is the client's `build_request`, so that its default
    headers (User-Agent, Accept-Encoding) and timeout apply as to any API request. The secrets
    sent are recorded in the request's `KNOWN_SECRETS_EXTENSION`, for masking server text.

    Raises:
        ConfigurationError: the password grant is needed but no password is configured (a
            client started from `token=` or a token store); the message begins with
            `PASSWORD_NEEDED`.
    """
    secret: str | Unset = UNSET
    if config.client_secret is not None:
        secret = config.client_secret.get_secret_value()
    if refresh_token is not None:
        form = RefreshTokenGrantRequest(
            grant_type="refresh_token",
            client_id=config.client_id or "",
            client_secret=secret,
            refresh_token=refresh_token.get_secret_value(),
        ).to_dict()
    else:
        if config.password is None:
            raise password_needed()
        form = PasswordGrantRequest(
            grant_type="password",
            client_id=config.client_id or "",
            client_secret=secret,
            username=config.username or "",
            password=config.password.get_secret_value(),
        ).to_dict()
    request = build(
        "POST",
        config.token_url,
        data={name: str(value) for name, value in form.items()},
        headers={"Accept": "application/json", "Cache-Control": "no-store"},
    )
    request.extensions[KNOWN_SECRETS_EXTENSION] = (
        config.password,
        config.client_secret,
        refresh_token,
    )
    return request


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _token_fields(response: httpx.Response) -> tuple[dict[str, Any] | None, str]:
    """The token response's body, checked against the spec's `TokenResponse` shape.

    Without a body, the string says what is wrong with the answer.
    It returns the problem rather than raising it: the frame of a raise keeps the body, with
    the issued token in clear, in the locals a traceback can render (`capture_locals`).
    """
    if "html" in response.headers.get("content-type", "").lower():
        return None, "the token endpoint answered with an HTML page"
    body = json_or_none(response)
    if not isinstance(body, dict):
        shape = "JSON" if body is None else "a JSON object"
        return None, f"the token endpoint's answer is not {shape}"
    if not isinstance(body.get("access_token"), str) or not body["access_token"]:
        return None, "the token response has no access_token"
    if not header_safe(body["access_token"]):
        return None, (
            "the token response's access_token holds a space, a line break or a character "
            "outside printable ASCII, which an HTTP header cannot carry"
        )
    if not isinstance(body.get("token_type"), str):
        return None, "the token response has no token_type"
    if body["token_type"].lower() != "bearer":
        # Masked before the cut: a token_type may echo the password or the client secret.
        return None, f"unsupported token_type {server_text(response, body['token_type'])[:40]!r}"
    expires_in = body.get("expires_in")
    if isinstance(expires_in, str) and _DECIMAL.fullmatch(expires_in.strip()):
        # RFC 6749 says a number, but some servers send "3599": the meaning is not in doubt.
        expires_in = body["expires_in"] = float(expires_in)
    if expires_in is not None and (
        isinstance(expires_in, bool)
        or not isinstance(expires_in, (int, float))
        # json accepts NaN and Infinity; only a float can be either (isfinite overflows on 10**400)
        or (isinstance(expires_in, float) and not math.isfinite(expires_in))
        or expires_in < 0
    ):
        return None, "the token response's expires_in is not a number >= 0"
    for name in ("refresh_token", "scope"):
        if body.get(name) is not None and not isinstance(body[name], str):
            return None, f"the token response's {name} is not a string"
    return body, ""


def parse_token_response(
    response: httpx.Response, *, sent_at: datetime, previous_refresh: Secret | None = None
) -> Token:
    """Turn the token endpoint's answer into a `Token`, or raise a typed error.

    Args:
        response: The token endpoint's answer, body read.
        sent_at: When the request was sent (wall clock): `expires_in` counts from then, which
            errs on the safe side by the request's round trip.
        previous_refresh: The refresh token in use; kept when the answer brings no new one
            (RFC 6749 §6: the server may or may not rotate it).

    Raises:
        AuthenticationError: the server refused the grant (its `error` code attached).
        RateLimitError, ServerError: the token endpoint is overloaded or failing.
        APIError: the token endpoint redirected (not followed; the message names the target).
        InvalidResponseError: the answer is not a token response (its body is never quoted).
    """
    if response.status_code != 200:
        raise token_endpoint_error(response)
    fields, problem = _token_fields(response)
    if fields is None:
        raise invalid_response(response, problem, mask_body=True)
    parsed = TokenResponse.from_dict(fields)
    del fields  # from here on nothing raises; see `_token_fields`
    access = parsed.access_token
    expires_at: datetime | None
    if isinstance(parsed.expires_in, Unset) or parsed.expires_in is None:
        expires_at = jwt_expiry(access)
    else:
        # A lifetime beyond any sensible one would overflow datetime arithmetic: cap it.
        # Cap before converting: float() of a huge int raises OverflowError.
        lifetime = float(min(parsed.expires_in, _MAX_LIFETIME))
        expires_at = sent_at + timedelta(seconds=lifetime)
    refresh = _optional_str(parsed.refresh_token)
    return Token(
        access_token=Secret(access),
        token_type="Bearer",
        expires_at=expires_at,
        refresh_token=Secret(refresh) if refresh else previous_refresh,
        scope=_optional_str(parsed.scope),
    )
