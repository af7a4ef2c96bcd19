"""`--help` on every command, `--version`, and the library never importing the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cloudcx import __version__
from cloudcx.cli import main
from tests.support.cli import CLOUDCX, Env, run

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow

COMMANDS = [
    [],
    ["users"],
    ["users", "list"],
    ["token"],
    ["logout"],
    ["config"],
    ["config", "show"],
    ["simulate"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "cloudcx")
def test_every_command_has_help_with_examples(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*command, "--help"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"usage: cloudcx {' '.join(command)}".rstrip())
    assert "examples:\n  cloudcx " in out
    assert err == ""


def test_top_level_help_documents_exit_codes_and_completion(env: Env) -> None:
    result = run(["--help"], env.values)
    assert result.returncode == 0
    text = result.stdout
    assert "3 authentication error, 4 network error" in text
    assert "shell completion: not provided" in text


def test_version(env: Env) -> None:
    result = run(["--version"], env.values)
    assert result.returncode == 0
    assert result.stdout == f"cloudcx {__version__}\n"


def test_python_dash_m_is_the_same_command(env: Env) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cloudcx.cli", "--version"],
        env=env.values,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.stdout == f"cloudcx {__version__}\n"
    assert CLOUDCX.endswith("cloudcx")


def test_import_cloudcx_does_not_import_the_cli(env: Env) -> None:
    code = (
        "import sys, cloudcx\n"
        "assert 'cloudcx.cli' not in sys.modules, 'cli imported'\n"
        "assert 'argparse' not in sys.modules, 'argparse imported'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env.values,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
