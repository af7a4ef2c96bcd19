"""Gaps found by review against the foreign server, now fixed and guarded.

Each test states the behaviour a user would expect, which the library once missed against the
foreign server; each gap is fixed, and its test stays here so that it cannot come back.
"""

from __future__ import annotations

import traceback

import pytest

from cloudcx import AsyncCloudCX, AuthenticationError, CloudCX, CloudCXError, ConfigurationError
from tests.support.foreign_clients import client, credentials
from tests.support.foreign_server import Quirks, foreign_server

_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def test_token_request_carries_the_client_user_agent() -> None:
    with foreign_server() as server, client(server) as cx:
        cx.users.list()
        api_agent = server.api_requests[0].headers["user-agent"]
        assert api_agent.startswith("cloudcx-python/")
        assert server.token_requests[0].headers.get("user-agent") == api_agent


def test_explicit_empty_client_secret_is_not_sent() -> None:
    quirks = Quirks(client_secret=None)
    with foreign_server(quirks) as server, client(server, client_secret="") as cx:
        cx.users.list()
        assert "client_secret" not in server.token_requests[0].form


def test_explicit_empty_api_key_is_a_configuration_error() -> None:
    with foreign_server() as server, pytest.raises(ConfigurationError):
        CloudCX(base_url=server.base_url, api_key="").close()


def test_get_token_after_close_raises_a_cloudcx_error() -> None:
    with foreign_server() as server:
        cx = client(server)
        cx.close()
        with pytest.raises(CloudCXError):
            cx.get_token()


@pytest.mark.anyio
async def test_async_get_token_after_close_raises_a_cloudcx_error() -> None:
    with foreign_server() as server:
        cx = AsyncCloudCX(**credentials(server))
        await cx.close()
        with pytest.raises(CloudCXError):
            await cx.get_token()


def test_environment_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    # The foreign server doubles as a forward proxy: it serves absolute-form request targets.
    with foreign_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        # Port 9 (discard) on loopback: nothing listens, so only the proxy can answer.
        with CloudCX(base_url="http://127.0.0.1:9", api_key=proxy.api_key, max_retries=0) as cx:
            assert cx.users.list().total_elements == 26
        assert proxy.api_requests[0].headers["host"] == "127.0.0.1:9"


def test_walk_trusts_total_pages_over_a_short_page() -> None:
    quirks = Quirks(max_page_size=10, echo_requested_size=True)
    with foreign_server(quirks) as server, client(server) as cx:
        first = cx.users.list(page_size=25)
        assert (first.total_pages, first.total_elements, first.size) == (3, 26, 25)
        assert len(list(cx.users.iter(page_size=25))) == first.total_elements


def test_password_quoted_by_the_server_is_masked() -> None:
    wrong = "Tr0ub4dor&3-wrong"
    with foreign_server(Quirks(echo_password=True)) as server, client(server, password=wrong) as cx:
        with pytest.raises(AuthenticationError) as caught:
            cx.users.list()
        assert caught.value.error == "invalid_grant"
        assert wrong not in str(caught.value)
        assert wrong not in (caught.value.error_description or "")


def test_api_key_with_a_newline_is_refused_without_leaking_it() -> None:
    with foreign_server() as server:
        try:
            cx = CloudCX(base_url=server.base_url, api_key=server.api_key + "\n", max_retries=0)
        except ConfigurationError as refused:
            error: BaseException = refused
        else:
            with cx, pytest.raises(CloudCXError) as caught:
                cx.users.list()
            error = caught.value
        chain = "".join(traceback.format_exception(error))
        assert server.api_key not in chain
        assert isinstance(error, ConfigurationError)
