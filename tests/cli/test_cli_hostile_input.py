"""The `cloudcx` command against hostile servers and careless invocations.

In-process through `main(argv)`: exit codes (2 for usage and configuration, 3 for a
refused authentication, 1 for a bad answer), nothing secret on stdout or stderr, the server's
escape sequences shown rather than obeyed, and every run bounded.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cloudcx._token_store import token_store_key
from tests.support.cli import run
from tests.support.hostile_server import (
    API_KEY,
    CLIENT_ID,
    CLIENT_SECRET,
    ISSUED_TOKEN,
    PASSWORD,
    USERNAME,
    Connection,
    HostileServer,
    gzip_bomb,
    hostile,
    token_answer,
)

_KEEP = ("PATH", "LANG", "LC_ALL", "TMPDIR")


@pytest.fixture
def environ(tmp_path: Path) -> dict[str, str]:
    values = {name: os.environ[name] for name in _KEEP if name in os.environ}
    values.update(
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return values


def _api_key(environ: dict[str, str], server: HostileServer) -> dict[str, str]:
    return {**environ, "CLOUDCX_BASE_URL": server.base_url, "CLOUDCX_API_KEY": API_KEY}


def _grant(environ: dict[str, str], server: HostileServer) -> dict[str, str]:
    return {
        **environ,
        "CLOUDCX_BASE_URL": server.base_url,
        "CLOUDCX_CLIENT_ID": CLIENT_ID,
        "CLOUDCX_CLIENT_SECRET": CLIENT_SECRET,
        "CLOUDCX_USERNAME": USERNAME,
        "CLOUDCX_PASSWORD": PASSWORD,
    }


def _no_secret(*texts: str) -> None:
    for text in texts:
        for secret in (API_KEY, CLIENT_SECRET, PASSWORD, ISSUED_TOKEN):
            assert secret not in text


def _never(path: str, connection: Connection) -> None:
    raise AssertionError("nothing may be sent")


@pytest.mark.parametrize(
    "args",
    [
        ["--password", PASSWORD, "users", "list"],
        ["users", "list", f"--client-secret={CLIENT_SECRET}"],
        ["users", "list", "--api-key", API_KEY],
        ["--passw", PASSWORD, "users", "list"],
        ["--pw", PASSWORD, "users", "list"],
        ["users", "list", f"--cs={CLIENT_SECRET}"],
    ],
    ids=[
        "--password x",
        "--client-secret=x",
        "--api-key after the command",
        "--passw x (an abbreviation)",
        "--pw x (an unknown flag)",
        "--cs=x (an unknown flag)",
    ],
)
def test_a_secret_given_as_a_flag_is_not_echoed(environ: dict[str, str], args: list[str]) -> None:
    result = run(args, environ)
    assert result.returncode == 2
    assert "usage" in result.stderr
    _no_secret(result.stdout, result.stderr)


def test_a_surrogate_password_exits_2_unquoted(environ: dict[str, str]) -> None:
    # A password with a byte that is not UTF-8 reaches Python as a lone surrogate.
    with hostile(_never) as server:
        raw = {k: v.encode() for k, v in _grant(environ, server).items()}
        raw["CLOUDCX_PASSWORD"] = PASSWORD.encode() + b"\xff"
        result = run(["users", "list"], {k: os.fsdecode(v) for k, v in raw.items()})
    assert result.returncode == 2, result.stderr
    assert "CLOUDCX_PASSWORD" in result.stderr
    _no_secret(result.stdout, result.stderr)
    assert server.requests == []


@pytest.mark.parametrize(
    ("args", "base_url"),
    [
        (["users", "list", "--page", "1" * 5000], None),
        (["users", "list"], "https://xn--zz.example"),
        (["users", "list"], "https://a..example"),
    ],
    ids=["page 10**5000", "IDNA-invalid", "empty label"],
)
def test_bad_settings_exit_2(
    environ: dict[str, str], args: list[str], base_url: str | None
) -> None:
    with hostile(_never) as server:
        values = _api_key(environ, server)
        if base_url is not None:
            values["CLOUDCX_BASE_URL"] = base_url
        result = run(args, values)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr


_ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


def _escaping(path: str, connection: Connection) -> None:
    connection.respond_json({"code": "4001", "message": f"bad {_ESCAPE}"}, "400 Bad Request")


def test_debug_shows_the_servers_escape_sequences_not_obeys_them(environ: dict[str, str]) -> None:
    with hostile(_escaping) as server:
        result = run(["--debug", "users", "list"], _api_key(environ, server))
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "\x1b" not in result.stderr
    assert "\\x1b" in result.stderr


def _hostile_api(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
    elif "page" in path:
        connection.respond(
            "302 Found", headers={"Location": f"/x/{ISSUED_TOKEN}?s={CLIENT_SECRET}#{PASSWORD}"}
        )


def test_a_redirect_echoing_secrets_is_masked_on_the_command_line(
    environ: dict[str, str],
) -> None:
    with hostile(_hostile_api) as server:
        result = run(["--debug", "users", "list"], _grant(environ, server))
    assert result.returncode == 1
    assert "redirect" in result.stderr
    _no_secret(result.stdout, result.stderr)


_BOMB = gzip_bomb(inflated=48 * 1024 * 1024)  # past the 32 MiB default cap


def _bomb(path: str, connection: Connection) -> None:
    connection.respond(body=_BOMB, headers={"Content-Encoding": "gzip"})


def test_a_gzip_bomb_ends_at_the_default_cap(environ: dict[str, str]) -> None:
    with hostile(_bomb) as server:
        started = time.monotonic()
        result = run(["users", "list"], _api_key(environ, server))
        elapsed = time.monotonic() - started
    print(f"\nCLI gzip bomb: exit {result.returncode} after {elapsed:.2f} s")
    assert result.returncode == 1
    assert "max_response_bytes" in result.stderr


def _challenge(path: str, connection: Connection) -> None:
    header = "Bearer " + "x" * (90 * 1024)
    connection.respond("401 Unauthorized", b"{}", {"WWW-Authenticate": header})


def test_a_huge_challenge_exits_3(environ: dict[str, str]) -> None:
    with hostile(_challenge) as server:
        result = run(["users", "list"], _api_key(environ, server))
    assert result.returncode == 3


@pytest.mark.parametrize("content", ['{"version": 1, "tokens": ' + "[" * 100_000, "bad"])
def test_logout_with_a_hostile_token_store_exits_0(environ: dict[str, str], content: str) -> None:
    with hostile(_never) as server:
        values = _grant(environ, server)
        store = Path(values["XDG_CACHE_HOME"]) / "cloudcx" / "tokens.json"
        store.parent.mkdir(parents=True)
        store.write_text(content)
        result = run(["logout"], values)
    assert result.returncode == 0, result.stderr


def test_logout_with_an_out_of_range_stored_date_exits_0(environ: dict[str, str]) -> None:
    with hostile(_never) as server:
        values = _grant(environ, server)
        store = Path(values["XDG_CACHE_HOME"]) / "cloudcx" / "tokens.json"
        store.parent.mkdir(parents=True)
        entry = {"access_token": "t", "expires_at": "0001-01-01T00:00:00+05:00"}
        key = token_store_key(server.base_url + "/oauth/token", CLIENT_ID, USERNAME)
        tokens = {key: entry}
        store.write_text(json.dumps({"version": 1, "tokens": tokens}))
        result = run(["logout"], values)
    assert result.returncode == 0, result.stderr
