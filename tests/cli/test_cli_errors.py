"""Exit codes and error lines: 0 ok, 1 API, 2 usage, 3 authentication, 4 network."""

from __future__ import annotations

import socket

import pytest

from cloudcx.cli import main
from cloudcx.testing import Fault, Simulator
from tests.support.cli import Env, api_key_env, password_env, run


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _one_line(stderr: str) -> str:
    assert stderr.endswith("\n")
    assert stderr.count("\n") == 1, stderr
    return stderr


def test_ok_is_zero(env: Env, sim: Simulator) -> None:
    assert run(["users", "list"], api_key_env(env, sim)).returncode == 0


def test_an_error_envelope_is_one_line_and_exit_1(env: Env, sim: Simulator) -> None:
    sim.inject(Fault.envelope_error("1002", "tenant suspended", 200), route="users")
    result = run(["users", "list"], api_key_env(env, sim))
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert line.startswith("cloudcx: API error: ")
    assert "tenant suspended" in line
    assert "code=1002" in line
    assert result.stdout == ""


def test_an_unreadable_answer_is_exit_1(env: Env, sim: Simulator) -> None:
    sim.inject(Fault.wrong_type("totalPages", "many"), route="users")
    result = run(["users", "list"], api_key_env(env, sim))
    assert result.returncode == 1
    assert "totalPages" in _one_line(result.stderr)


def test_usage_errors_are_exit_2(
    env: Env, sim: Simulator, capsys: pytest.CaptureFixture[str]
) -> None:
    result = run(["users", "list", "--page-size", "500"], api_key_env(env, sim))
    assert result.returncode == 2
    assert "--page-size: must be at most 100, got 500" in result.stderr
    # The rest in process: argparse refuses them before any setting is read.
    for args in (
        ["users", "list", "--page", "0"],
        ["users", "list", "--page", "2", "--all"],
        ["users", "list", "--format", "yaml"],
        ["users", "delete"],
        ["users"],
        [],
    ):
        assert main(args) == 2, args
        assert "usage: cloudcx" in capsys.readouterr().err, args
    assert sim.api_requests == 0


def test_missing_configuration_is_exit_2(env: Env, sim: Simulator) -> None:
    result = run(["users", "list"], env.values)
    assert result.returncode == 2
    assert "configuration error: no API host configured" in _one_line(result.stderr)

    both = run(["users", "list"], password_env(env, sim) | {"CLOUDCX_API_KEY": sim.api_key})
    assert both.returncode == 2
    assert "choose one way to authenticate" in _one_line(both.stderr)


def test_refused_credentials_are_exit_3(env: Env, sim: Simulator) -> None:
    wrong_password = password_env(env, sim) | {"CLOUDCX_PASSWORD": "not-the-password"}
    result = run(["users", "list"], wrong_password)
    assert result.returncode == 3
    line = _one_line(result.stderr)
    assert line.startswith("cloudcx: authentication failed: ")
    assert "not-the-password" not in line

    wrong_key = api_key_env(env, sim) | {"CLOUDCX_API_KEY": "cxk_wrong_key_123456"}
    result = run(["users", "list"], wrong_key)
    assert result.returncode == 3, result.stderr
    assert "cxk_wrong_key_123456" not in _one_line(result.stderr)


def test_no_connection_is_exit_4(env: Env) -> None:
    environ = env.with_(
        CLOUDCX_BASE_URL=f"http://127.0.0.1:{_closed_port()}", CLOUDCX_API_KEY="cxk_any_key"
    )
    result = run(["users", "list"], environ)
    assert result.returncode == 4
    assert _one_line(result.stderr).startswith("cloudcx: network error: ")


def test_debug_adds_the_traceback_and_the_debug_log(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim)
    token = run(["token", "--raw"], environ).stdout.strip()
    sim.inject(Fault.envelope_error("1002", "tenant suspended", 200), route="users", count=2)
    result = run(["--debug", "users", "list"], environ)
    assert result.returncode == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert " DEBUG cloudcx" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("cloudcx: API error: ")
    for secret in (sim.password, sim.client_secret, token):
        assert secret not in result.stderr
    # Accepted after the command's name too.
    after = run(["users", "list", "--debug"], environ)
    assert "Traceback (most recent call last)" in after.stderr


def test_debug_log_keeps_the_query_and_secrets_out(env: Env, sim: Simulator) -> None:
    # The keywords may be a person's name: the README promises the query is never logged, and
    # httpx's own INFO line ("HTTP Request: GET <full URL>") would print it.
    environ = password_env(env, sim)
    keywords = "zq-Quasimodo-7731"
    result = run(["--debug", "users", "list", "--keywords", keywords], environ)
    assert result.returncode == 0, result.stderr
    assert " DEBUG cloudcx" in result.stderr
    assert "GET /openapi/v2/user/page -> 200" in result.stderr
    token = run(["token", "--raw"], environ).stdout.strip()  # the stored one, reused
    assert sim.token_requests == 1
    for private in (keywords, "keywords=", sim.password, sim.client_secret, token):
        assert private not in result.stderr
    assert "httpx" not in result.stderr
    assert "httpcore" not in result.stderr


def test_the_page_size_limit_is_the_librarys(env: Env, sim: Simulator) -> None:
    # One constant: the CLI must not drift from what `users.list()` accepts.
    from cloudcx.cli import _parser
    from cloudcx.resources.users import MAX_PAGE_SIZE

    assert vars(_parser).get("MAX_PAGE_SIZE") is MAX_PAGE_SIZE
    assert "_MAX_PAGE_SIZE" not in vars(_parser)
    environ = api_key_env(env, sim)
    biggest = run(["users", "list", "--page-size", str(MAX_PAGE_SIZE), "--format", "csv"], environ)
    assert biggest.returncode == 0, biggest.stderr
    too_big = run(["users", "list", "--page-size", str(MAX_PAGE_SIZE + 1)], environ)
    assert too_big.returncode == 2
    assert f"must be at most {MAX_PAGE_SIZE}" in too_big.stderr


def test_control_characters_in_a_server_message_are_shown_not_obeyed(
    env: Env, sim: Simulator
) -> None:
    sim.inject(Fault.envelope_error("1002", "tenant\x1b[2J\x1b]0;pwned\x07 suspended", 200))
    result = run(["users", "list"], api_key_env(env, sim))
    assert result.returncode == 1
    line = _one_line(result.stderr)
    assert r"tenant\x1b[2J\x1b]0;pwned\x07 suspended" in line
    assert "\x1b" not in line
    assert "\x07" not in line
