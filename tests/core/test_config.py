"""Configuration: explicit arguments, CLOUDCX_* variables, and clear errors."""

from __future__ import annotations

import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError
from cloudcx._config import resolve_config
from cloudcx.testing import Simulator

ALL_VARS = (
    "CLOUDCX_BASE_URL",
    "CLOUDCX_TOKEN_URL",
    "CLOUDCX_API_KEY",
    "CLOUDCX_CLIENT_ID",
    "CLOUDCX_CLIENT_SECRET",
    "CLOUDCX_USERNAME",
    "CLOUDCX_PASSWORD",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)


def test_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with Simulator(users=3) as sim:
        monkeypatch.setenv("CLOUDCX_BASE_URL", sim.base_url)
        monkeypatch.setenv("CLOUDCX_TOKEN_URL", sim.token_url)
        monkeypatch.setenv("CLOUDCX_CLIENT_ID", sim.client_id)
        monkeypatch.setenv("CLOUDCX_CLIENT_SECRET", sim.client_secret)
        monkeypatch.setenv("CLOUDCX_USERNAME", sim.username)
        monkeypatch.setenv("CLOUDCX_PASSWORD", sim.password)
        with CloudCX() as cx:
            assert cx.config.auth_mode == "password"
            assert cx.users.list().total_elements == 3
        assert sim.token_requests == 1


@pytest.mark.anyio
async def test_async_client_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    with Simulator(users=4) as sim:
        monkeypatch.setenv("CLOUDCX_BASE_URL", sim.base_url)
        monkeypatch.setenv("CLOUDCX_API_KEY", sim.api_key)
        async with AsyncCloudCX() as cx:
            assert (await cx.users.list()).total_elements == 4


def test_token_url_from_the_environment_may_carry_a_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDCX_TOKEN_URL", "https://cx.example.net:9001/oauth/token")
    config = resolve_config(
        base_url="https://api.example.net", client_id="c", username="u", password="p"
    )
    assert config.token_url == "https://cx.example.net:9001/oauth/token"
    assert config.client_secret is None


def test_missing_base_url_names_the_setting() -> None:
    with pytest.raises(ConfigurationError, match="CLOUDCX_BASE_URL"):
        CloudCX(api_key="k")


def test_no_credentials_names_both_ways() -> None:
    with pytest.raises(ConfigurationError) as info:
        CloudCX(base_url="https://cx.example.net")
    message = str(info.value)
    assert "CLOUDCX_API_KEY" in message
    assert "CLOUDCX_PASSWORD" in message


def test_api_key_and_password_together_are_refused() -> None:
    # Both explicit: an explicit API key beside an exported password is no longer a conflict
    # (explicit beats the environment; tests/core/test_explicit_beats_environment.py).
    with pytest.raises(ConfigurationError, match="choose one") as info:
        CloudCX(
            base_url="https://cx.example.net",
            api_key="key-secret-value",
            password="hunter2-secret",
        )
    assert "hunter2-secret" not in str(info.value)
    assert "key-secret-value" not in str(info.value)


def test_incomplete_password_grant_names_what_is_missing() -> None:
    with pytest.raises(ConfigurationError) as info:
        CloudCX(base_url="https://cx.example.net", client_id="c", username="u")
    assert "password" in str(info.value)
    assert "CLOUDCX_PASSWORD" in str(info.value)
    assert "client_id" not in str(info.value).split("missing", 1)[1]


@pytest.mark.parametrize("url", ["cx.example.net", "ftp://cx.example.net", "https://", "::"])
def test_malformed_base_url_is_a_configuration_error(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        CloudCX(base_url=url, api_key="k")


def test_configuration_error_is_also_a_value_error() -> None:
    with pytest.raises(ValueError, match="CLOUDCX_BASE_URL"):
        CloudCX(api_key="k")


def test_reprs_show_no_secret() -> None:
    secrets = ("client-secret-value", "password-value")
    with CloudCX(
        base_url="https://cx.example.net",
        client_id="client-id",
        client_secret=secrets[0],
        username="agent",
        password=secrets[1],
    ) as cx:
        shown = " ".join([repr(cx), str(cx), repr(cx.config), repr(cx.client)])
    for secret in secrets:
        assert secret not in shown
