"""Bad arguments and settings: every bad client setting, call argument, concurrency or token is a
`ConfigurationError` naming the setting and never quoting the value.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from cloudcx import (
    AsyncCloudCX,
    CloudCX,
    ConfigurationError,
    Secret,
    Token,
)
from cloudcx.testing import Simulator
from tests.support.clients import credentials
from tests.support.hostile_server import (
    PASSWORD,
    assert_no_secret,
)

_BASE: dict[str, Any] = {"base_url": "http://127.0.0.1:9", "api_key": "k"}
_GRANT: dict[str, Any] = {
    "base_url": "http://127.0.0.1:9",
    "client_id": "c",
    "username": "u",
    "password": "p",
}
_SURROGATE = PASSWORD + "\udcff"  # a non-UTF-8 byte in the environment arrives as this

_CONSTRUCTOR_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "timeout 10**400": ({**_BASE, "timeout": 10**400}, "timeout"),
    "timeout -10**5000": ({**_BASE, "timeout": -(10**5000)}, "timeout"),
    "httpx timeout phase 1e300": ({**_BASE, "timeout": httpx.Timeout(1e300)}, "timeout"),
    "refresh_skew 10**400": ({**_GRANT, "refresh_skew": 10**400}, "refresh_skew"),
    "refresh_skew nan": ({**_GRANT, "refresh_skew": float("nan")}, "refresh_skew"),
    "max_retries 10**5000": ({**_BASE, "max_retries": -(10**5000)}, "max_retries"),
    "password surrogate": ({**_GRANT, "password": _SURROGATE}, "password"),
    "client_secret surrogate": ({**_GRANT, "client_secret": _SURROGATE}, "client_secret"),
    "username surrogate": ({**_GRANT, "username": "u\udcff"}, "username"),
    "api_key NUL": ({**_BASE, "api_key": "k\x00"}, "api_key"),
    "IDNA-invalid A-label": ({**_BASE, "base_url": "https://xn--zz.example"}, "base_url"),
    "empty label": ({**_BASE, "base_url": "https://a..example"}, "base_url"),
    "64-byte label": ({**_BASE, "base_url": f"https://{'a' * 64}.example"}, "base_url"),
    "token_url IDNA": ({**_GRANT, "token_url": "https://xn--.example/t"}, "token_url"),
    "NUL in CA path": ({**_BASE, "verify": "/tmp/ca\x00.pem"}, "verify"),
    "surrogate CA path": ({**_BASE, "verify": "/tmp/ca\udcff.pem"}, "verify"),
    "max_response_bytes 10**400": ({**_BASE, "max_response_bytes": 10**400}, "max_response_bytes"),
}


@pytest.mark.parametrize("client", [CloudCX, AsyncCloudCX])
@pytest.mark.parametrize(
    ("settings", "name"), _CONSTRUCTOR_CASES.values(), ids=_CONSTRUCTOR_CASES.keys()
)
def test_a_bad_setting_names_itself_never_its_value(
    client: type[CloudCX] | type[AsyncCloudCX], settings: dict[str, Any], name: str
) -> None:
    with pytest.raises(ConfigurationError, match=name) as caught:
        client(**settings)
    assert_no_secret(caught.value, (PASSWORD,), frame_locals=False)


def test_a_surrogate_password_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CLOUDCX_PASSWORD", _SURROGATE)
    with pytest.raises(ConfigurationError, match="CLOUDCX_PASSWORD") as caught:
        CloudCX(base_url="http://127.0.0.1:9", client_id="c", username="u")
    assert_no_secret(caught.value, (PASSWORD,), frame_locals=False)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("base_url", f"https://user:{PASSWORD}@[::1"),
        ("proxy", f"ftp://user:{PASSWORD}@proxy.example"),
    ],
)
def test_a_malformed_url_holding_a_password_is_not_quoted_or_chained(
    setting: str, value: str
) -> None:
    with pytest.raises(ConfigurationError, match=setting) as caught:
        CloudCX(**{**_BASE, setting: value})
    assert_no_secret(caught.value, (PASSWORD,), frame_locals=False)


_CALL_CASES = {
    "page_index 10**5000": {"page_index": 10**5000},
    "page_size 10**400": {"page_size": 10**400},
    "keywords surrogate": {"keywords": "a\udcff"},
    "timeout 10**400": {"timeout": 10**400},
}


@pytest.mark.parametrize("arguments", _CALL_CASES.values(), ids=_CALL_CASES.keys())
def test_a_bad_call_argument_names_itself(arguments: dict[str, Any]) -> None:
    (name,) = arguments
    with CloudCX(**_BASE) as cx, pytest.raises(ConfigurationError, match=name):
        cx.users.list(**arguments)


@pytest.mark.parametrize(
    "arguments",
    [{"page_index": "1"}, {"page_index": 0}, {"page_size": 101}, {"keywords": 5}],
)
def test_bad_arguments_raise_configuration_errors(arguments: dict[str, object]) -> None:
    with Simulator(users=3) as sim, CloudCX(**credentials(sim)) as cx:
        with pytest.raises(ConfigurationError):
            cx.users.list(**arguments)  # type: ignore[arg-type]
        assert sim.api_requests == 0


@pytest.mark.anyio
@pytest.mark.parametrize("arguments", _CALL_CASES.values(), ids=_CALL_CASES.keys())
async def test_a_bad_call_argument_names_itself_async(arguments: dict[str, Any]) -> None:
    (name,) = arguments
    async with AsyncCloudCX(**_BASE) as cx:
        with pytest.raises(ConfigurationError, match=name):
            await cx.users.list(**arguments)


@pytest.mark.anyio
@pytest.mark.parametrize(
    "concurrency", [-(10**5000), 0, "x" * 1000], ids=["-10**5000", "0", "long"]
)
async def test_a_bad_concurrency_names_itself_and_is_not_echoed_whole(concurrency: Any) -> None:
    async with AsyncCloudCX(**_BASE) as cx:
        with pytest.raises(ConfigurationError, match="concurrency") as caught:
            cx.users.iter(concurrency=concurrency)
    assert len(str(caught.value)) < 200


def test_a_token_out_of_range_is_refused_by_name() -> None:
    far = datetime(9999, 12, 31, 23, 0, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(ConfigurationError, match="expires_at"):
        Token(access_token=Secret("t"), expires_at=far)
