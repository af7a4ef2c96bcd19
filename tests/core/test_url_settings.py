"""URL settings that cannot be used safely are refused before anything is sent: user-info
(it would leak into reprs and hints and become Basic auth on the token request) and a port
outside 1..65535 (the async client then failed with a raw ExceptionGroup)."""

from __future__ import annotations

from typing import Any

import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError
from cloudcx._config import ENV_VARS, resolve_config
from cloudcx.testing import Simulator
from tests.support.clients import password_kwargs

_PASSWORD_IN_URL = "S3CRET-PW"


def _with_userinfo(url: str) -> str:
    return url.replace("http://", f"http://proxyuser:{_PASSWORD_IN_URL}@", 1)


@pytest.mark.parametrize("setting", ["base_url", "token_url"])
def test_a_url_with_user_info_is_refused_without_echoing_it(sim: Simulator, setting: str) -> None:
    settings: dict[str, Any] = dict(password_kwargs(sim))
    settings[setting] = _with_userinfo(settings[setting])
    with pytest.raises(ConfigurationError, match=f"`{setting}`") as caught:
        CloudCX(**settings)
    assert _PASSWORD_IN_URL not in str(caught.value)
    assert "proxyuser" not in str(caught.value)
    assert sim.requests == []


def test_a_url_with_only_a_user_name_is_refused(sim: Simulator) -> None:
    with pytest.raises(ConfigurationError, match="`base_url`") as caught:
        CloudCX(base_url=sim.base_url.replace("http://", "http://proxyuser@"), api_key="k")
    assert "proxyuser" not in str(caught.value)


def test_a_token_url_without_a_path_and_with_user_info_is_refused_without_echoing_it() -> None:
    # This path used to build its hint from the whole URL, password included.
    with pytest.raises(ConfigurationError, match="`token_url`") as caught:
        CloudCX(
            base_url="https://cx.example.net",
            token_url=f"https://u:{_PASSWORD_IN_URL}@cx.example.net:9001",
            client_id="c",
            username="u",
            password="p",
        )
    assert _PASSWORD_IN_URL not in str(caught.value)


def test_user_info_from_the_environment_is_refused() -> None:
    environ = {ENV_VARS["base_url"]: f"https://u:{_PASSWORD_IN_URL}@cx.example.net"}
    with pytest.raises(ConfigurationError, match="CLOUDCX_BASE_URL") as caught:
        resolve_config(api_key="k", environ=environ)
    assert _PASSWORD_IN_URL not in str(caught.value)


@pytest.mark.parametrize("port", [0, 65536, 99999])
def test_a_port_out_of_range_is_refused(sim: Simulator, port: int) -> None:
    for setting in ("base_url", "token_url"):
        settings: dict[str, Any] = dict(password_kwargs(sim))
        settings[setting] = f"http://127.0.0.1:{port}" + (
            "/oauth/token" if setting == "token_url" else ""
        )
        with pytest.raises(ConfigurationError, match=f"`{setting}`.*port {port}"):
            CloudCX(**settings)
    assert sim.requests == []


@pytest.mark.anyio
async def test_a_port_out_of_range_is_refused_async(sim: Simulator) -> None:
    with pytest.raises(ConfigurationError, match="port 99999"):
        AsyncCloudCX(base_url="http://127.0.0.1:99999", api_key=sim.api_key)


@pytest.mark.parametrize("port", [1, 65535])
def test_the_ports_at_the_bounds_are_accepted(port: int) -> None:
    config = resolve_config(base_url=f"https://cx.example.net:{port}", api_key="k", environ={})
    assert config.base_url == f"https://cx.example.net:{port}"


def test_the_simulators_own_urls_still_work(sim: Simulator) -> None:
    with CloudCX(**password_kwargs(sim)) as cx:
        assert cx.users.list().total_elements == 60
