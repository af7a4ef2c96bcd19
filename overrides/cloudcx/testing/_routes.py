"""The simulator's behaviour: the token endpoint, and the operations it does more for.

Every other operation of the spec is answered from its example (see `_spec_routes`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ._http import Request, Response, envelope, oauth_error, token_response
from ._spec_routes import unauthorized
from ._state import SimulatorState
from ._tokens import RefreshGrant

__all__ = ["BEHAVIOUR", "TOKEN_PATH", "auth_error", "token_endpoint", "users_endpoint"]

TOKEN_PATH = "/oauth/token"

_FORM_TYPE = "application/x-www-form-urlencoded"
_INTEGER = re.compile(r"[+-]?[0-9]+")
_INT32_MAX = 2**31 - 1
_MAX_KEYWORDS = 256


# --- POST /oauth/token -------------------------------------------------------------------


def _invalid_client() -> Response:
    return oauth_error(401, "invalid_client", "Client authentication failed")


def _client_error(state: SimulatorState, form: dict[str, str]) -> Response | None:
    """Check the client credentials sent in the form body (RFC 6749 §2.3.1)."""
    if form.get("client_id") != state.client_id:
        return _invalid_client()
    secret = form.get("client_secret")
    if secret is None and state.config.public_client:
        return None
    if secret != state.client_secret:
        return _invalid_client()
    return None


def _grant(state: SimulatorState, grant: RefreshGrant, refresh: str | None) -> Response:
    body: dict[str, Any] = {
        "access_token": state.tokens.issue_access(grant.client_id, grant.user_id),
        "token_type": "Bearer",
    }
    if state.config.include_expires_in:
        body["expires_in"] = round(state.config.token_ttl)
    if state.config.refresh_tokens:
        body["refresh_token"] = refresh or state.tokens.issue_refresh(grant)
    return token_response(body)


def token_endpoint(state: SimulatorState, request: Request) -> Response:
    """Answer ``/oauth/token``: the password and refresh-token grants of RFC 6749."""
    if request.method != "POST":
        return oauth_error(
            405, "invalid_request", f"{request.method} is not allowed", (("Allow", "POST"),)
        )
    if request.form_pairs is None:
        return oauth_error(400, "invalid_request", f"the body must be {_FORM_TYPE}")
    names = [name for name, _ in request.form_pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        return oauth_error(400, "invalid_request", f"repeated parameter: {', '.join(repeated)}")
    form = request.form or {}
    grant_type = form.get("grant_type")
    if not grant_type:
        return oauth_error(400, "invalid_request", "missing grant_type")
    if grant_type == "password":
        return _password_grant(state, form)
    if grant_type == "refresh_token" and state.config.refresh_tokens:
        return _refresh_grant(state, form)
    return oauth_error(400, "unsupported_grant_type", f"unsupported grant_type {grant_type!r}")


def _password_grant(state: SimulatorState, form: dict[str, str]) -> Response:
    refused = _client_error(state, form)
    if refused is not None:
        return refused
    username, password = form.get("username"), form.get("password")
    if not username or password is None:
        missing = "username" if not username else "password"
        return oauth_error(400, "invalid_request", f"missing {missing}")
    if username not in state.logins or password != state.password:
        return oauth_error(400, "invalid_grant", "Bad credentials")
    return _grant(state, RefreshGrant(state.client_id, state.login_user_id), None)


def _refresh_grant(state: SimulatorState, form: dict[str, str]) -> Response:
    refused = _client_error(state, form)
    if refused is not None:
        return refused
    token = form.get("refresh_token")
    if not token:
        return oauth_error(400, "invalid_request", "missing refresh_token")
    rotate = state.config.rotate_refresh_tokens
    grant = state.tokens.use_refresh(token, state.client_id, rotate=rotate)
    if grant is None:
        return oauth_error(400, "invalid_grant", "Invalid refresh token")
    return _grant(state, grant, None if rotate else token)


# --- listUsers ---------------------------------------------------------------------------


def auth_error(state: SimulatorState, request: Request) -> Response | None:
    """Check ``Authorization: Bearer <access token or API key>`` (RFC 6750)."""
    scheme, _, credentials = request.headers.get("authorization", "").strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() != "bearer" or not credentials:
        return unauthorized("Bearer")
    if credentials == state.api_key or state.tokens.is_live(credentials):
        return None
    return unauthorized('Bearer error="invalid_token"')


def _int_param(
    query: dict[str, list[str]], name: str, default: int, low: int, high: int
) -> int | Response:
    values = query.get(name)
    if not values:
        return default
    text = values[0]
    if not _INTEGER.fullmatch(text) or abs(int(text)) > _INT32_MAX:
        return envelope(400, "4000", f"{name} must be an integer")
    value = int(text)
    if not low <= value <= high:
        limit = f"between {low} and {high}" if high < _INT32_MAX else f"at least {low}"
        return envelope(422, "4220", f"{name} must be {limit}")
    return value


def users_endpoint(state: SimulatorState, request: Request) -> Response:
    """Answer ``listUsers``: one page of the (filtered) directory."""
    refused = auth_error(state, request)
    if refused is not None:
        return refused
    page_index = _int_param(request.query, "pageIndex", 1, 1, _INT32_MAX)
    if isinstance(page_index, Response):
        return page_index
    page_size = _int_param(request.query, "pageSize", 25, 1, 100)
    if isinstance(page_size, Response):
        return page_size
    keywords = request.query.get("keywords", [""])[0]
    if len(keywords) > _MAX_KEYWORDS:
        return envelope(422, "4220", f"keywords must be at most {_MAX_KEYWORDS} characters")
    found = state.directory.search(keywords)
    total = len(found)
    start = (page_index - 1) * page_size
    page = found[start : start + page_size]
    total_pages = -(-total // page_size)
    content = b",".join(record.json for record in page)
    body = (
        b'{"code":"0000","message":null,"data":{"totalPages":%d,"totalElements":%d,'
        b'"size":%d,"number":%d,"numberOfElements":%d,"content":[%s]}}'
        % (total_pages, total, page_size, page_index - 1, len(page), content)
    )
    return Response(200, body)


Endpoint = Callable[[SimulatorState, Request], Response]

BEHAVIOUR: Mapping[str, tuple[str, Endpoint]] = {"listUsers": ("users", users_endpoint)}
"""The operations the simulator has behaviour for, by `operationId`: the fault route's name and
the handler. The spec's other operations are answered from its examples."""
