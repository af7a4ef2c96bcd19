"""Proxies: the environment's (as httpx reads it), `proxy=`, and `trust_env=False`.

Every test runs a forward proxy on 127.0.0.1 in front of the simulator and checks which
requests went through it; API and token requests alike, retries included. The simulator
speaks plain http on loopback, which is let by only because it never leaves the machine:
through a proxy it would, so the clients routed through one opt in (`allow_insecure_http`),
and the last tests show what happens without the opt-in.
"""

from __future__ import annotations

import importlib.util
import traceback
from typing import Any

import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    CloudCX,
    ConfigurationError,
    InsecureTransportError,
)
from cloudcx._transport import environment_proxies
from cloudcx.testing import Fault, Simulator
from tests.support.clients import Auth
from tests.support.clients import credentials as direct_credentials
from tests.support.clock import FakeClock
from tests.support.foreign_server import foreign_server
from tests.support.forward_proxy import ForwardProxy

USERS = "/openapi/v2/user/page"
TOKEN = "/oauth/token"


def credentials(sim: Simulator, auth: Auth = "api_key") -> dict[str, Any]:
    """A client's arguments for `sim`, opted into plain http through a proxy."""
    return {**direct_credentials(sim, auth), "allow_insecure_http": True}


def password_client(sim: Simulator, **overrides: Any) -> CloudCX:
    return CloudCX(**credentials(sim, "password"), max_retries=0, **overrides)


# --- the environment ----------------------------------------------------------------------


