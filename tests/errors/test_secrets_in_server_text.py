"""Secrets never shown in server-quoted text or chained exceptions.

Servers that echo the client's secrets back, in a redirect target (path, query, fragment,
percent-encoded), a `token_type`, a JSON-escaped body, a body cut at the excerpt's boundary: no
error the client raises or chains shows one, in its str, repr, args, attributes, chain, or a
traceback rendered with `capture_locals=True`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import pytest

from cloudcx import (
    APIError,
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    CloudCXError,
    InvalidResponseError,
)
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, chain_text, sync_client
from tests.support.foreign_clients import client
from tests.support.foreign_server import Quirks, foreign_server
from tests.support.hostile_server import (
    API_KEY,
    CLIENT_SECRET,
    ISSUED_TOKEN,
    PASSWORD,
    SECRETS,
    Connection,
    api_key_settings,
    assert_no_secret,
    hostile,
    password_settings,
    token_answer,
)

# A password JSON escapes (quote, backslash, non-ASCII) and percent-encoding changes.
ODD_PASSWORD = 'pä"ss\\wörd #1'
_ALL = (*SECRETS, ODD_PASSWORD)
_GRANT = (CLIENT_SECRET, PASSWORD, ISSUED_TOKEN)
_ODD_GRANT = (CLIENT_SECRET, ODD_PASSWORD, ISSUED_TOKEN)


def _redirect_to(location: str) -> Callable[[str, Connection], None]:
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            token_answer(connection)
            return
        connection.respond("302 Found", headers={"Location": location})

    return handler


_LOCATIONS = {
    "key in path": f"/openapi/{API_KEY}/user/page",
    "token in path": f"https://elsewhere.example/{ISSUED_TOKEN}/openapi/v2",
    "secret in query": f"/openapi/v2/x?next={CLIENT_SECRET}&q={quote(PASSWORD)}",
    "password in fragment": f"/openapi/v2/x#{quote(PASSWORD, safe='')}",
    "key percent-encoded": "/" + "".join(f"%{byte:02X}" for byte in API_KEY.encode()),
}


@pytest.mark.parametrize("location", _LOCATIONS.values(), ids=_LOCATIONS.keys())
@pytest.mark.parametrize("mode", ["api_key", "password"])
def test_a_redirect_target_never_shows_a_secret(location: str, mode: str) -> None:
    # Each client masks the secrets it holds (an API-key client knows no password).
    settings = api_key_settings
    known: tuple[str, ...] = (API_KEY,)
    if mode == "password":
        settings, known = password_settings, _GRANT
    with (
        hostile(_redirect_to(location)) as server,
        CloudCX(**settings(server)) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list()
    assert "redirect" in str(caught.value)
    assert_no_secret(caught.value, known)


@pytest.mark.parametrize("location", _LOCATIONS.values(), ids=_LOCATIONS.keys())
def test_a_token_endpoint_redirect_never_shows_a_secret(location: str) -> None:
    def handler(path: str, connection: Connection) -> None:
        connection.respond("307 Temporary Redirect", headers={"Location": location})

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server)) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.get_token()
    assert_no_secret(caught.value, (CLIENT_SECRET, PASSWORD))  # no token was issued


@pytest.mark.parametrize(
    "token_type",
    [ODD_PASSWORD, CLIENT_SECRET, "x" * 30 + CLIENT_SECRET, f"Bearer-{ODD_PASSWORD}"],
    ids=["password", "client secret", "cut at 40", "odd"],
)
def test_a_token_type_echoing_a_secret_is_masked(token_type: str) -> None:
    def handler(path: str, connection: Connection) -> None:
        answer = {"access_token": ISSUED_TOKEN, "token_type": token_type, "expires_in": 60}
        connection.respond_json(answer)

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server, password=ODD_PASSWORD)) as cx,
        pytest.raises(InvalidResponseError) as caught,
    ):
        cx.get_token()
    assert "token_type" in str(caught.value)
    assert_no_secret(caught.value, _ODD_GRANT)
    assert CLIENT_SECRET[:8] not in str(caught.value)  # no head of a secret left by the cut


_BODIES = {
    "json-escaped": "not json: " + json.dumps(ODD_PASSWORD),
    "ascii-escaped": "not json: " + json.dumps(ODD_PASSWORD, ensure_ascii=True),
    "percent-encoded": "not json: " + quote(ODD_PASSWORD),
    "at the cut": "x" * 190 + ODD_PASSWORD,
    "issued token": "not json " + ISSUED_TOKEN,
}


@pytest.mark.parametrize("body", _BODIES.values(), ids=_BODIES.keys())
def test_a_body_excerpt_masks_every_shape_of_a_secret(body: str) -> None:
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            token_answer(connection)
            return
        connection.respond(body=body.encode(), headers={"Content-Type": "application/json"})

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server, password=ODD_PASSWORD)) as cx,
        pytest.raises(InvalidResponseError) as caught,
    ):
        cx.users.list()
    error = caught.value
    assert error.body_excerpt  # the excerpt is quoted, masked
    assert_no_secret(error, _ODD_GRANT)
    assert error.__context__ is None  # no JSONDecodeError keeping the body in `doc`
    assert "pä" not in error.body_excerpt


def test_an_error_envelope_echoing_secrets_is_masked() -> None:
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            token_answer(connection)
            return
        message = f"bad {ODD_PASSWORD} {CLIENT_SECRET} {ISSUED_TOKEN}"
        connection.respond_json({"code": "4001", "message": message}, status="400 Bad Request")

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server, password=ODD_PASSWORD)) as cx,
        pytest.raises(CloudCXError) as caught,
    ):
        cx.users.list()
    assert_no_secret(caught.value, _ODD_GRANT)


@pytest.mark.anyio
async def test_async_errors_mask_secrets_too() -> None:
    with hostile(_redirect_to(_LOCATIONS["key in path"])) as server:
        async with AsyncCloudCX(**api_key_settings(server)) as cx:
            with pytest.raises(APIError) as caught:
                await cx.users.list()
    assert_no_secret(caught.value)


@pytest.mark.slow
def test_a_failed_call_leaves_no_issued_token_in_its_traceback_locals() -> None:
    # The token is issued, then the API breaks the connection: the chained httpx error keeps
    # the request, whose Authorization header carried the token.
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            token_answer(connection)
            return
        connection.send(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{")

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server)) as cx,
        pytest.raises(CloudCXError) as caught,
    ):
        cx.users.list()
    assert_no_secret(caught.value)
    cause = caught.value.__cause__
    request = getattr(cause, "request", None)
    if request is not None:
        assert "authorization" not in request.headers


@pytest.mark.parametrize("where", ["api challenge", "api envelope code", "token error"])
def test_error_codes_echoing_a_secret_are_masked(where: str) -> None:
    # The `error` and `code` attributes are server text too.
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            if where == "token error":
                connection.respond_json({"error": CLIENT_SECRET}, "400 Bad Request")
            else:
                token_answer(connection)
            return
        if where == "api challenge":
            challenge = f'Bearer error="{ISSUED_TOKEN}"'
            connection.respond("401 Unauthorized", b"{}", {"WWW-Authenticate": challenge})
        else:
            connection.respond_json({"code": PASSWORD, "message": "x"}, "400 Bad Request")

    with (
        hostile(handler) as server,
        CloudCX(**password_settings(server)) as cx,
        pytest.raises(CloudCXError) as caught,
    ):
        cx.users.list()
    assert_no_secret(caught.value, _GRANT)


def test_an_envelope_message_quoting_the_api_key_is_masked(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.envelope_error("4001", f"bad key {sim.api_key} for you", 200), route="users")
    with (
        CloudCX(base_url=sim.base_url, api_key=sim.api_key, max_retries=0) as cx,
        pytest.raises(APIError) as caught,
    ):
        cx.users.list()
    assert sim.api_key not in chain_text(caught.value)
    assert "bad key *** for you" in caught.value.message


def test_a_status_error_quoting_the_password_is_masked(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.envelope_error("4030", f"user pw was {sim.password}", 403), route="users")
    with sync_client(sim, max_retries=0) as cx, pytest.raises(APIError) as caught:
        cx.users.list()
    assert caught.value.status_code == 403
    assert sim.password not in chain_text(caught.value)


def test_password_quoted_by_the_server_is_masked() -> None:
    wrong = "Tr0ub4dor&3-wrong"
    with foreign_server(Quirks(echo_password=True)) as server, client(server, password=wrong) as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.error == "invalid_grant"
        assert wrong not in str(caught.value)
        assert wrong not in (caught.value.error_description or "")
