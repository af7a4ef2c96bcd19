"""Settings as callers really pass them: empty strings, wrong types, a token URL without path;
and what messages show of a URL and of server text."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cloudcx import (
    ClientConfig,
    CloudCX,
    ConfigurationError,
)
from cloudcx._config import ENV_VARS, resolve_config
from cloudcx._response import KNOWN_SECRETS_EXTENSION, describe_url, redirect_error, server_text
from cloudcx._secrets import REDACTED, Secret, redact
from tests.support.foreign_server import foreign_server

_BASE = "https://cx.example.net"
_GRANT: dict[str, Any] = {"client_id": "cid", "username": "ann", "password": "pw-1"}


def _resolve(*, environ: dict[str, str] | None = None, **explicit: Any) -> ClientConfig:
    return resolve_config(environ=environ or {}, **{"base_url": _BASE, **explicit})


def test_an_explicit_empty_string_counts_as_not_given() -> None:
    config = _resolve(**_GRANT, client_secret="", token_url="")
    assert config.client_secret is None
    assert config.token_url == _BASE + "/oauth/token"
    with pytest.raises(ConfigurationError, match="no credentials configured"):
        _resolve(api_key="")


def test_an_explicit_empty_string_falls_back_to_the_environment() -> None:
    config = _resolve(environ={ENV_VARS["api_key"]: "env-key"}, api_key="")
    assert config.api_key == Secret("env-key")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("api_key", 123),
        ("api_key", b"bytes-key"),
        ("password", 5),
        ("client_id", 5),
        ("base_url", 7),
        ("client_secret", Secret("s")),
    ],
)
def test_a_setting_of_the_wrong_type_is_named(name: str, value: object) -> None:
    explicit: dict[str, Any] = dict(_GRANT) if name != "api_key" else {}
    explicit[name] = value
    with pytest.raises(ConfigurationError, match=f"`{name}`.*must be a string") as caught:
        _resolve(**explicit)
    assert "bytes-key" not in str(caught.value)


def test_allow_insecure_http_must_be_a_bool() -> None:
    with pytest.raises(ConfigurationError, match="allow_insecure_http"):
        _resolve(**_GRANT, allow_insecure_http="yes")


@pytest.mark.parametrize("url", ["https://cx.example.net:9001", "https://cx.example.net:9001/"])
def test_a_token_url_without_a_path_is_refused_with_the_usual_path(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _resolve(**_GRANT, token_url=url)
    assert "https://cx.example.net:9001/oauth/token" in str(caught.value)


def test_the_password_may_be_left_out_only_when_a_saved_token_stands_in() -> None:
    without: dict[str, Any] = {"client_id": "cid", "username": "ann"}
    with pytest.raises(ConfigurationError, match="password"):
        _resolve(**without)
    config = resolve_config(environ={}, base_url=_BASE, password_optional=True, **without)
    assert config.auth_mode == "password"
    assert config.password is None
    with pytest.raises(ConfigurationError, match="username"):
        resolve_config(environ={}, base_url=_BASE, password_optional=True, client_id="cid")


def test_describe_url_masks_keywords_but_keeps_the_parameter() -> None:
    url = httpx.URL(_BASE + "/openapi/v2/user/page", params={"pageIndex": 2, "keywords": "Smith"})
    shown = describe_url(url)
    assert "Smith" not in shown
    assert "keywords=" in shown
    assert "pageIndex=2" in shown


def test_redact_masks_known_values_longest_first() -> None:
    text = "pw=abc, again abcdef, none"
    assert redact(text, [Secret("abc"), Secret("abcdef"), None]) == (
        f"pw={REDACTED}, again {REDACTED}, none"
    )
    assert redact("nothing", []) == "nothing"


def test_server_text_masks_the_secrets_sent_with_the_request() -> None:
    request = httpx.Request("GET", _BASE)
    request.extensions[KNOWN_SECRETS_EXTENSION] = (Secret("Tr0ub4dor"), None)
    response = httpx.Response(400, request=request)
    assert server_text(response, "wrong password Tr0ub4dor!") == "wrong password ***!"
    bare = httpx.Response(400, request=httpx.Request("GET", _BASE))
    assert server_text(bare, "access_token=abc") == "access_token=***"


@pytest.mark.parametrize(
    ("location", "suggested"),
    [
        ("https://new.example.net/openapi/v2/user/page", "https://new.example.net"),
        (
            "https://new.example.net/cx/openapi/v2/user/page?pageIndex=1",
            "https://new.example.net/cx",
        ),
        ("/login", "the new address"),
    ],
)
def test_a_redirect_suggests_the_base_url_up_to_the_api_path(location: str, suggested: str) -> None:
    request = httpx.Request("GET", _BASE + "/api/openapi/v2/user/page?keywords=Smith")
    response = httpx.Response(302, headers={"Location": location}, request=request)
    error = redirect_error(response, "base_url")
    assert error.status_code == 302
    assert f"set base_url to {suggested}" in error.message
    assert "Smith" not in str(error)


def test_explicit_empty_api_key_is_a_configuration_error() -> None:
    with foreign_server() as server, pytest.raises(ConfigurationError):
        CloudCX(base_url=server.base_url, api_key="").close()
