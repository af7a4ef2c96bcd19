"""Both ways to authenticate, sync and async, end to end over loopback HTTP."""

from __future__ import annotations

import uuid

import pytest

from cloudcx import (
    APIError,
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    CloudCXError,
    User,
    UserPage,
)
from cloudcx.testing import Fault, Simulator
from cloudcx_openapi.api.users import list_users
from cloudcx_openapi.models.user_page_envelope import UserPageEnvelope
from tests.support.clients import password_kwargs

SEED_USER_ID = uuid.UUID("75d86d40-f7d9-4025-8a1c-8a868f918289")


def _assert_seed_page(page: UserPage) -> None:
    assert isinstance(page, UserPage)
    assert page.number == 0
    assert page.size == 25
    assert page.total_elements == 60
    assert page.total_pages == 3
    assert page.number_of_elements == len(page.content) == 25
    first = page.content[0]
    assert isinstance(first, User)
    assert first.id == SEED_USER_ID
    assert first.login_code == "freesiaTest"
    assert first.roles == ["Admin", "Agents"]
    assert first.phone_number is None
    assert first.unique_code is None


def test_api_key_lists_users(sim: Simulator) -> None:
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        page = cx.users.list(page_index=1, page_size=25)
    _assert_seed_page(page)
    assert sim.token_requests == 0
    api_calls = [r for r in sim.requests if r.path.startswith("/openapi/")]
    assert api_calls[-1].headers["authorization"] == f"Bearer {sim.api_key}"


def test_password_grant_lists_users(sim: Simulator) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        page = cx.users.list()
        second = cx.users.list(page_index=3)
    _assert_seed_page(page)
    assert second.number == 2
    assert second.number_of_elements == 10
    assert sim.token_requests == 1
    token_call = next(r for r in sim.requests if r.path == "/oauth/token")
    assert token_call.form is not None
    assert token_call.form["grant_type"] == "password"
    assert token_call.form["username"] == sim.username
    assert "email" not in token_call.form
    assert token_call.headers["content-type"].startswith("application/x-www-form-urlencoded")


@pytest.mark.anyio
async def test_async_api_key_lists_users(sim: Simulator) -> None:
    async with AsyncCloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        page = await cx.users.list()
    _assert_seed_page(page)


@pytest.mark.anyio
async def test_async_password_grant_lists_users(sim: Simulator) -> None:
    async with AsyncCloudCX(**password_kwargs(sim)) as cx:
        page = await cx.users.list()
        await cx.users.list(page_index=2)
    _assert_seed_page(page)
    assert sim.token_requests == 1


def test_keywords_filter_case_insensitively(sim: Simulator) -> None:
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        lower = cx.users.list(keywords="si", page_size=100)
        upper = cx.users.list(keywords="SI", page_size=100)
    assert lower.total_elements > 0
    assert [u.id for u in lower.content] == [u.id for u in upper.content]
    for user in lower.content:
        names = [user.login_code, user.first_name, user.last_name, user.email]
        haystack = " ".join(name or "" for name in names)
        assert "si" in haystack.lower()


def test_token_url_on_another_port() -> None:
    with Simulator(users=30, separate_token_server=True) as sim:
        assert sim.token_url.startswith("http://127.0.0.1:")
        assert not sim.token_url.startswith(sim.base_url + "/")
        with CloudCX(**password_kwargs(sim)) as cx:
            page = cx.users.list()
        assert page.total_elements == 30
        assert sim.token_requests == 1


def test_token_url_defaults_to_the_api_host(sim: Simulator) -> None:
    kwargs = password_kwargs(sim)
    del kwargs["token_url"]
    with CloudCX(**kwargs) as cx:
        assert cx.config.token_url == sim.base_url + "/oauth/token"
        cx.users.list()
    assert sim.token_requests == 1


def test_default_token_url_fails_when_the_token_lives_elsewhere() -> None:
    with Simulator(users=5, separate_token_server=True) as sim:
        kwargs = password_kwargs(sim)
        del kwargs["token_url"]
        with CloudCX(**kwargs) as cx, pytest.raises(CloudCXError):
            cx.users.list()


def test_envelope_error_is_a_typed_api_error(sim: Simulator) -> None:
    sim.inject(Fault.envelope_error("5001", "directory unavailable"), route="users", count=1)
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx, pytest.raises(APIError) as info:
        cx.users.list()
    assert info.value.code == "5001"
    assert info.value.message == "directory unavailable"
    assert info.value.status_code == 200
    assert info.value.method == "GET"


def test_bad_parameter_envelope_from_the_server(sim: Simulator) -> None:
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        response = cx.client.get_httpx_client().get(
            "/openapi/v2/user/page", params={"pageSize": "many"}
        )
    assert response.status_code == 400
    assert response.json()["code"] != "0000"
    assert response.json()["data"] is None


def test_token_error_is_an_authentication_error(sim: Simulator) -> None:
    kwargs = password_kwargs(sim)
    kwargs["password"] = "not-the-password"
    with CloudCX(**kwargs) as cx, pytest.raises(AuthenticationError) as info:
        cx.users.list()
    assert info.value.error == "invalid_grant"
    assert info.value.status_code == 400
    assert "not-the-password" not in str(info.value)
    assert "not-the-password" not in repr(info.value)


def test_unknown_api_key_is_an_authentication_error(sim: Simulator) -> None:
    with (
        CloudCX(base_url=sim.base_url, api_key="not-a-key") as cx,
        pytest.raises(AuthenticationError) as info,
    ):
        cx.users.list()
    assert info.value.status_code == 401
    assert "not-a-key" not in str(info.value)


def test_generated_endpoint_through_the_client(sim: Simulator) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        envelope = list_users.sync(client=cx.client, page_index=2, page_size=10)
    assert isinstance(envelope, UserPageEnvelope)
    assert envelope.code == "0000"
    assert isinstance(envelope.data, UserPage)
    assert envelope.data.number == 1
    assert sim.token_requests == 1


@pytest.mark.anyio
async def test_generated_async_endpoint_through_the_client(sim: Simulator) -> None:
    async with AsyncCloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        envelope = await list_users.asyncio(client=cx.client, page_size=5)
    assert isinstance(envelope, UserPageEnvelope)
    assert isinstance(envelope.data, UserPage)
    assert len(envelope.data.content) == 5


def test_one_pool_reuses_its_connections(sim: Simulator) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        for _ in range(20):
            cx.users.list(page_size=5)
    # The token request and all 20 calls travel over one keep-alive connection.
    assert sim.api_requests == 20
    assert sim.connections == 1


@pytest.mark.anyio
async def test_async_pool_reuses_its_connections(sim: Simulator) -> None:
    async with AsyncCloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        for _ in range(20):
            await cx.users.list(page_size=5)
    assert sim.connections == 1
