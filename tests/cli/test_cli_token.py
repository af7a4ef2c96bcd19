"""`cloudcx token` and `cloudcx logout`: masking, `--raw`, reuse through the token store."""

from __future__ import annotations

import json

from cloudcx.testing import Simulator
from tests.support.cli import Env, api_key_env, password_env, run


def test_token_is_described_and_masked(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim)
    shown = run(["token"], environ)
    assert shown.returncode == 0, shown.stderr
    fields = dict(line.split(":", 1) for line in shown.stdout.splitlines())
    assert fields["type"].strip() == "Bearer"
    assert fields["remaining"].strip().startswith(("59m", "1h 00m"))
    assert fields["expires"].strip()[:4].isdigit()

    raw = run(["token", "--raw"], environ)
    assert raw.returncode == 0, raw.stderr
    token = raw.stdout.strip()
    assert raw.stdout == token + "\n"
    assert token.count(".") == 2  # the simulator's tokens are JWT-shaped
    assert token not in shown.stdout
    assert fields["token"].strip() == "******" + token[-4:]
    for secret in (sim.password, sim.client_secret):
        assert secret not in shown.stdout + shown.stderr + raw.stderr


def test_the_token_is_reused_across_invocations(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim)
    first = run(["token", "--raw"], environ)
    second = run(["token", "--raw"], environ)
    listed = run(["users", "list", "--format", "jsonl"], environ)
    assert first.returncode == second.returncode == listed.returncode == 0
    assert first.stdout == second.stdout
    assert sim.token_requests == 1
    # The store holds it, readable by its owner only, and not under a readable name.
    assert env.token_file.stat().st_mode & 0o077 == 0
    stored = env.token_file.read_text()
    assert sim.username not in stored
    assert len(json.loads(stored)["tokens"]) == 1


def test_logout_deletes_the_stored_token(env: Env, sim: Simulator) -> None:
    environ = password_env(env, sim)
    first = run(["token", "--raw"], environ)
    out = run(["logout"], environ)
    assert out.returncode == 0, out.stderr
    assert out.stderr == f"logged out {sim.username} at {sim.token_url}\n"
    assert json.loads(env.token_file.read_text())["tokens"] == {}

    again = run(["logout"], environ)
    assert again.stderr.startswith("no stored token for ")
    second = run(["token", "--raw"], environ)
    assert sim.token_requests == 2
    assert second.stdout != first.stdout


def test_logout_needs_no_password(env: Env, sim: Simulator) -> None:
    run(["token"], password_env(env, sim))
    out = run(["logout"], password_env(env, sim, password=False))
    assert out.returncode == 0, out.stderr
    assert out.stderr.startswith("logged out ")


def test_token_with_an_api_key_is_a_usage_error(env: Env, sim: Simulator) -> None:
    result = run(["token"], api_key_env(env, sim))
    assert result.returncode == 2
    assert "needs the password grant" in result.stderr
    assert sim.api_key not in result.stderr
