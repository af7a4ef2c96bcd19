"""Reviewer findings: header-unsafe secrets, the token request's headers, known secrets quoted
back by the server, a closed client, redirects, RFC 6750 challenges, a saved token without a
password."""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from cloudcx import (
    APIConnectionError,
    APIError,
    AsyncCloudCX,
    AuthenticationError,
    ClientClosedError,
    CloudCX,
    ConfigurationError,
    InvalidResponseError,
    Secret,
    Token,
)
from cloudcx._auth import _api_refusal
from cloudcx._response import KNOWN_SECRETS_EXTENSION
from cloudcx._tokens import PASSWORD_NEEDED, parse_token_response
from cloudcx._transport_errors import raise_send_failure
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, grant_kwargs, serving, sync_client

_SENT = datetime(2030, 1, 1, tzinfo=UTC)
_MARK = "Zq9-" + "sekret"  # built, not quoted: tracebacks show source lines


def _chain_text(error: BaseException) -> str:
    return "".join(traceback.format_exception(error)) + repr(error)


# --- header-unsafe values ---------------------------------------------------------------


@pytest.mark.parametrize("around", ["{}\n", " {}", "{} x", "{}é", "{}\r\nX-Evil: 1"])
def test_an_api_key_a_header_cannot_carry_is_refused_at_construction(
    make_sim: SimFactory, around: str
) -> None:
    sim = make_sim()
    with pytest.raises(ConfigurationError, match="`api_key`") as caught:
        CloudCX(base_url=sim.base_url, api_key=around.format(_MARK))
    assert _MARK not in _chain_text(caught.value)
    assert sim.requests == []


def test_a_server_issued_token_a_header_cannot_carry_is_an_invalid_response() -> None:
    request = httpx.Request("POST", "https://cx.example.net/oauth/token")
    leaked = "eyJhbGciOi.secret-part\nX-Injected: 1"
    response = httpx.Response(
        200, json={"access_token": leaked, "token_type": "Bearer"}, request=request
    )
    with pytest.raises(InvalidResponseError, match="HTTP header") as caught:
        parse_token_response(response, sent_at=_SENT)
    assert "secret-part" not in _chain_text(caught.value)
    assert caught.value.body_excerpt == ""


def test_a_saved_token_a_header_cannot_carry_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="HTTP header") as caught:
        Token(Secret("abc\n"))
    assert "abc" not in str(caught.value)


