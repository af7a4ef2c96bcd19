"""Under a pseudo-terminal: the password prompt, the table, the progress indicator."""

from __future__ import annotations

import re

import pytest

from cloudcx.testing import Simulator
from tests.support.cli import ERASE, Env, api_key_env, password_env, run, run_in_terminal

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow

PROGRESS = re.compile(r"fetched page (\d+)/(\d+), (\d+)/(\d+) users")


def test_the_password_is_asked_for_without_echo(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim, password=False)
    result = run_in_terminal(
        ["token"], environ, stdout_tty=False, answer=("Password for", sim.password)
    )
    assert result.returncode == 0, result.terminal
    assert f"Password for {sim.username}: " in result.terminal
    assert sim.password not in result.terminal  # typed, but not echoed
    assert "type:" in result.stdout
    assert sim.token_requests == 1


def test_a_wrong_password_at_the_prompt_is_exit_3(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim, password=False)
    result = run_in_terminal(["users", "list"], environ, answer=("Password for", "guess-1234"))
    assert result.returncode == 3
    assert "authentication failed" in result.terminal
    assert "guess-1234" not in result.terminal


def test_without_a_terminal_a_missing_password_is_exit_2(env: Env, sim: Simulator) -> None:
    result = run(["token"], password_env(env, sim, password=False))
    assert result.returncode == 2
    assert "CLOUDCX_PASSWORD" in result.stderr
    assert sim.token_requests == 0


def _table_lines(text: str) -> list[str]:
    return [line for line in ERASE.sub("\n", PROGRESS.sub("", text)).split("\n") if line.strip()]


def _assert_aligned(lines: list[str], names: list[str]) -> None:
    assert lines[0].split() == names
    starts = [lines[0].index(name) for name in names[1:]]
    for line in lines[1:]:
        for start in starts:
            assert line[start - 2 : start] == "  ", line
            assert line[start] != " ", line


def test_the_table_on_a_terminal_is_aligned_with_a_page_hint(env: Env, sim: Simulator) -> None:
    result = run_in_terminal(["users", "list", "--page-size", "10"], api_key_env(env, sim))
    assert result.returncode == 0, result.terminal
    *table, hint = _table_lines(result.terminal)
    _assert_aligned(table, ["loginCode", "firstName", "lastName", "email", "roles"])
    assert len(table) == 11
    assert hint.startswith("page 1 of 6, 10 of 60 users; --page N")


def test_progress_is_drawn_when_stderr_is_a_terminal(env: Env, sim: Simulator) -> None:
    environ = api_key_env(env, sim)
    piped_rows = run_in_terminal(
        ["users", "list", "--all", "--format", "csv", "--columns", "id"],
        environ,
        stdout_tty=False,
    )
    assert piped_rows.returncode == 0, piped_rows.terminal
    assert len(piped_rows.stdout.splitlines()) == 61
    steps = [tuple(map(int, m)) for m in PROGRESS.findall(piped_rows.terminal)]
    assert steps == [(1, 3, 25, 60), (2, 3, 50, 60), (3, 3, 60, 60)]
    assert piped_rows.terminal.endswith("\r\x1b[K")  # erased when done

    everything = run_in_terminal(["users", "list", "--all"], environ)
    assert everything.returncode == 0, everything.terminal
    assert len(PROGRESS.findall(everything.terminal)) == 3
    table = _table_lines(everything.terminal)
    assert len(table) == 61  # the progress line never lands inside the rows
    _assert_aligned(table[:26], ["loginCode", "firstName", "lastName", "email", "roles"])


def test_no_progress_when_stderr_is_piped(env: Env, sim: Simulator) -> None:
    result = run_in_terminal(["users", "list", "--all"], api_key_env(env, sim), stderr_tty=False)
    assert result.returncode == 0
    assert result.stderr == ""
    assert not PROGRESS.search(result.terminal)
    assert "\x1b" not in result.terminal
    assert len(_table_lines(result.terminal)) == 61


def test_an_empty_answer_at_the_prompt_is_exit_2(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim, password=False)
    result = run_in_terminal(["token"], environ, answer=("Password for", ""))
    assert result.returncode == 2
    assert "configuration error: no password entered" in result.terminal
    assert sim.token_requests == 0


def test_no_prompt_when_the_user_is_not_configured(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim, password=False) | {"CLOUDCX_USERNAME": ""}
    result = run_in_terminal(["token"], environ)
    assert result.returncode == 2
    assert "Password for" not in result.terminal
    assert "missing `username` (or CLOUDCX_USERNAME)" in result.terminal
