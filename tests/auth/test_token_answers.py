"""The token endpoint's answers: lifetimes read and capped, JWT expiry, and every malformed
answer or failing status a typed error.

Most are unit tests of `parse_token_response` on hand-made responses; the rest go through the
simulator's token endpoint."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from cloudcx import (
    InvalidResponseError,
    RateLimitError,
    Secret,
    ServerError,
)
from cloudcx._oauth import jwt_expiry, parse_token_response
from cloudcx.testing import Fault
from tests.support.clients import (
    SimFactory,
    sync_client,
)


@pytest.mark.parametrize(
    "fault",
    [Fault.not_json(), Fault.missing_field("access_token"), Fault.wrong_type("expires_in", "x")],
)
def test_a_broken_token_answer_is_a_typed_error(make_sim: SimFactory, fault: Fault) -> None:
    sim = make_sim()
    sim.inject(fault, route="token")
    with sync_client(sim) as cx:
        with pytest.raises(InvalidResponseError) as caught:
            cx.users.list()
        assert caught.value.body_excerpt == ""
        assert cx.users.list().total_elements == 30  # the next call starts afresh


def test_a_failing_token_endpoint_is_a_server_error(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.status(503), route="token")
    with sync_client(sim, max_retries=0) as cx, pytest.raises(ServerError) as caught:
        cx.users.list()
    assert caught.value.status_code == 503
    assert caught.value.url == sim.token_url


_SENT = datetime(2030, 1, 1, tzinfo=UTC)


def _answer(status: int, body: object = None, **kwargs: object) -> httpx.Response:
    request = httpx.Request("POST", "https://cx.example.net/oauth/token")
    if body is None:
        return httpx.Response(status, request=request, **kwargs)  # type: ignore[arg-type]
    # json.dumps writes NaN and Infinity, as a careless server might.
    content = json.dumps(body).encode()
    return httpx.Response(
        status, content=content, headers={"Content-Type": "application/json"}, request=request
    )


def test_the_old_refresh_token_is_kept_when_the_answer_has_none() -> None:
    old = Secret("refresh-1")
    token = parse_token_response(
        _answer(200, {"access_token": "a", "token_type": "bearer", "expires_in": 60}),
        sent_at=_SENT,
        previous_refresh=old,
    )
    assert token.refresh_token is old
    assert token.expires_at == _SENT + timedelta(seconds=60)
    rotated = parse_token_response(
        _answer(200, {"access_token": "a", "token_type": "Bearer", "refresh_token": "r2"}),
        sent_at=_SENT,
        previous_refresh=old,
    )
    assert rotated.refresh_token == Secret("r2")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"token_type": "Bearer"}, "no access_token"),
        ({"access_token": "", "token_type": "Bearer"}, "no access_token"),
        ({"access_token": "tok"}, "no token_type"),
        ({"access_token": "tok", "token_type": "mac"}, "unsupported token_type"),
        ({"access_token": "tok", "token_type": "Bearer", "expires_in": "soon"}, "expires_in"),
        ({"access_token": "tok", "token_type": "Bearer", "expires_in": -1}, "expires_in"),
        ({"access_token": "tok", "token_type": "Bearer", "expires_in": True}, "expires_in"),
        ({"access_token": "tok", "token_type": "Bearer", "expires_in": float("nan")}, "expires_in"),
        ({"access_token": "tok", "token_type": "Bearer", "expires_in": float("inf")}, "expires_in"),
        ({"access_token": "tok", "token_type": "Bearer", "refresh_token": 5}, "refresh_token"),
        (["access_token", "tok"], "not a JSON object"),
    ],
)
def test_malformed_token_answers_are_typed_errors(body: object, reason: str) -> None:
    with pytest.raises(InvalidResponseError, match=reason) as caught:
        parse_token_response(_answer(200, body), sent_at=_SENT)
    assert caught.value.body_excerpt == ""  # a token body is never quoted


@pytest.mark.parametrize("expires_in", ["3599", " 3599 ", "3599.5"])
def test_a_numeric_string_expires_in_is_read_as_a_number(expires_in: str) -> None:
    token = parse_token_response(
        _answer(200, {"access_token": "a", "token_type": "Bearer", "expires_in": expires_in}),
        sent_at=_SENT,
    )
    assert token.expires_at == _SENT + timedelta(seconds=float(expires_in))


@pytest.mark.parametrize("expires_in", ["", "-5", "1e3", "3599s", "0x10"])
def test_other_string_expires_in_is_refused(expires_in: str) -> None:
    body = {"access_token": "a", "token_type": "Bearer", "expires_in": expires_in}
    with pytest.raises(InvalidResponseError, match="expires_in"):
        parse_token_response(_answer(200, body), sent_at=_SENT)


@pytest.mark.parametrize(
    "expires_in", [10**400, 10**30, float(10**30)], ids=["10**400", "10**30", "1e30"]
)
def test_a_huge_integer_lifetime_is_capped_not_overflowed(expires_in: float) -> None:
    token = parse_token_response(
        _answer(200, {"access_token": "a", "token_type": "Bearer", "expires_in": expires_in}),
        sent_at=_SENT,
    )
    assert token.expires_at is not None
    assert token.expires_at.year == 2039


def test_a_huge_integer_lifetime_from_the_server_is_capped(make_sim: SimFactory) -> None:
    sim = make_sim()
    sim.inject(Fault.wrong_type("expires_in", 10**400), route="token", count=1)
    with sync_client(sim) as cx:
        assert cx.users.list().total_elements == 30
        expires_at = cx.get_token().expires_at
    assert expires_at is not None
    assert expires_at.year > datetime.now(UTC).year + 9
    assert sim.token_requests == 1


def test_token_endpoint_statuses_map_to_typed_errors() -> None:
    with pytest.raises(ServerError):
        parse_token_response(_answer(503, content=b"down"), sent_at=_SENT)
    with pytest.raises(RateLimitError) as limited:
        parse_token_response(_answer(429, content=b"", headers={"Retry-After": "7"}), sent_at=_SENT)
    assert limited.value.retry_after == 7
    with pytest.raises(InvalidResponseError, match="not JSON") as broken:
        parse_token_response(_answer(200, content=b'{"access_token": "eyJabc'), sent_at=_SENT)
    assert broken.value.__cause__ is None  # a JSONDecodeError would keep the body in .doc


def test_jwt_expiry_reads_exp_and_ignores_anything_else() -> None:
    import base64
    import json

    def jwt(claims: object) -> str:
        payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"eyJhbGciOiJIUzI1NiJ9.{payload}.sig"

    assert jwt_expiry(jwt({"exp": 1893456000})) == datetime(2030, 1, 1, tzinfo=UTC)
    assert jwt_expiry(jwt({"exp": "soon"})) is None
    assert jwt_expiry(jwt({"exp": True})) is None
    assert jwt_expiry(jwt(["exp"])) is None
    assert jwt_expiry(jwt({"exp": 10**30})) is None
    assert jwt_expiry("opaque-token") is None
    assert jwt_expiry("a.!!!.c") is None
