"""`AsyncCloudCX` against the foreign server: the same quirks, awaited."""

from __future__ import annotations

import asyncio

import pytest

from cloudcx import APIError, AuthenticationError
from tests.support.foreign_clients import assert_api_request, assert_token_request, async_client
from tests.support.foreign_server import Quirks, foreign_server


@pytest.mark.anyio
async def test_async_separate_localhost_token_port_gzip_chunked_charset() -> None:
    quirks = Quirks(
        gzip=True, chunked=True, content_type="application/json;charset=UTF-8", token_type="bearer"
    )
    with foreign_server(quirks, separate_token_port=True) as server:
        async with async_client(server) as cx:
            users = [user async for user in cx.users.iter(page_size=10, concurrency=3)]
            token = (await cx.get_token()).access_token.get_secret_value()
        assert [user.first_name for user in users][23:] == ["José", "a&b=c", "Plain"]
        assert len(server.token_requests) == 1
        assert_token_request(server.token_requests[0], server)
        for record in server.api_requests:
            assert_api_request(record, token)


@pytest.mark.anyio
async def test_async_http10_connection_close_and_extra_fields() -> None:
    with foreign_server(Quirks(http10=True, extra_fields=True, omit_message=True)) as server:
        async with async_client(server) as cx:
            users = [user async for user in cx.users.iter(page_size=5, concurrency=4)]
        assert len(users) == 26
        assert len(server.api_requests) == 6


@pytest.mark.anyio
async def test_async_expired_token_renews_once() -> None:
    with foreign_server() as server:
        async with async_client(server) as cx:
            await cx.users.list()
            server.advance(4000)
            page = await cx.users.list(keywords="José Ñ")
        assert [user.unique_code for user in page.content] == ["JN-1"]
        assert [r.status for r in server.api_requests] == [200, 401, 200]
        assert len(server.token_requests) == 2


@pytest.mark.anyio
async def test_async_refresh_grant_then_password_fallback() -> None:
    with foreign_server(Quirks(refresh_tokens=True, expires_in=600, client_secret=None)) as server:
        async with async_client(server) as cx:
            await cx.users.list()
            server.advance(700)
            await cx.users.list()
            server.advance(700)
            server.revoke_refresh_tokens()
            await cx.users.list()
        grants = [r.form["grant_type"][0] for r in server.token_requests]
        assert grants == ["password", "refresh_token", "refresh_token", "password"]
        for record in server.token_requests:
            assert "client_secret" not in record.form


@pytest.mark.anyio
async def test_async_invalid_client_and_invalid_grant() -> None:
    with foreign_server() as server:
        async with async_client(server, client_secret="wrong-secret-xyz") as cx:
            with pytest.raises(AuthenticationError) as refused_client:
                await cx.users.list()
        async with async_client(server, password="wrong-password-xyz") as cx:
            with pytest.raises(AuthenticationError) as refused_grant:
                await cx.users.list()
    assert refused_client.value.error == "invalid_client"
    assert refused_grant.value.error == "invalid_grant"
    assert "wrong-secret-xyz" not in str(refused_client.value)
    assert "wrong-password-xyz" not in str(refused_grant.value)
    assert len(server.token_requests) == 2


@pytest.mark.anyio
async def test_async_envelope_error_with_http_200() -> None:
    with foreign_server(Quirks(envelope_error="1001")) as server:
        async with async_client(server) as cx:
            with pytest.raises(APIError) as caught:
                await cx.users.list(page_index=99)
    assert (caught.value.code, caught.value.status_code) == ("1001", 200)


@pytest.mark.anyio
async def test_async_concurrent_401s_share_one_renewal() -> None:
    with foreign_server() as server:
        async with async_client(server) as cx:
            await cx.users.list()
            server.advance(4000)
            pages = await asyncio.gather(*(cx.users.list(page_index=i) for i in (1, 2, 3, 4)))
        assert [page.number for page in pages] == [0, 1, 2, 3]
        assert [r.status for r in server.api_requests].count(401) == 4
        assert len(server.token_requests) == 2
