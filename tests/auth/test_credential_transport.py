"""Credentials never travel unencrypted, to another origin, or on a redirect; TLS is verified."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    CloudCX,
    CloudCXError,
    ConfigurationError,
    InsecureTransportError,
    Secret,
)
from cloudcx._auth import TokenCache
from cloudcx._config import ClientConfig, build_ssl_context
from tests.support.clients import (
    SimFactory,
    async_client,
    grant_kwargs,
    serving,
    sync_client,
)

# --- plain http:// to a host that is not loopback -------------------------------------------


@pytest.mark.parametrize(
    "urls",
    [
        {"base_url": "http://cx.example.net"},
        {"base_url": "https://cx.example.net", "token_url": "http://cx.example.net/oauth/token"},
        # The fully qualified form skips /etc/hosts: a resolver may answer anything for it.
        {"base_url": "http://localhost.:8080"},
    ],
)
@pytest.mark.parametrize("client_type", [CloudCX, AsyncCloudCX])
def test_plain_http_to_a_remote_host_is_refused_at_construction(
    urls: dict[str, Any], client_type: type[CloudCX] | type[AsyncCloudCX]
) -> None:
    with pytest.raises(InsecureTransportError, match=r"allow_insecure_http=True"):
        client_type(client_id="c", username="u", password="p", **urls)
    with pytest.raises(InsecureTransportError, match=r"allow_insecure_http=True"):
        client_type(api_key="k", base_url=urls["base_url"].replace("https", "http"))


def test_the_opt_in_allows_plain_http_without_sending_anything() -> None:
    with CloudCX(base_url="http://cx.example.net", api_key="k", allow_insecure_http=True) as cx:
        assert cx.config.base_url == "http://cx.example.net"


def test_plain_http_to_a_remote_host_is_refused_at_request_time(
    make_sim: SimFactory, loopback_only: list[object]
) -> None:
    sim = make_sim()
    with sync_client(sim) as cx:
        http = cx.client.get_httpx_client()
        with pytest.raises(InsecureTransportError, match="allow_insecure_http=True"):
            http.get("http://cx.example.net/openapi/v2/user/page")
    with (
        CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx,
        pytest.raises(InsecureTransportError),
    ):
        cx.client.get_httpx_client().get("http://10.1.2.3/openapi/v2/user/page")
    assert loopback_only == []  # no lookup, no connection
    assert sim.token_requests == 0  # refused before even a token was fetched


@pytest.mark.anyio
async def test_async_plain_http_is_refused_at_request_time(
    make_sim: SimFactory, loopback_only: list[object]
) -> None:
    sim = make_sim()
    async with async_client(sim) as cx:
        with pytest.raises(InsecureTransportError):
            await cx.client.get_async_httpx_client().get("http://cx.example.net/x")
    assert loopback_only == []
    assert sim.token_requests == 0


def test_credentials_go_only_to_the_api_origin(make_sim: SimFactory) -> None:
    sim = make_sim()
    other = make_sim()
    with (
        sync_client(sim) as cx,
        pytest.raises(ConfigurationError, match="not on the configured API host"),
    ):
        cx.client.get_httpx_client().get(other.base_url + "/openapi/v2/user/page")
    assert other.requests == []


def test_token_url_is_checked_again_when_the_request_is_built() -> None:
    # A configuration that skipped validation (built by hand) still cannot send the password.
    config = ClientConfig(
        base_url="https://cx.example.net",
        token_url="http://cx.example.net/oauth/token",
        auth_mode="password",
        client_id="c",
        username="u",
        password=Secret("p"),
    )
    sent: list[httpx.Request] = []
    cache = TokenCache(config)

    def send(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500, request=request)

    with pytest.raises(InsecureTransportError):
        cache.get(send)
    assert sent == []


# --- redirects ---------------------------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Answers 302 to `location` when set, else a one-user page; records every request."""

    location: str | None = None
    seen: list[dict[str, str]]

    def do_GET(self) -> None:
        self.seen.append({k.lower(): v for k, v in self.headers.items()})
        if self.location is not None:
            self.send_response(302)
            self.send_header("Location", self.location + self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = json.dumps(
            {
                "code": "0000",
                "message": None,
                "data": {
                    "totalPages": 0,
                    "totalElements": 0,
                    "size": 25,
                    "number": 0,
                    "numberOfElements": 0,
                    "content": [],
                },
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def _server(location: str | None) -> Iterator[tuple[str, list[dict[str, str]]]]:
    seen: list[dict[str, str]] = []
    handler = type("Handler", (_Recorder,), {"location": location, "seen": seen})
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as url:
        yield url, seen


def test_credentials_are_not_forwarded_on_a_redirect(make_sim: SimFactory) -> None:
    from cloudcx_openapi.api.users import list_users

    sim = make_sim()
    with _server(None) as (target, target_seen), _server(target) as (redirector, first_seen):
        kwargs = grant_kwargs(sim, base_url=redirector)
        with CloudCX(**kwargs) as cx:
            with pytest.raises(CloudCXError):
                cx.users.list()  # the client does not follow the 302
            assert target_seen == []
            response = list_users.sync_detailed(client=cx.client)
            assert response.status_code == 302
            assert target_seen == []
            # Even when the caller asks httpx to follow it, the other origin gets no token.
            followed = cx.client.get_httpx_client().get(
                "/openapi/v2/user/page", follow_redirects=True
            )
            assert followed.status_code == 200
        with CloudCX(base_url=redirector, api_key=sim.api_key) as cx:
            cx.client.get_httpx_client().get("/openapi/v2/user/page", follow_redirects=True)
    assert len(first_seen) == 4
    assert all(h["authorization"].startswith("Bearer ") for h in first_seen)
    assert len(target_seen) == 2
    assert all("authorization" not in headers for headers in target_seen)


# --- TLS ---------------------------------------------------------------------------------


def test_tls_verification_is_on_by_default() -> None:
    context = build_ssl_context(True)
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.get_ca_certs()


def test_a_ca_bundle_path_or_context_is_accepted(tmp_path: Path) -> None:
    from_path = build_ssl_context(certifi.where())
    assert from_path.verify_mode == ssl.CERT_REQUIRED
    assert from_path.get_ca_certs()
    assert build_ssl_context(Path(certifi.where())).get_ca_certs()
    own = ssl.create_default_context()
    assert build_ssl_context(own) is own
    with pytest.raises(ConfigurationError, match="verify"):
        build_ssl_context(str(tmp_path / "missing.pem"))
    with pytest.raises(ConfigurationError, match="verify"):
        build_ssl_context(42)  # type: ignore[arg-type]


@pytest.mark.parametrize("client_type", [CloudCX, AsyncCloudCX])
def test_the_clients_pass_the_context_to_the_transport(
    monkeypatch: pytest.MonkeyPatch, client_type: type[CloudCX] | type[AsyncCloudCX]
) -> None:
    captured: list[object] = []
    for transport in (httpx.HTTPTransport, httpx.AsyncHTTPTransport):
        real_init = transport.__init__

        def spy(self: Any, *args: Any, _real: Any = real_init, **kwargs: Any) -> None:
            captured.append(kwargs.get("verify"))
            _real(self, *args, **kwargs)

        monkeypatch.setattr(transport, "__init__", spy)
    own = ssl.create_default_context(cafile=certifi.where())
    for verify in (own, True):
        cx = client_type(base_url="https://cx.example.net", api_key="k", verify=verify)
        if isinstance(cx, CloudCX):
            cx.close()
        else:
            asyncio.run(cx.close())
    assert captured[0] is own
    default = captured[-1]
    assert isinstance(default, ssl.SSLContext)
    assert default.verify_mode == ssl.CERT_REQUIRED
