"""Settings: flags, then `CLOUDCX_*`, then a profile of the config file; `config show`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cloudcx.cli import main
from cloudcx.testing import Simulator
from tests.support.cli import Env, api_key_env, password_env, run


def _write(path: Path, text: str, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    os.chmod(path, mode)


def _shown(stdout: str) -> dict[str, tuple[str, ...]]:
    """`config show` as {name: (value words...)}."""
    return {line.split()[0]: tuple(line.split()[1:]) for line in stdout.splitlines()}


def test_profiles_come_from_the_config_file(env: Env, sim: Simulator) -> None:
    _write(
        env.config_file,
        f"""
[default]
base_url = "http://127.0.0.1:9"
api_key = "cxk_default_profile_key"

[profiles.sim]
base_url = "{sim.base_url}"
client_id = "{sim.client_id}"
client_secret = "{sim.client_secret}"
username = "{sim.username}"
password = "{sim.password}"
""",
    )
    by_flag = run(["--profile", "sim", "users", "list", "--format", "jsonl"], env.values)
    assert by_flag.returncode == 0, by_flag.stderr
    assert len(by_flag.stdout.splitlines()) == 25
    by_env = run(["users", "list", "--format", "jsonl"], env.with_(CLOUDCX_PROFILE="sim"))
    assert by_env.stdout == by_flag.stdout
    assert sim.token_requests == 1  # the profile's user, its token stored and reused
    after_command = run(["users", "list", "--profile", "sim", "--page-size", "1"], env.values)
    assert after_command.returncode == 0

    unknown = run(["--profile", "staging", "users", "list"], env.values)
    assert unknown.returncode == 2
    assert "no profile 'staging'" in unknown.stderr
    assert "profiles: sim" in unknown.stderr


def test_flags_beat_environment_beat_file(env: Env, sim: Simulator) -> None:
    _write(
        env.config_file,
        '[default]\nbase_url = "https://file.example.net"\nusername = "file-user"\n'
        'client_id = "file-client"\n',
    )
    environ = env.with_(CLOUDCX_BASE_URL="https://env.example.net", CLOUDCX_USERNAME="env-user")
    shown = _shown(run(["config", "show"], environ).stdout)
    assert shown["base_url"] == ("https://env.example.net", "CLOUDCX_BASE_URL")
    assert shown["username"] == ("env-user", "CLOUDCX_USERNAME")
    assert shown["client_id"] == ("file-client", "[default]", "in", "config.toml")
    assert shown["profile"] == ("default",)

    flagged = run(["config", "show", "--base-url", "https://flag.example.net"], environ)
    assert _shown(flagged.stdout)["base_url"] == ("https://flag.example.net", "--base-url")

    # And the winner is what the client really uses: the file's host is never contacted.
    _write(env.config_file, '[default]\nbase_url = "http://127.0.0.1:9"\n')
    assert run(["users", "list"], api_key_env(env, sim)).returncode == 0


def test_config_show_masks_every_secret(env: Env, sim: Simulator) -> None:
    _write(
        env.config_file,
        f'[default]\nbase_url = "{sim.base_url}"\nclient_id = "{sim.client_id}"\n'
        f'client_secret = "{sim.client_secret}"\nusername = "{sim.username}"\n',
    )
    result = run(["config", "show"], env.with_(CLOUDCX_PASSWORD=sim.password))
    assert result.returncode == 0, result.stderr
    for secret in (sim.password, sim.client_secret):
        assert secret not in result.stdout + result.stderr
    shown = _shown(result.stdout)
    assert shown["client_secret"][0] == "******" + sim.client_secret[-4:]
    assert shown["password"] == ("**********", "CLOUDCX_PASSWORD")
    assert shown["api_key"] == ("-",)
    assert shown["token"] == ("store", str(env.token_file))
    assert shown["auth"] == ("password", "grant")

    with_key = run(["config", "show"], api_key_env(env, sim) | {"CLOUDCX_CONFIG": "/nonexistent"})
    assert sim.api_key not in with_key.stdout
    assert _shown(with_key.stdout)["config"] == ("file", "/nonexistent", "(not", "found)")


def test_a_readable_file_with_secrets_draws_a_warning(env: Env, sim: Simulator) -> None:
    _write(
        env.config_file,
        f'[default]\nbase_url = "{sim.base_url}"\napi_key = "{sim.api_key}"\n',
        mode=0o644,
    )
    loose = run(["users", "list", "--format", "json"], env.values)
    assert loose.returncode == 0
    assert len(json.loads(loose.stdout)) == 25
    assert f"{env.config_file} holds secrets and is readable by others" in loose.stderr
    assert f"chmod 600 {env.config_file}" in loose.stderr
    assert sim.api_key not in loose.stderr

    os.chmod(env.config_file, 0o600)
    assert run(["users", "list"], env.values).stderr == ""


def test_a_broken_config_file_is_a_usage_error(
    env: Env, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(env.config_file, "[default\n")
    result = run(["config", "show"], env.values)
    assert result.returncode == 2
    assert result.stderr.startswith("cloudcx: configuration error: the config file ")
    assert "is not valid TOML" in result.stderr
    # The other cases in process, with the same environment.
    for name in [name for name in os.environ if name.startswith("CLOUDCX_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", env.values["XDG_CONFIG_HOME"])
    for text, expected in (
        ('[default]\npasswrd = "x"\n', "unknown setting 'passwrd'"),
        ('[defaults]\nbase_url = "x"\n', "unknown table [defaults]"),
        ("[default]\nbase_url = 3\n", "base_url in [default]"),
        ("profiles = 1\n", "[profiles] in"),
    ):
        _write(env.config_file, text)
        assert main(["config", "show"]) == 2, text
        err = capsys.readouterr().err
        assert expected in err, err
        assert err.count("\n") == 1


def test_cloudcx_config_points_at_another_file(env: Env, sim: Simulator, tmp_path: Path) -> None:
    elsewhere = tmp_path / "ops.toml"
    _write(elsewhere, f'[default]\nbase_url = "{sim.base_url}"\napi_key = "{sim.api_key}"\n')
    result = run(["users", "list", "--page-size", "2"], env.with_(CLOUDCX_CONFIG=str(elsewhere)))
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 3


def test_config_show_names_the_ignored_variables(env: Env, sim: Simulator) -> None:
    # The CLI takes no secret on its command line, so the explicit side is a grant flag: it
    # sets aside the API key exported beside the password grant's variables.
    environ = password_env(env, sim) | {"CLOUDCX_API_KEY": sim.api_key}
    flags = ["--client-id", sim.client_id, "--username", sim.username]
    shown = run(["config", "show", *flags], environ)
    assert shown.returncode == 0, shown.stderr
    (line,) = [line for line in shown.stdout.splitlines() if line.startswith("ignored")]
    assert "CLOUDCX_API_KEY" in line
    assert sim.api_key not in shown.stdout
    assert _shown(shown.stdout)["auth"] == ("password", "grant")
    listed = run(["users", "list", *flags], environ)
    assert listed.returncode == 0, listed.stderr
    assert sim.token_requests == 1
    # Without the flags nothing is explicit: both ways from the environment stay an error.
    assert "ignored" not in _shown(run(["config", "show"], environ).stdout)
    both = run(["users", "list"], environ)
    assert both.returncode == 2
    assert "both an API key (CLOUDCX_API_KEY)" in both.stderr
    assert "CLOUDCX_PASSWORD" in both.stderr
    assert "argument" not in both.stderr
    assert sim.password not in both.stderr
