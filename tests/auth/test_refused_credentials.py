"""Refused credentials: typed errors with the server's code, no loop, no secret in them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    Secret,
)
from cloudcx._response import KNOWN_SECRETS_EXTENSION
from cloudcx._response import api_refusal as _api_refusal
from cloudcx.testing import Fault, Simulator
from tests.support.clients import (
    SimFactory,
    async_client,
    error_text,
    grant_kwargs,
    sync_client,
)


def test_wrong_password_is_invalid_grant_and_never_shows_the_password(
    make_sim: SimFactory,
) -> None:
    sim = make_sim()
    wrong = "Wr0ng-Passw0rd-Zx9"
    with CloudCX(**grant_kwargs(sim, password=wrong)) as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        with pytest.raises(AuthenticationError):
            cx.get_token()
    error = caught.value
    assert error.error == "invalid_grant"
    assert error.status_code == 400
    assert error.error_description == "Bad credentials"
    assert "invalid_grant" in str(error)
    assert wrong not in error_text(error)
    assert sim.api_requests == 0


@pytest.mark.anyio
async def test_async_wrong_password_is_invalid_grant(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim, password="nope-nope-nope") as cx:
        with pytest.raises(AuthenticationError) as caught:
            await cx.users.list()
    assert caught.value.error == "invalid_grant"
    assert "nope-nope-nope" not in error_text(caught.value)


def test_wrong_client_secret_is_invalid_client(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        CloudCX(**grant_kwargs(sim, client_secret="not-the-secret-42")) as cx,
        pytest.raises(AuthenticationError) as caught,
    ):
        cx.users.list()
    assert caught.value.error == "invalid_client"
    assert caught.value.status_code == 401
    assert "not-the-secret-42" not in error_text(caught.value)


def test_a_second_401_raises_instead_of_looping(make_sim: SimFactory) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        cx.users.list()
        sim.reset_counters()
        sim.inject(Fault.status(401), route="users", count=5)  # a server that keeps saying 401
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
    assert caught.value.status_code == 401
    assert "401 twice" in str(caught.value)
    assert [(r.path, r.status) for r in sim.requests] == [
        ("/openapi/v2/user/page", 401),
        ("/oauth/token", 200),
        ("/openapi/v2/user/page", 401),
    ]


@pytest.mark.anyio
async def test_async_second_401_raises_instead_of_looping(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        await cx.users.list()
        sim.reset_counters()
        sim.inject(Fault.status(401), route="users", count=5)
        with pytest.raises(AuthenticationError):
            await cx.users.list()
    assert sim.api_requests == 2
    assert sim.token_requests == 1


def test_the_generated_functions_raise_on_a_second_401_too(make_sim: SimFactory) -> None:
    from cloudcx_openapi.api.users import list_users

    sim = make_sim()
    with sync_client(sim) as cx:
        sim.inject(Fault.status(401), route="users", count=5)
        with pytest.raises(AuthenticationError):
            list_users.sync_detailed(client=cx.client)
    assert sim.api_requests == 2


def _api_key_kwargs(sim: Simulator, key: str) -> dict[str, Any]:
    return {"base_url": sim.base_url, "api_key": key}


def test_api_key_401_raises_at_once(make_sim: SimFactory) -> None:
    sim = make_sim()
    with (
        CloudCX(**_api_key_kwargs(sim, "cxk_wrong_key_123456")) as cx,
        pytest.raises(AuthenticationError) as caught,
    ):
        cx.users.list()
    assert caught.value.status_code == 401
    assert "cxk_wrong_key_123456" not in error_text(caught.value)
    assert sim.api_requests == 1
    assert sim.token_requests == 0


@pytest.mark.anyio
async def test_async_api_key_401_raises_at_once(make_sim: SimFactory) -> None:
    sim = make_sim()
    async with AsyncCloudCX(**_api_key_kwargs(sim, "cxk_wrong_key_123456")) as cx:
        with pytest.raises(AuthenticationError):
            await cx.users.list()
    assert sim.api_requests == 1


def test_api_key_works(make_sim: SimFactory) -> None:
    sim = make_sim()
    with CloudCX(**_api_key_kwargs(sim, sim.api_key)) as cx:
        assert cx.users.list().total_elements == 30
    assert sim.requests[0].headers["authorization"] == f"Bearer {sim.api_key}"


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
