"""The token endpoint: RFC 6749 password and refresh-token grants, as the spec describes."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from cloudcx.testing import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    Simulator,
)
from tests.support.simulator_http import PageFetcher, TokenRequester, password_form


def jwt_claims(token: str) -> dict[str, Any]:
    header, payload, signature = token.split(".")
    assert header
    assert signature
    claims: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return claims


def assert_oauth_error(response: httpx.Response, status: int, error: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["error"] == error
    assert isinstance(body["error_description"], str)


def test_demo_credentials_are_the_simulator_s(sim: Simulator) -> None:
    assert (sim.username, sim.password) == (DEMO_USERNAME, DEMO_PASSWORD)
    assert (sim.client_id, sim.client_secret) == (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    assert sim.token_url == sim.base_url + "/oauth/token"


@pytest.mark.parametrize("login", ["freesiaTest", "frees1aa@gmail.com"])
def test_password_grant_with_login_code_or_email(
    sim: Simulator, request_token: TokenRequester, login: str
) -> None:
    response = request_token(sim, username=login)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3599
    claims = jwt_claims(body["access_token"])
    assert claims["sub"] == sim.client_id
    assert abs(claims["exp"] - (time.time() + 3599)) < 5
    assert claims["iat"] <= time.time()


def test_tokens_are_unique(sim: Simulator, request_token: TokenRequester) -> None:
    tokens = {request_token(sim).json()["access_token"] for _ in range(3)}
    assert len(tokens) == 3


def test_wrong_password_is_invalid_grant(sim: Simulator, request_token: TokenRequester) -> None:
    assert_oauth_error(request_token(sim, password="wrong"), 400, "invalid_grant")
    assert_oauth_error(request_token(sim, username="nobody"), 400, "invalid_grant")


@pytest.mark.parametrize(
    "overrides",
    [
        {"client_secret": "wrong"},
        {"client_secret": None},
        {"client_id": "unknown"},
        {"client_id": None},
    ],
)
def test_bad_client_is_invalid_client(
    sim: Simulator, request_token: TokenRequester, overrides: dict[str, str | None]
) -> None:
    assert_oauth_error(request_token(sim, **overrides), 401, "invalid_client")


def test_public_client_needs_no_secret(request_token: TokenRequester) -> None:
    with Simulator(users=1, public_client=True) as sim:
        assert request_token(sim, client_secret=None).status_code == 200
        assert_oauth_error(request_token(sim, client_secret="wrong"), 401, "invalid_client")


def test_missing_username_is_invalid_request(sim: Simulator, request_token: TokenRequester) -> None:
    assert_oauth_error(request_token(sim, username=None), 400, "invalid_request")
    assert_oauth_error(request_token(sim, password=None), 400, "invalid_request")


def test_email_field_is_not_a_username(sim: Simulator, request_token: TokenRequester) -> None:
    # The vendor's Postman text calls the field "email"; the contract's field is "username".
    response = request_token(sim, username=None, email="frees1aa@gmail.com")
    assert_oauth_error(response, 400, "invalid_request")


def test_unsupported_grants(sim: Simulator, request_token: TokenRequester) -> None:
    assert_oauth_error(
        request_token(sim, grant_type="client_credentials"), 400, "unsupported_grant_type"
    )
    # Without refresh_tokens=True the refresh grant does not exist.
    assert_oauth_error(
        request_token(sim, grant_type="refresh_token", refresh_token="x"),
        400,
        "unsupported_grant_type",
    )
    assert_oauth_error(request_token(sim, grant_type=None), 400, "invalid_request")


def test_form_body_and_post_are_required(sim: Simulator, client: httpx.Client) -> None:
    as_json = client.post(sim.token_url, json=password_form(sim))
    assert_oauth_error(as_json, 400, "invalid_request")
    wrong_method = client.get(sim.token_url)
    assert wrong_method.status_code == 405
    assert wrong_method.headers["allow"] == "POST"


def test_repeated_parameter_is_invalid_request(sim: Simulator, client: httpx.Client) -> None:
    body = httpx.QueryParams(password_form(sim)).add("password", "again")
    response = client.post(
        sim.token_url,
        content=str(body),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_oauth_error(response, 400, "invalid_request")


def test_authorization_header_is_ignored_but_recorded(sim: Simulator, client: httpx.Client) -> None:
    response = client.post(
        sim.token_url, data=password_form(sim), headers={"Authorization": "Basic Zm9vOmJhcg=="}
    )
    assert response.status_code == 200
    assert sim.requests[-1].headers["authorization"] == "Basic Zm9vOmJhcg=="


def test_refresh_grant_without_rotation(
    request_token: TokenRequester, get_page: PageFetcher
) -> None:
    with Simulator(users=1, refresh_tokens=True) as sim:
        first = request_token(sim).json()
        refresh = first["refresh_token"]
        for _ in range(2):
            renewed = request_token(
                sim, grant_type="refresh_token", refresh_token=refresh, username=None, password=None
            )
            assert renewed.status_code == 200, renewed.text
            assert renewed.json()["refresh_token"] == refresh
            assert renewed.json()["access_token"] != first["access_token"]
        assert get_page(sim, renewed.json()["access_token"]).status_code == 200
        assert_oauth_error(
            request_token(sim, grant_type="refresh_token", refresh_token="unknown"),
            400,
            "invalid_grant",
        )
        # Refreshing needs client authentication too.
        assert_oauth_error(
            request_token(
                sim, grant_type="refresh_token", refresh_token=refresh, client_secret="x"
            ),
            401,
            "invalid_client",
        )
        sim.revoke_refresh_tokens()
        assert_oauth_error(
            request_token(sim, grant_type="refresh_token", refresh_token=refresh),
            400,
            "invalid_grant",
        )


def test_refresh_grant_with_rotation(request_token: TokenRequester) -> None:
    with Simulator(users=1, refresh_tokens=True, rotate_refresh_tokens=True) as sim:
        old = request_token(sim).json()["refresh_token"]
        renewed = request_token(sim, grant_type="refresh_token", refresh_token=old)
        assert renewed.status_code == 200
        new = renewed.json()["refresh_token"]
        assert new != old
        reused = request_token(sim, grant_type="refresh_token", refresh_token=old)
        assert_oauth_error(reused, 400, "invalid_grant")
        assert request_token(sim, grant_type="refresh_token", refresh_token=new).status_code == 200


def test_without_expires_in_the_jwt_exp_tells(request_token: TokenRequester) -> None:
    with Simulator(users=1, include_expires_in=False, token_ttl=120) as sim:
        body = request_token(sim).json()
        assert "expires_in" not in body
        exp = jwt_claims(body["access_token"])["exp"]
        assert time.time() + 118 < exp <= time.time() + 122


def test_opaque_tokens(request_token: TokenRequester, get_page: PageFetcher) -> None:
    with Simulator(users=1, jwt_tokens=False) as sim:
        token = request_token(sim).json()["access_token"]
        assert "." not in token
        assert len(token) >= 32
        assert get_page(sim, token).status_code == 200


def test_token_expires_after_its_ttl(request_token: TokenRequester, get_page: PageFetcher) -> None:
    with Simulator(users=1, token_ttl=1) as sim:
        body = request_token(sim).json()
        assert body["expires_in"] == 1
        assert get_page(sim, body["access_token"]).status_code == 200
        time.sleep(1.2)
        expired = get_page(sim, body["access_token"])
        assert expired.status_code == 401
        assert expired.headers["www-authenticate"] == 'Bearer error="invalid_token"'