def test_http_proxy_carries_token_and_api_requests(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with password_client(sim) as cx:
        assert cx.users.list().total_elements == 30
    assert proxy.paths() == [TOKEN, USERS]
    assert sim.token_requests == 1
    assert sim.api_requests == 1


@pytest.mark.anyio
async def test_http_proxy_carries_token_and_api_requests_async(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)  # the lower-case spelling counts too
    async with AsyncCloudCX(**credentials(sim, "password"), max_retries=0) as cx:
        assert (await cx.users.list()).total_elements == 30
    assert proxy.paths() == [TOKEN, USERS]


@pytest.mark.parametrize(
    ("variable", "proxied"),
    [("ALL_PROXY", True), ("all_proxy", True), ("HTTPS_PROXY", False)],
)
def test_each_variable_covers_its_schemes(
    sim: Simulator,
    proxy: ForwardProxy,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    proxied: bool,
) -> None:
    # ALL_PROXY is the fallback for every scheme; HTTPS_PROXY does not cover http:// URLs.
    monkeypatch.setenv(variable, proxy.url)
    with password_client(sim) as cx:
        cx.users.list()
    assert proxy.paths() == ([TOKEN, USERS] if proxied else [])
    assert (sim.token_requests, sim.api_requests) == (1, 1)


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1", "*"])
def test_no_proxy_reaches_the_host_directly(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, no_proxy: str
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    with password_client(sim) as cx:
        cx.users.list()
    assert proxy.requests == []
    assert (sim.token_requests, sim.api_requests) == (1, 1)


def test_no_proxy_for_another_host_leaves_the_proxy_in_use(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "cx.example.net,10.0.0.1")
    with password_client(sim) as cx:
        cx.users.list()
    assert proxy.paths() == [TOKEN, USERS]


def test_trust_env_false_ignores_the_environment(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("ALL_PROXY", proxy.url)
    with password_client(sim, trust_env=False) as cx:
        cx.users.list()
    assert proxy.requests == []
    assert sim.api_requests == 1


@pytest.mark.anyio
async def test_trust_env_false_ignores_the_environment_async(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with AsyncCloudCX(**credentials(sim), trust_env=False) as cx:
        await cx.users.list()
    assert proxy.requests == []


def test_a_bad_proxy_in_the_environment_is_a_configuration_error(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "ftp://alice:s3cret-pw@127.0.0.1:1")
    with pytest.raises(ConfigurationError) as caught:
        CloudCX(**credentials(sim))
    assert "'http://'" in str(caught.value)
    assert "s3cret-pw" not in "".join(traceback.format_exception(caught.value))


# --- proxy= -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["str", "URL", "Proxy"])
def test_explicit_proxy_carries_every_request(
    sim: Simulator, proxy: ForwardProxy, kind: str
) -> None:
    setting = {"str": proxy.url, "URL": httpx.URL(proxy.url), "Proxy": httpx.Proxy(proxy.url)}
    with password_client(sim, proxy=setting[kind]) as cx:
        cx.users.list()
    assert proxy.paths() == [TOKEN, USERS]


@pytest.mark.anyio
async def test_explicit_proxy_carries_every_request_async(
    sim: Simulator, proxy: ForwardProxy
) -> None:
    async with AsyncCloudCX(**credentials(sim, "password"), proxy=proxy.url) as cx:
        await cx.users.list()
    assert proxy.paths() == [TOKEN, USERS]


def test_explicit_proxy_wins_over_the_environment(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in httpx: an explicit proxy is used for everything, NO_PROXY included.
    monkeypatch.setenv("NO_PROXY", "*")
    with password_client(sim, proxy=proxy.url) as cx:
        cx.users.list()
    assert proxy.paths() == [TOKEN, USERS]


def test_proxy_credentials_go_to_the_proxy_only(sim: Simulator, proxy: ForwardProxy) -> None:
    with password_client(sim, proxy=proxy.url.replace("//", "//alice:pw@")) as cx:
        cx.users.list()
    assert all(r.headers["proxy-authorization"].startswith("Basic ") for r in proxy.requests)
    assert all("proxy-authorization" not in r.headers for r in sim.requests)


@pytest.mark.parametrize(
    "setting", ["ftp://alice:s3cret-pw@127.0.0.1:1", "127.0.0.1:3128", 3128, b"http://x"]
)
def test_a_bad_proxy_is_a_configuration_error_that_hides_the_url(
    sim: Simulator, setting: object
) -> None:
    with pytest.raises(ConfigurationError, match="proxy") as caught:
        CloudCX(**credentials(sim), proxy=setting)  # type: ignore[arg-type]
    assert "s3cret-pw" not in "".join(traceback.format_exception(caught.value))
    with pytest.raises(ConfigurationError, match="proxy"):
        AsyncCloudCX(**credentials(sim), proxy=setting)  # type: ignore[arg-type]


def test_a_socks_proxy_without_its_extra_says_what_to_install(sim: Simulator) -> None:
    if importlib.util.find_spec("socksio") is not None:
        pytest.skip("socksio is installed: SOCKS proxies work here")
    with pytest.raises(ConfigurationError, match=r"httpx\[socks\]"):
        CloudCX(**credentials(sim), proxy="socks5://127.0.0.1:1")


def test_trust_env_must_be_a_bool(sim: Simulator) -> None:
    with pytest.raises(ConfigurationError, match="trust_env"):
        CloudCX(**credentials(sim), trust_env="no")  # type: ignore[arg-type]


def test_a_proxy_does_not_lift_the_plain_http_refusal(proxy: ForwardProxy) -> None:
    # The target decides whether plain http is acceptable, whichever way the request travels.
    with pytest.raises(InsecureTransportError):
        CloudCX(base_url="http://cx.example.net", api_key="k", proxy=proxy.url)
    assert proxy.requests == []


# --- retries through the proxy ------------------------------------------------------------


def test_api_and_token_requests_are_retried_through_the_environment_proxy(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    sim.inject(Fault.status(503), route="token")
    sim.inject(Fault.status(503), route="users")
    with CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx:
        assert cx.users.list().total_elements == 30
    assert proxy.paths() == [TOKEN, TOKEN, USERS, USERS]
    assert [r.status for r in proxy.requests] == [503, 200, 503, 200]
    assert clock.sleeps == [0.5, 0.5]


@pytest.mark.anyio
async def test_retried_through_an_explicit_proxy_async(
    sim: Simulator, proxy: ForwardProxy, clock: FakeClock
) -> None:
    sim.inject(Fault.status(503), route="users", count=2)
    async with AsyncCloudCX(**credentials(sim), proxy=proxy.url, retry_policy=clock.policy()) as cx:
        await cx.users.list()
    assert proxy.paths() == [USERS, USERS, USERS]
    assert clock.sleeps == [0.5, 1.0]


# --- the environment map is httpx's own ---------------------------------------------------

ENVIRONMENTS = [
    {},
    {"HTTP_PROXY": "http://proxy.example:3128"},
    {"HTTPS_PROXY": "proxy.example:3128", "ALL_PROXY": "socks5://proxy.example:1080"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "localhost, 127.0.0.1,::1,.example.com,example.org"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "10.0.0.0/8,http://direct.example,,"},
    {"HTTP_PROXY": "http://p:1", "NO_PROXY": "a.example,*"},
]


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_the_environment_is_read_as_httpx_reads_it(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str]
) -> None:
    utils = pytest.importorskip("httpx._utils")
    if not hasattr(utils, "get_environment_proxies"):
        pytest.skip("httpx no longer has get_environment_proxies to compare with")
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert environment_proxies() == utils.get_environment_proxies()


_PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def test_environment_proxy_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in _PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    # The foreign server doubles as a forward proxy: it serves absolute-form request targets.
    with foreign_server() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        # Port 9 (discard) on loopback: nothing listens, so only the proxy can answer.
        with CloudCX(
            base_url="http://127.0.0.1:9",
            api_key=proxy.api_key,
            max_retries=0,
            allow_insecure_http=True,
        ) as cx:
            assert cx.users.list().total_elements == 26
        assert proxy.api_requests[0].headers["host"] == "127.0.0.1:9"


# --- plain http to loopback never leaves the machine unless opted in ---------------------


def test_the_environment_proxy_is_bypassed_for_plain_http_to_loopback(
    sim: Simulator, proxy: ForwardProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with CloudCX(**direct_credentials(sim, "password"), max_retries=0) as cx:
        assert cx.users.list().total_elements == 30
    assert proxy.paths() == []  # the password form went straight to loopback
    assert sim.token_requests == 1


@pytest.mark.parametrize("client_type", [CloudCX, AsyncCloudCX])
def test_an_explicit_proxy_to_plain_http_loopback_is_refused_without_the_opt_in(
    sim: Simulator, proxy: ForwardProxy, client_type: type[CloudCX] | type[AsyncCloudCX]
) -> None:
    with pytest.raises(InsecureTransportError, match=r"allow_insecure_http=True") as caught:
        client_type(**direct_credentials(sim, "password"), proxy=proxy.url)
    assert sim.password not in str(caught.value)
    assert proxy.paths() == []
