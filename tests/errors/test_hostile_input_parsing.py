"""Linear-time, bounded-depth parsing of everything from the server.

100 KB inputs: a WWW-Authenticate challenge, a JWT payload nested 50,000 deep, a body nested as
deep (a token-store file nested as deep: tests/auth/test_token_store.py). Each ends with a typed
outcome (never RecursionError); the time is printed for the report (no speed assertion: the
bound asserted only catches a super-linear parse, which took minutes on 60 KB).
"""

from __future__ import annotations

import base64
import time

import pytest

from cloudcx import (
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    InvalidResponseError,
)
from cloudcx._response import _challenge_params
from tests.support.hostile_server import (
    Connection,
    Handler,
    api_key_settings,
    assert_no_secret,
    hostile,
    password_settings,
    user_page,
)

_SIZE = 100 * 1024
_CHALLENGES = {
    "letters": "a" * _SIZE,
    "quotes": '"' * _SIZE,
    "backslashes in a quote": 'error="' + "\\" * _SIZE,
    "many params": "a=b, " * (_SIZE // 5),
    "escapes": 'd="' + '\\"' * (_SIZE // 2),
    "commas": ", " * (_SIZE // 2),
    "equals": "=" * _SIZE,
}


@pytest.mark.parametrize("text", _CHALLENGES.values(), ids=_CHALLENGES.keys())
def test_a_100_kb_challenge_parses_in_linear_time(text: str) -> None:
    # A unit test of the one scanner: 100 KB inputs of every shape that made the regex retry.
    started = time.perf_counter()
    _challenge_params(text)
    elapsed = time.perf_counter() - started
    print(f"\n100 KB WWW-Authenticate ({len(text)} chars): parsed in {elapsed * 1000:.1f} ms")
    assert elapsed < 5.0  # the quadratic regex took minutes here


def test_a_huge_challenge_from_the_api_is_an_authentication_error() -> None:
    # 90 KB (httpcore refuses a header block past 100 KB) of letters with no '=' in sight.
    header = "Bearer " + "x" * (90 * 1024) + ', error="invalid_token"'

    def handler(path: str, connection: Connection) -> None:
        connection.respond("401 Unauthorized", b"{}", {"WWW-Authenticate": header})

    with hostile(handler) as server, CloudCX(**api_key_settings(server)) as cx:
        started = time.perf_counter()
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        elapsed = time.perf_counter() - started
    print(f"\n90 KB challenge from the API: AuthenticationError in {elapsed * 1000:.1f} ms")
    assert caught.value.error == "invalid_token"
    assert elapsed < 5.0


def _jwt(payload: bytes) -> str:
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    return f"eyJhbGciOiJub25lIn0.{encoded}.sig"


def _token_server(access_token: str, *, expires_in: bool = False) -> Handler:
    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token"):
            answer: dict[str, object] = {"access_token": access_token, "token_type": "Bearer"}
            if expires_in:
                answer["expires_in"] = 60
            connection.respond_json(answer)
            return
        connection.respond_json(user_page())

    return handler


@pytest.mark.parametrize("payload", [b"[" * _SIZE, b'{"exp":' * (_SIZE // 7)], ids=["list", "dict"])
def test_a_deeply_nested_jwt_payload_is_no_expiry(payload: bytes) -> None:
    with (
        hostile(_token_server(_jwt(payload))) as server,
        CloudCX(**password_settings(server)) as cx,
    ):
        started = time.perf_counter()
        token = cx.get_token()
        elapsed = time.perf_counter() - started
        assert cx.users.list().total_elements == 0
    print(f"\n100 KB nested JWT payload: read as 'no expiry' in {elapsed * 1000:.1f} ms")
    assert token.expires_at is None


@pytest.mark.anyio
async def test_a_deeply_nested_jwt_payload_is_no_expiry_async() -> None:
    with hostile(_token_server(_jwt(b"[" * _SIZE))) as server:
        async with AsyncCloudCX(**password_settings(server)) as cx:
            assert (await cx.get_token()).expires_at is None


@pytest.mark.parametrize("route", ["api", "token"])
def test_a_deeply_nested_body_is_an_invalid_response(route: str) -> None:
    nested = b"[" * _SIZE

    def handler(path: str, connection: Connection) -> None:
        if path.startswith("/oauth/token") and route == "api":
            connection.respond_json({"access_token": "t", "token_type": "Bearer"})
            return
        connection.respond(body=nested, headers={"Content-Type": "application/json"})

    with hostile(handler) as server, CloudCX(**password_settings(server)) as cx:
        started = time.perf_counter()
        with pytest.raises(InvalidResponseError) as caught:
            cx.users.list()
        elapsed = time.perf_counter() - started
    print(f"\n100 KB nested {route} body: InvalidResponseError in {elapsed * 1000:.1f} ms")
    assert_no_secret(caught.value)


@pytest.mark.parametrize(
    "user_id",
    [
        "0000_000-0000-0000-0000-000000000000",
        "+0000000-0000-0000-0000-000000000000",
        "0x000000-0000-0000-0000-000000000000",
        "{0000_000-0000-0000-0000-000000000000}",
    ],
)
def test_a_user_id_that_int_accepts_but_no_uuid_spells_is_refused(user_id: str) -> None:
    user: dict[str, object] = {
        "id": user_id,
        "loginCode": "a",
        "roles": [],
        "firstName": "A",
        "lastName": "B",
        "email": "a@example.net",
        "phoneNumber": None,
        "uniqueCode": None,
    }
    body = user_page()
    body["data"] = {**body["data"], "content": [user], "numberOfElements": 1}  # type: ignore[dict-item]

    def handler(path: str, connection: Connection) -> None:
        connection.respond_json(body)

    with (
        hostile(handler) as server,
        CloudCX(**api_key_settings(server)) as cx,
        pytest.raises(InvalidResponseError, match=r"content\[0\]"),
    ):
        cx.users.list()
