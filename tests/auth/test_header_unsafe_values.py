"""A value an HTTP header cannot carry (an API key, an issued or saved token, a header the
caller adds) is refused with a typed error that never shows it."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime

import httpx
import pytest

from cloudcx import (
    APIConnectionError,
    CloudCX,
    CloudCXError,
    ConfigurationError,
    InvalidResponseError,
    Secret,
    Token,
)
from cloudcx._oauth import parse_token_response
from cloudcx._response import raise_send_failure
from tests.support.clients import SimFactory, chain_text, sync_client
from tests.support.foreign_server import foreign_server

_SENT = datetime(2030, 1, 1, tzinfo=UTC)
_MARK = "Zq9-" + "sekret"  # built, not quoted: tracebacks show source lines


@pytest.mark.parametrize("around", ["{}\n", " {}", "{} x", "{}é", "{}\r\nX-Evil: 1"])
def test_an_api_key_a_header_cannot_carry_is_refused_at_construction(
    make_sim: SimFactory, around: str
) -> None:
    sim = make_sim()
    with pytest.raises(ConfigurationError, match="`api_key`") as caught:
        CloudCX(base_url=sim.base_url, api_key=around.format(_MARK))
    assert _MARK not in chain_text(caught.value)
    assert sim.requests == []


def test_api_key_with_a_newline_is_refused_without_leaking_it() -> None:
    with foreign_server() as server:
        try:
            cx = CloudCX(base_url=server.base_url, api_key=server.api_key + "\n", max_retries=0)
        except ConfigurationError as refused:
            error: BaseException = refused
        else:
            with cx, pytest.raises(CloudCXError) as caught:
                cx.users.list()
            error = caught.value
        chain = "".join(traceback.format_exception(error))
        assert server.api_key not in chain
        assert isinstance(error, ConfigurationError)


def test_a_server_issued_token_a_header_cannot_carry_is_an_invalid_response() -> None:
    request = httpx.Request("POST", "https://cx.example.net/oauth/token")
    leaked = "eyJhbGciOi.secret-part\nX-Injected: 1"
    response = httpx.Response(
        200, json={"access_token": leaked, "token_type": "Bearer"}, request=request
    )
    with pytest.raises(InvalidResponseError, match="HTTP header") as caught:
        parse_token_response(response, sent_at=_SENT)
    assert "secret-part" not in chain_text(caught.value)
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
    text = chain_text(caught.value)
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
