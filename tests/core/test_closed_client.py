"""A closed client, sync or async, refuses every call with `ClientClosedError` and sends
nothing."""

from __future__ import annotations

import pytest

from cloudcx import (
    AsyncCloudCX,
    ClientClosedError,
    CloudCX,
    CloudCXError,
)
from cloudcx.testing import Simulator
from tests.support.clients import SimFactory, credentials, grant_kwargs
from tests.support.foreign_clients import client
from tests.support.foreign_clients import credentials as foreign_credentials
from tests.support.foreign_server import foreign_server


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


def test_get_token_after_close_raises_a_cloudcx_error() -> None:
    with foreign_server() as server:
        cx = client(server)
        cx.close()
        with pytest.raises(CloudCXError):
            cx.get_token()


@pytest.mark.anyio
async def test_async_get_token_after_close_raises_a_cloudcx_error() -> None:
    with foreign_server() as server:
        cx = AsyncCloudCX(**foreign_credentials(server))
        await cx.close()
        with pytest.raises(CloudCXError):
            await cx.get_token()


def test_a_closed_client_raises_a_typed_error() -> None:
    with Simulator(users=3) as sim:
        cx = CloudCX(**credentials(sim))
        cx.close()
        with pytest.raises(ClientClosedError, match="the client is closed"):
            cx.users.list()
        with pytest.raises(ClientClosedError):
            list(cx.users.iter())
        with pytest.raises(ClientClosedError):
            cx.client.get_httpx_client().get("/openapi/v2/user/page")
        assert sim.requests == []


@pytest.mark.anyio
async def test_a_closed_async_client_raises_a_typed_error() -> None:
    with Simulator(users=3) as sim:
        cx = AsyncCloudCX(**credentials(sim))
        await cx.close()
        with pytest.raises(ClientClosedError, match="the client is closed"):
            await cx.users.list()
        assert sim.requests == []
