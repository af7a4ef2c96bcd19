"""Explicit beats the environment, per way to authenticate; contradictions name their sources."""

from __future__ import annotations

import pytest

from cloudcx import CloudCX, ConfigurationError
from cloudcx._config import resolve_config
from cloudcx.testing import Simulator

BASE = "https://cx.example.net"
GRANT_ENV = {
    "CLOUDCX_CLIENT_ID": "env-client",
    "CLOUDCX_CLIENT_SECRET": "env-secret",
    "CLOUDCX_USERNAME": "env-user",
    "CLOUDCX_PASSWORD": "env-password",
}


def test_explicit_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLOUDCX_BASE_URL", "https://from-env.example.net")
    monkeypatch.setenv("CLOUDCX_API_KEY", "env-key")
    config = resolve_config(base_url="https://explicit.example.net", api_key="explicit-key")
    assert config.base_url == "https://explicit.example.net"
    assert config.api_key is not None
    assert config.api_key.get_secret_value() == "explicit-key"
    assert config.token_url == "https://explicit.example.net/oauth/token"


def test_an_explicit_api_key_sets_aside_the_password_grant_environment() -> None:
    config = resolve_config(base_url=BASE, api_key="cxk_explicit", environ=GRANT_ENV)
    assert config.auth_mode == "api_key"
    assert config.client_id is None
    assert config.password is None
    assert config.ignored_env_vars == (
        "CLOUDCX_CLIENT_ID",
        "CLOUDCX_CLIENT_SECRET",
        "CLOUDCX_USERNAME",
        "CLOUDCX_PASSWORD",
    )


def test_an_explicit_grant_argument_sets_aside_the_environment_api_key() -> None:
    environ = {"CLOUDCX_API_KEY": "cxk_env", "CLOUDCX_CLIENT_ID": "env-client"}
    config = resolve_config(base_url=BASE, username="u", password="p", environ=environ)
    assert config.auth_mode == "password"
    assert config.api_key is None
    assert config.client_id == "env-client"  # the same way's settings still come from the env
    assert config.ignored_env_vars == ("CLOUDCX_API_KEY",)


def test_nothing_is_set_aside_without_a_conflict() -> None:
    assert resolve_config(base_url=BASE, api_key="k", environ={}).ignored_env_vars == ()
    both_explicit = resolve_config(
        base_url=BASE, username="u", password="p", client_id="c", environ={}
    )
    assert both_explicit.ignored_env_vars == ()


def test_contradictions_name_where_each_value_came_from() -> None:
    with pytest.raises(ConfigurationError) as explicit:
        resolve_config(base_url=BASE, api_key="k", username="u", environ={})
    assert "`api_key` argument" in str(explicit.value)
    assert "`username` argument" in str(explicit.value)
    assert "choose one way to authenticate" in str(explicit.value)

    with pytest.raises(ConfigurationError) as from_env:
        resolve_config(base_url=BASE, environ={"CLOUDCX_API_KEY": "k", **GRANT_ENV})
    message = str(from_env.value)
    assert "CLOUDCX_API_KEY" in message
    assert "CLOUDCX_PASSWORD" in message
    assert "argument" not in message
    for secret in ("env-secret", "env-password", "k)"):
        assert secret not in message

    with pytest.raises(ConfigurationError) as mixed:
        resolve_config(
            base_url=BASE, api_key="k", client_id="c", environ={"CLOUDCX_PASSWORD": "pw"}
        )
    assert "`client_id` argument" in str(mixed.value)
    assert "CLOUDCX_PASSWORD" in str(mixed.value)


def test_the_client_uses_its_api_key_beside_exported_grant_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Simulator(users=3) as sim:
        for name, value in GRANT_ENV.items():
            monkeypatch.setenv(name, value)
        with CloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
            assert cx.users.list().total_elements == 3
            assert "CLOUDCX_PASSWORD" in cx.config.ignored_env_vars
        assert sim.token_requests == 0
