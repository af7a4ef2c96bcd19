"""Secrets never leak; credentials never travel unencrypted, to another origin, or on a redirect."""

from __future__ import annotations

import asyncio
import json
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import certifi
import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    AuthenticationError,
    CloudCX,
    CloudCXError,
    ConfigurationError,
    FileTokenStore,
    InsecureTransportError,
    Secret,
    Token,
)
from cloudcx._auth import TokenCache
from cloudcx._config import ClientConfig, build_ssl_context
from cloudcx.testing import Fault, Simulator
from tests.support.clients import (
    LogCapture,
    SimFactory,
    async_client,
    error_text,
    grant_kwargs,
    serving,
    sync_client,
)
from tests.support.clock import FakeClock

# --- the leak test -------------------------------------------------------------------------


def _secrets_seen_by(sim: Simulator) -> set[str]:
    """Every credential that crossed the wire: bearer values and secret form fields."""
    found = {sim.password, sim.client_secret, sim.api_key}
    for record in sim.requests:
        scheme, _, value = record.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value:
            found.add(value)
        for name in ("password", "client_secret", "refresh_token"):
            if record.form and record.form.get(name):
                found.add(record.form[name])
    return found


def _run_sync_flows(sim: Simulator, clock: FakeClock, store: FileTokenStore) -> list[str]:
    shown: list[str] = []
    tokens: list[Token] = []

    def loud_hook(token: Token) -> None:
        tokens.append(token)
        # A careless hook that puts the token in its own exception: we must not log it.
        raise ValueError(f"cannot audit {token.access_token.get_secret_value()}")

    with sync_client(sim, _clock=clock, on_token=loud_hook, token_store=store) as cx:
        cx.users.list()
        clock.advance(3599)  # refresh grant
        cx.users.list()
        sim.revoke_access_tokens()  # 401, renewal, resend
        cx.users.list()
        sim.revoke_refresh_tokens()
        clock.advance(3599)  # refused refresh, password fallback
        cx.users.list()
        sim.inject(Fault.status(401), route="users", count=2)
        try:
            cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
        for fault in (Fault.not_json(), Fault.missing_field("token_type"), Fault.truncated()):
            sim.revoke_access_tokens()
            sim.inject(fault, route="token")
            try:
                cx.users.list()
            except CloudCXError as exc:
                shown.append(error_text(exc))
        shown += [repr(cx), str(cx), repr(cx.config), repr(cx.get_token()), str(cx.get_token())]
        shown += [repr(cx._http.auth), repr(cx._tokens), repr(cx.client), repr(store)]
        shown += [repr(t) for t in tokens]
    for bad in ({"password": "Wr0ng-Passw0rd-Zx9"}, {"client_secret": "n0t-the-s3cret-Qq"}):
        with sync_client(sim, **bad) as cx:
            try:
                cx.users.list()
            except AuthenticationError as exc:
                shown.append(error_text(exc))
    with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        cx.users.list()
        shown += [repr(cx), repr(cx.config), repr(cx._http.auth)]
    with CloudCX(base_url=sim.base_url, api_key="cxk_wrong_but_secret_key_77") as cx:
        try:
            cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
    return shown


async def _run_async_flows(sim: Simulator, clock: FakeClock) -> list[str]:
    shown: list[str] = []
    async with async_client(sim, _clock=clock) as cx:
        await cx.users.list()
        clock.advance(3599)
        await cx.users.list()
        sim.revoke_access_tokens()
        await cx.users.list()
        shown += [repr(cx), repr(await cx.get_token())]
    async with async_client(sim, password="Wr0ng-Passw0rd-Zx9") as cx:
        try:
            await cx.users.list()
        except AuthenticationError as exc:
            shown.append(error_text(exc))
    return shown


@pytest.mark.anyio
async def test_no_secret_in_logs_errors_or_reprs(
    make_sim: SimFactory, debug_logs: LogCapture, tmp_path: Path
) -> None:
    sim = make_sim(refresh_tokens=True)
    store = FileTokenStore(tmp_path / "tokens.json")
    shown = await _in_thread(_run_sync_flows, sim, FakeClock(), store)
    shown += await _run_async_flows(sim, FakeClock())
    secrets = _secrets_seen_by(sim) | {
        "Wr0ng-Passw0rd-Zx9",
        "n0t-the-s3cret-Qq",
        "cxk_wrong_but_secret_key_77",
    }
    # Sanity: the flows really ran, with DEBUG records from httpx/httpcore and our logger.
    assert len(secrets) > 10
    names = {record.name for record in debug_logs.records}
    assert {"httpx", "httpcore.http11", "cloudcx.auth"} <= names
    assert any(record.levelname == "WARNING" for record in debug_logs.records)
    haystack = debug_logs.text + "\n".join(shown)
    leaked = [s for s in secrets if s in haystack]
    assert leaked == [], f"{len(leaked)} secret value(s) leaked"
    # A JWT's signature alone is enough to reuse nothing, but its presence would betray a leak.
    signatures = {s.rsplit(".", 1)[-1] for s in secrets if s.count(".") == 2}
    assert not [s for s in signatures if len(s) > 16 and s in haystack]


async def _in_thread(function: Any, *args: Any) -> Any:
    # The sync client must not run on the event loop's thread.
    return await asyncio.to_thread(function, *args)


def test_secret_and_token_are_masked() -> None:
    secret = Secret("hunter2-hunter2")
    assert "hunter2" not in f"{secret} {secret!r} {secret:>20}"
    token = Token(
        Secret("tok-123456789"),
        expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        refresh_token=Secret("ref-987654321"),
    )
    shown = f"{token} {token!r}"
    assert "tok-123456789" not in shown
    assert "ref-987654321" not in shown
    assert Token.from_dict(token.to_dict()) == token
    assert token.to_dict()["access_token"] == "tok-123456789"  # the store's clear form


def test_token_rejects_bad_fields() -> None:
    with pytest.raises(ConfigurationError):
        Token("plain string")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError):
        Token(Secret("t"), expires_at=datetime(2030, 1, 1))  # naive
    with pytest.raises(ConfigurationError, match="access_token"):
        Token.from_dict({"token_type": "Bearer"})
    aware = Token(Secret("t"), expires_at=datetime.fromisoformat("2030-01-01T02:00:00+02:00"))
    assert aware.expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert aware.expires_at is not None
    assert aware.expires_at.tzinfo is UTC


# --- plain http:// to a host that is not loopback -------------------------------------------


@pytest.mark.parametrize(
    "urls",
    [
        {"base_url": "http://cx.example.net"},
        {"base_url": "https://cx.example.net", "token_url": "http://cx.example.net/oauth/token"},
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
