"""The password prompt only when the stored token cannot stand in for the password."""

from __future__ import annotations

import pytest

from cloudcx.testing import Simulator
from tests.support.cli import Env, password_env, run, run_in_terminal

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow


def test_a_valid_stored_token_spares_the_prompt(env: Env, sim: Simulator) -> None:
    first = run(["users", "list"], password_env(env, sim))
    assert first.returncode == 0, first.stderr
    assert env.token_file.exists()
    second = run_in_terminal(["users", "list"], password_env(env, sim, password=False))
    assert second.returncode == 0, second.terminal
    assert "Password for" not in second.terminal
    assert sim.token_requests == 1
    assert sim.api_requests == 2


def test_a_refused_stored_token_is_forgotten_and_the_next_run_asks(
    env: Env, sim: Simulator
) -> None:
    assert run(["token"], password_env(env, sim)).returncode == 0
    sim.revoke_access_tokens()
    refused = run_in_terminal(["users", "list"], password_env(env, sim, password=False))
    assert refused.returncode == 2, refused.terminal
    assert "a password is needed" in refused.terminal
    assert "Password for" not in refused.terminal
    asked = run_in_terminal(
        ["users", "list"],
        password_env(env, sim, password=False),
        answer=("Password for", sim.password),
    )
    assert asked.returncode == 0, asked.terminal
    assert f"Password for {sim.username}: " in asked.terminal
    assert sim.token_requests == 2
