"""Which grant renews a token: refresh when offered, password as the fallback, rotation."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from cloudcx import InvalidResponseError, RateLimitError, Secret, ServerError, Token
from cloudcx._tokens import jwt_expiry, parse_token_response
from cloudcx.testing import Fault
from tests.support.clients import SimFactory, async_client, grant_types, sync_client
from tests.support.clock import FakeClock


def _refresh_tokens_sent(sim: object) -> list[str]:
    requests = sim.requests  # type: ignore[attr-defined]
    return [
        r.form["refresh_token"]
        for r in requests
        if r.path == "/oauth/token" and r.form and r.form.get("grant_type") == "refresh_token"
    ]


def test_refresh_grant_is_used_when_offered(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim, _clock=clock) as cx:
        first = cx.get_token()
        assert first.refresh_token is not None
        clock.advance(3599)
        cx.users.list()
        sim.revoke_access_tokens()
        cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "refresh_token"]
    assert _refresh_tokens_sent(sim) == [first.refresh_token.get_secret_value()] * 2
    # The refresh request carries no password.
    refresh_forms = [r.form for r in sim.requests if r.form and "refresh_token" in r.form]
    assert all("password" not in (form or {}) for form in refresh_forms)


@pytest.mark.anyio
async def test_async_refresh_grant_is_used_when_offered(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        clock.advance(3599)
        await cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token"]


def test_password_grant_when_the_refresh_token_is_rejected(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    with sync_client(sim, _clock=clock) as cx:
        cx.users.list()
        sim.revoke_refresh_tokens()
        clock.advance(3599)
        assert cx.users.list().total_elements == 30
        statuses = [(r.form or {}).get("grant_type") for r in sim.requests if r.status == 400]
        assert statuses == ["refresh_token"]
        # The password grant brought a new refresh token, which the next renewal uses.
        clock.advance(3599)
        cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "password", "refresh_token"]


@pytest.mark.anyio
async def test_async_password_grant_when_the_refresh_token_is_rejected(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        sim.revoke_refresh_tokens()
        sim.revoke_access_tokens()
        await cx.users.list()
    assert grant_types(sim) == ["password", "refresh_token", "password"]


def test_rotated_refresh_token_is_adopted(make_sim: SimFactory, clock: FakeClock) -> None:
    sim = make_sim(refresh_tokens=True, rotate_refresh_tokens=True)
    issued: list[Token] = []
    with sync_client(sim, _clock=clock, on_token=issued.append) as cx:
        for _ in range(3):
            cx.users.list()
            clock.advance(3599)
        cx.users.list()
    assert grant_types(sim) == ["password"] + ["refresh_token"] * 3
    rotated = [t.refresh_token.get_secret_value() for t in issued if t.refresh_token]
    assert len(set(rotated)) == 4  # every answer brought a new one
    # Each renewal sent the refresh token of the answer before it: a spent one would have
    # been refused (the simulator spends a rotated token) and forced the password grant.
    assert _refresh_tokens_sent(sim) == rotated[:3]


@pytest.mark.anyio
async def test_async_rotated_refresh_token_is_adopted(
    make_sim: SimFactory, clock: FakeClock
) -> None:
    sim = make_sim(refresh_tokens=True, rotate_refresh_tokens=True)
    async with async_client(sim, _clock=clock) as cx:
        for _ in range(3):
            await cx.users.list()
            clock.advance(3599)
    assert grant_types(sim) == ["password", "refresh_token", "refresh_token"]


# --- parse_token_response: a unit test of one function, on hand-made responses ------------

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


def test_an_absurd_lifetime_is_capped() -> None:
    token = parse_token_response(
        _answer(200, {"access_token": "a", "token_type": "Bearer", "expires_in": 10**30}),
        sent_at=_SENT,
    )
    assert token.expires_at is not None
    assert token.expires_at.year == 2039


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