def test_a_local_protocol_error_is_translated_without_its_message(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        http = cx.client.get_httpx_client()
        note = "-".join(["hush", "hush"])  # built here so the traceback's source shows no value
        with pytest.raises(APIConnectionError) as caught:
            http.get("/openapi/v2/user/page", headers={"X-Note": note + "\n"})
    text = _chain_text(caught.value)
    assert "hush-hush" not in text
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


def test_raise_send_failure_keeps_a_network_cause_but_drops_a_local_one() -> None:
    request = httpx.Request("GET", "https://cx.example.net/x")
    with pytest.raises(APIConnectionError) as local:
        raise_send_failure(httpx.LocalProtocolError("Illegal header value b'Bearer k\\n'"), request)
    assert local.value.__cause__ is None
    reset = httpx.ConnectError("connection reset")
    with pytest.raises(APIConnectionError) as remote:
        raise_send_failure(reset, request)
    assert remote.value.__cause__ is reset


# --- the token request ---------------------------------------------------------------------


def test_the_token_request_carries_the_client_headers_but_no_authorization(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        cx.users.list()
    token_request = next(r for r in sim.requests if r.path == "/oauth/token")
    api_request = next(r for r in sim.requests if r.path != "/oauth/token")
    headers = {name.lower(): value for name, value in token_request.headers.items()}
    assert headers["user-agent"].startswith("cloudcx-python/")
    assert "gzip" in headers["accept-encoding"]
    assert headers["accept"] == "application/json"
    assert headers["cache-control"] == "no-store"
    assert "authorization" not in headers
    api_headers = {name.lower(): value for name, value in api_request.headers.items()}
    assert api_headers["user-agent"] == headers["user-agent"]


# --- known secrets quoted back -------------------------------------------------------------


def test_an_envelope_message_quoting_the_api_key_is_masked(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.envelope_error("4001", f"bad key {sim.api_key} for you", 200), route="users")
    with (
        CloudCX(base_url=sim.base_url, api_key=sim.api_key, max_retries=0) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list()
    assert sim.api_key not in _chain_text(caught.value)
    assert "bad key *** for you" in caught.value.message


def test_a_status_error_quoting_the_password_is_masked(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.envelope_error("4030", f"user pw was {sim.password}", 403), route="users")
    with sync_client(sim, max_retries=0) as cx, pytest.raises(APIError) as caught:
        cx.users.list()
    assert caught.value.status_code == 403
    assert sim.password not in _chain_text(caught.value)


def test_a_401_challenge_fills_error_and_the_envelope_code_stays_in_code() -> None:
    request = httpx.Request("GET", "https://cx.example.net/openapi/v2/user/page")
    request.extensions[KNOWN_SECRETS_EXTENSION] = (Secret("the-api-key-1234"),)
    response = httpx.Response(
        401,
        json={"code": "4010", "message": "invalid key the-api-key-1234"},
        headers={
            "WWW-Authenticate": 'Bearer realm="cx", error="invalid_token", '
            'error_description="The access token \\"expired\\""'
        },
        request=request,
    )
    error = _api_refusal(response, "refused")
    assert error.error == "invalid_token"
    assert error.code == "4010"
    assert error.error_description == 'The access token "expired"'
    bare = httpx.Response(
        401, json={"code": "4010", "message": "no: the-api-key-1234"}, request=request
    )
    plain = _api_refusal(bare, "refused")
    assert plain.error is None
    assert plain.code == "4010"
    assert plain.error_description == "no: ***"


def test_a_wrong_api_key_reports_the_simulators_challenge(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        CloudCX(base_url=sim.base_url, api_key="wrong-key-5678") as cx,
        pytest.raises(AuthenticationError) as caught,
    ):
        cx.users.list()
    assert caught.value.error == "invalid_token"
    assert caught.value.code == "4010"


# --- a closed client -----------------------------------------------------------------------


def test_a_closed_client_says_so(make_sim: SimFactory) -> None:
    sim = make_sim()
    cx = CloudCX(**grant_kwargs(sim))
    cx.close()
    with pytest.raises(ClientClosedError, match="closed"):
        cx.get_token()
    with pytest.raises(ClientClosedError, match="closed"):
        cx.users.list()
    assert sim.requests == []


@pytest.mark.anyio
async def test_a_closed_async_client_says_so(make_sim: SimFactory) -> None:
    sim = make_sim()
    cx = AsyncCloudCX(**grant_kwargs(sim))
    await cx.close()
    with pytest.raises(ClientClosedError, match="closed"):
        await cx.get_token()
    with pytest.raises(ClientClosedError, match="closed"):
        await cx.users.list()
    assert sim.requests == []


# --- redirects -----------------------------------------------------------------------------


class _Redirector(BaseHTTPRequestHandler):
    target = "https://moved.example.net"

    def _redirect(self) -> None:
        self.send_response(301)
        self.send_header("Location", self.target + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _redirect

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def _redirector() -> Iterator[str]:
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)) as url:
        yield url


def test_an_api_redirect_names_the_target_and_base_url(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        _redirector() as url,
        CloudCX(base_url=url, api_key=sim.api_key) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list(keywords="Smith")
    message = str(caught.value)
    assert caught.value.status_code == 301
    assert "redirected to https://moved.example.net/openapi/v2/user/page" in message
    assert "set base_url (or CLOUDCX_BASE_URL) to https://moved.example.net" in message
    assert "Smith" not in message
    assert sim.api_key not in message


def test_a_token_endpoint_redirect_names_the_target_and_token_url(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        _redirector() as url,
        sync_client(sim, token_url=url + "/oauth/token") as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list()
    message = str(caught.value)
    assert "redirected to https://moved.example.net/oauth/token" in message
    assert (
        "set token_url (or CLOUDCX_TOKEN_URL) to https://moved.example.net/oauth/token" in message
    )
    assert sim.requests == []


# --- a saved token instead of a password ---------------------------------------------------


def _saved(sim_token: str, *, lifetime: float, refresh: str | None = None) -> Token:
    return Token(
        Secret(sim_token),
        expires_at=datetime.now(UTC) + timedelta(seconds=lifetime),
        refresh_token=Secret(refresh) if refresh else None,
    )


def test_a_valid_saved_token_needs_no_password(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as first:
        token = first.get_token()
    sim.reset_counters()
    with CloudCX(**grant_kwargs(sim, password=None), token=token) as cx:
        assert cx.config.password is None
        cx.users.list()
    assert sim.token_requests == 0


def test_an_expired_saved_token_without_a_password_is_a_clear_error(make_sim: SimFactory) -> None:
    sim = make_sim()
    stale = _saved("stale-token", lifetime=-10)
    with (
        CloudCX(**grant_kwargs(sim, password=None), token=stale) as cx,
        pytest.raises(ConfigurationError, match=PASSWORD_NEEDED) as caught,
    ):
        cx.users.list()
    assert "CLOUDCX_PASSWORD" in str(caught.value)
    assert sim.requests == []


def test_an_expired_saved_token_is_renewed_by_its_refresh_token_without_a_password(
    make_sim: SimFactory,
) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim) as first:
        refresh = first.get_token().refresh_token
    assert refresh is not None
    stale = _saved("stale-token", lifetime=-10, refresh=refresh.get_secret_value())
    with CloudCX(**grant_kwargs(sim, password=None), token=stale) as cx:
        cx.users.list()
    grants = [(r.form or {}).get("grant_type") for r in sim.requests if r.path == "/oauth/token"]
    assert grants[-1] == "refresh_token"


def test_without_a_saved_token_the_password_is_still_required(make_sim: SimFactory) -> None:
    sim = make_sim()
    with pytest.raises(ConfigurationError, match="password"):
        CloudCX(**grant_kwargs(sim, password=None))


class _MemoryStore:
    """A token store in a dict, counting deletions."""

    def __init__(self) -> None:
        self.tokens: dict[str, Token] = {}
        self.deleted = 0

    def load(self, key: str) -> Token | None:
        return self.tokens.get(key)

    def save(self, key: str, token: Token) -> None:
        self.tokens[key] = token

    def delete(self, key: str) -> None:
        self.deleted += 1
        self.tokens.pop(key, None)


def test_a_spent_stored_token_is_forgotten_when_the_password_is_needed(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    store = _MemoryStore()
    with sync_client(sim, token_store=store) as first:
        first.users.list()
    assert len(store.tokens) == 1
    sim.revoke_access_tokens()
    sim.reset_counters()
    cx = CloudCX(**grant_kwargs(sim, password=None), token_store=store)
    with cx, pytest.raises(ConfigurationError, match=PASSWORD_NEEDED):
        cx.users.list()
    assert store.tokens == {}
    assert store.deleted == 1
    assert sim.token_requests == 0


@pytest.mark.anyio
async def test_an_async_client_without_a_password_says_it_is_needed(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    store = _MemoryStore()
    async with AsyncCloudCX(**grant_kwargs(sim, password=None), token_store=store) as cx:
        with pytest.raises(ConfigurationError, match=PASSWORD_NEEDED):
            await cx.users.list()
    assert store.deleted == 1
    assert sim.requests == []
