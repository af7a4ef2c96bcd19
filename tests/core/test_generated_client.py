"""`cx.client` is the generated client bound to the CloudCX connection; deriving a copy with
the generated `with_*` helpers is refused, since the copy dropped the shared connection, sent
`Bearer ` with an empty token, and `with_timeout` changed the CloudCX client's timeout."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError
from cloudcx.testing import Simulator
from cloudcx_openapi.api.users import list_users
from cloudcx_openapi.client import AuthenticatedClient
from cloudcx_openapi.models.user_page import UserPage
from cloudcx_openapi.models.user_page_envelope import UserPageEnvelope
from tests.support.clients import password_kwargs

_DERIVE: dict[str, Callable[[Any], object]] = {
    "with_timeout": lambda client: client.with_timeout(httpx.Timeout(2.0)),
    "with_headers": lambda client: client.with_headers({"X-Trace": "1"}),
    "with_cookies": lambda client: client.with_cookies({"session": "1"}),
}


@pytest.mark.parametrize("method", sorted(_DERIVE))
def test_deriving_a_copy_of_cx_client_is_refused(sim: Simulator, method: str) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        before_timeout = cx._http.timeout
        before_headers = dict(cx._http.headers)
        with pytest.raises(ConfigurationError, match=method):
            _DERIVE[method](cx.client)
        # Nothing of the shared client changed, and it still answers through CloudCX's auth.
        assert cx._http.timeout == before_timeout
        assert dict(cx._http.headers) == before_headers
        assert not cx._http.cookies
        envelope = list_users.sync(client=cx.client, page_size=5)
    assert isinstance(envelope, UserPageEnvelope)
    assert isinstance(envelope.data, UserPage)
    assert envelope.data.total_elements == 60


@pytest.mark.anyio
@pytest.mark.parametrize("method", sorted(_DERIVE))
async def test_deriving_a_copy_of_cx_client_is_refused_async(sim: Simulator, method: str) -> None:
    async with AsyncCloudCX(**password_kwargs(sim)) as cx:
        before_timeout = cx._http.timeout
        with pytest.raises(ConfigurationError, match=method):
            _DERIVE[method](cx.client)
        assert cx._http.timeout == before_timeout
        envelope = await list_users.asyncio(client=cx.client, page_size=5)
    assert isinstance(envelope, UserPageEnvelope)
    assert isinstance(envelope.data, UserPage)
    assert envelope.data.total_elements == 60


def test_cx_client_is_still_the_generated_client_on_the_shared_connection(
    sim: Simulator,
) -> None:
    with CloudCX(api_key=sim.api_key, base_url=sim.base_url) as cx:
        assert isinstance(cx.client, AuthenticatedClient)
        assert cx.client.get_httpx_client() is cx._http
        response = list_users.sync_detailed(client=cx.client, page_size=5)
    assert response.status_code == 200
    assert sim.api_requests == 1
