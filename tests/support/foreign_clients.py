"""Helpers shared by the compatibility tests: clients configured for a `ForeignServer`."""

from __future__ import annotations

from typing import Any

from cloudcx import AsyncCloudCX, CloudCX
from tests.support.foreign_server import ForeignServer, Recorded

__all__ = ["assert_api_request", "assert_token_request", "async_client", "client", "credentials"]


def credentials(server: ForeignServer, **overrides: Any) -> dict[str, Any]:
    """Password-grant settings for `server`; the secret only when the server has one."""
    settings: dict[str, Any] = {
        "base_url": server.base_url,
        "token_url": server.token_url,
        "client_id": server.client_id,
        "username": server.username,
        "password": server.password,
        "timeout": 10.0,
        "max_retries": 0,
    }
    if server.client_secret is not None:
        settings["client_secret"] = server.client_secret
    settings.update(overrides)
    return settings


def client(server: ForeignServer, **overrides: Any) -> CloudCX:
    """A sync client on the password grant against `server`."""
    return CloudCX(**credentials(server, **overrides))


def async_client(server: ForeignServer, **overrides: Any) -> AsyncCloudCX:
    """An async client on the password grant against `server`."""
    return AsyncCloudCX(**credentials(server, **overrides))


def assert_token_request(
    record: Recorded, server: ForeignServer, *, grant: str = "password"
) -> None:
    """The token request follows the seed and RFC 6749 §4.3.2 / §6 / §2.3.1."""
    assert record.method == "POST"
    assert record.headers["content-type"].startswith("application/x-www-form-urlencoded")
    assert "authorization" not in record.headers
    expected = {"grant_type", "client_id"}
    expected |= {"username", "password"} if grant == "password" else {"refresh_token"}
    if server.client_secret is not None:
        expected.add("client_secret")
    assert set(record.form) == expected
    assert record.form["grant_type"] == [grant]
    assert record.form["client_id"] == [server.client_id]
    if server.client_secret is not None:
        assert record.form["client_secret"] == [server.client_secret]
    if grant == "password":
        assert record.form["password"] == [server.password]


def assert_api_request(record: Recorded, token: str) -> None:
    """The API request carries the bearer token (RFC 6750 §2.1) and asks for JSON."""
    assert record.method == "GET"
    assert record.headers["authorization"] == f"Bearer {token}"
    assert "application/json" in record.headers["accept"]
