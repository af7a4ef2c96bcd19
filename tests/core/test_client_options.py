"""`with_options` (same pool and token) and `http_client=` (the caller's httpx client)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    ClientClosedError,
    CloudCX,
    ConfigurationError,
    ServerError,
)
from cloudcx.testing import Fault, Simulator
from tests.support.clients import password_kwargs


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(users=7) as running:
        yield running


def test_with_options_shares_the_pool_and_the_token(sim: Simulator) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        assert cx.users.list().total_elements == 7
        patient = cx.with_options(timeout=7.5, max_retries=0)
        assert type(patient) is CloudCX
        assert patient.config is cx.config
        assert patient._http.timeout == httpx.Timeout(7.5)
        assert cx._http.timeout == httpx.Timeout(30.0, connect=5.0)
        assert patient.users.list().total_elements == 7
        assert patient.get_token() == cx.get_token()
        assert sim.token_requests == 1
        assert sim.connections == 1  # the copy reused the original's kept-alive connection

        # Retries are the copy's own: none for it, the original's two for the original.
        sim.inject(Fault.status(503), route="users")
        with pytest.raises(ServerError):
            patient.users.list()
        sim.inject(Fault.status(503), route="users")
        assert cx.users.list().total_elements == 7

        # A copy of a copy still borrows the first client's pool.
        again = patient.with_options(max_retries=1)
        assert again._connection.timeout == httpx.Timeout(7.5)
        assert again.users.list().total_elements == 7

        patient.close()  # closing a copy leaves the original open
        with pytest.raises(ClientClosedError):
            patient.users.list()
        assert cx.users.list().total_elements == 7
    with pytest.raises(ClientClosedError):
        again.users.list()  # closing the original closes its copies
    with pytest.raises(ClientClosedError):
        again.get_token()


def test_with_options_checks_its_arguments(sim: Simulator) -> None:
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        with pytest.raises(ConfigurationError, match="max_retries"):
            cx.with_options(max_retries=-1)
        with pytest.raises(ConfigurationError, match="timeout"):
            cx.with_options(timeout=-3)


@pytest.mark.anyio
async def test_async_with_options_shares_the_pool_and_the_token(sim: Simulator) -> None:
    async with AsyncCloudCX(**password_kwargs(sim)) as cx:
        await cx.users.list()
        quick = cx.with_options(timeout=3, max_retries=0)
        assert type(quick) is AsyncCloudCX
        assert (await quick.users.list()).total_elements == 7
        assert sim.token_requests == 1
        assert sim.connections == 1
        sim.inject(Fault.status(503), route="users")
        with pytest.raises(ServerError):
            await quick.users.list()
    with pytest.raises(ClientClosedError):
        await quick.users.list()


def test_http_client_is_used_with_our_auth_retries_and_guards(sim: Simulator) -> None:
    seen: list[httpx.Request] = []
    own = httpx.Client(event_hooks={"request": [seen.append]}, follow_redirects=True)
    with CloudCX(**password_kwargs(sim), http_client=own) as cx:
        sim.inject(Fault.status(503), route="users")
        assert cx.users.list().total_elements == 7  # retried by the CloudCX policy
        assert sim.api_requests == 2
    # Every request, the token request included, went through the caller's client.
    paths = [request.url.path for request in seen]
    assert paths.count("/oauth/token") == 1
    assert paths.count("/openapi/v2/user/page") == 2
    api = [r for r in seen if r.url.path != "/oauth/token"]
    assert all(r.headers["authorization"].startswith("Bearer ") for r in api)
    assert "authorization" not in seen[0].headers
    # The caller's client is the caller's: closing CloudCX leaves it open.
    assert not own.is_closed
    own.close()


@pytest.mark.anyio
async def test_async_http_client(sim: Simulator) -> None:
    seen: list[str] = []

    async def record(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with (
        httpx.AsyncClient(event_hooks={"request": [record]}) as own,
        AsyncCloudCX(base_url=sim.base_url, api_key=sim.api_key, http_client=own) as cx,
    ):
        assert (await cx.users.list()).total_elements == 7
    assert seen == ["/openapi/v2/user/page"]


def test_http_client_must_fit_the_client(sim: Simulator) -> None:
    with pytest.raises(ConfigurationError, match=r"http_client must be an httpx\.Client"):
        CloudCX(base_url=sim.base_url, api_key=sim.api_key, http_client=httpx.AsyncClient())  # type: ignore[arg-type]
    with (
        httpx.Client() as own,
        pytest.raises(ConfigurationError, match="configure them on it"),
    ):
        CloudCX(
            base_url=sim.base_url,
            api_key=sim.api_key,
            http_client=own,
            proxy="http://127.0.0.1:9",
        )
