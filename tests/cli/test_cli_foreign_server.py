"""The `cloudcx` executable against the foreign server, in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.foreign_server import ForeignServer, Quirks, foreign_server

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow

CLI = Path(sys.executable).parent / "cloudcx"


def _run(
    server: ForeignServer, tmp_path: Path, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("CLOUDCX_")}
    environ.update(
        {
            "CLOUDCX_BASE_URL": server.base_url,
            "CLOUDCX_TOKEN_URL": server.token_url,
            "CLOUDCX_CLIENT_ID": server.client_id,
            "CLOUDCX_USERNAME": server.email,
            "CLOUDCX_PASSWORD": server.password,
            "CLOUDCX_CONFIG": str(tmp_path / "absent.toml"),
            "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
        }
    )
    if server.client_secret is not None:
        environ["CLOUDCX_CLIENT_SECRET"] = server.client_secret
    environ.update(env)
    return subprocess.run(
        [str(CLI), *args],
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        check=False,
    )


def test_cli_lists_all_users_through_a_quirky_server(tmp_path: Path) -> None:
    quirks = Quirks(
        gzip=True,
        chunked=True,
        token_type="bearer",
        content_type="application/json;charset=UTF-8",
        extra_fields=True,
    )
    with foreign_server(quirks, separate_token_port=True) as server:
        result = _run(
            server, tmp_path, "users", "list", "--all", "--page-size", "7", "--format", "jsonl"
        )
        keyword = _run(
            server, tmp_path, "users", "list", "--keywords", "José Ñ", "--format", "json"
        )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 26
    assert keyword.returncode == 0, keyword.stderr
    assert [row["firstName"] for row in json.loads(keyword.stdout)] == ["José"]
    # The second run reused the stored token: one token request for both processes.
    assert len(server.token_requests) == 1
    assert server.token_requests[0].form["username"] == [server.email]
    assert server.api_requests[-1].query["keywords"] == ["José Ñ"]


def test_cli_wrong_password_exits_with_the_auth_code(tmp_path: Path) -> None:
    with foreign_server() as server:
        result = _run(server, tmp_path, "users", "list", CLOUDCX_PASSWORD="wrong-Pa55-xyz")
    assert result.returncode == 3
    assert "invalid_grant" in result.stderr
    assert "wrong-Pa55-xyz" not in result.stderr + result.stdout
    assert server.client_secret is not None
    assert server.client_secret not in result.stderr + result.stdout
