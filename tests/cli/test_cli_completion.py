"""`cloudcx completion bash|zsh|fish`: scripts derived from the parser, run in a real bash."""

from __future__ import annotations

import argparse
import shutil
import subprocess

import pytest

from cloudcx.cli._completion import command_tree, completion_script
from cloudcx.cli._parser import build_parser
from tests.support.cli import Env, run

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow


def _complete(script: str, words: list[str]) -> list[str]:
    """What bash offers after `words` (the last one being completed), via the real function."""
    quoted = " ".join(f"'{word}'" for word in words)
    program = (
        f"{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _cloudcx; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    result = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, timeout=30, check=True
    )
    return result.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completes_commands_options_and_choices(env: Env) -> None:
    result = run(["completion", "bash"], env.values)
    assert result.returncode == 0, result.stderr
    script = result.stdout
    assert set(_complete(script, ["cloudcx", ""])) >= {"users", "token", "config", "completion"}
    assert _complete(script, ["cloudcx", "us"]) == ["users"]
    assert _complete(script, ["cloudcx", "users", ""]) == ["list", "--help"]
    assert "--page-size" in _complete(script, ["cloudcx", "users", "list", "--"])
    assert _complete(script, ["cloudcx", "users", "list", "--format", "j"]) == ["json", "jsonl"]
    assert _complete(script, ["cloudcx", "completion", ""]) == ["bash", "zsh", "fish", "--help"]


def test_zsh_and_fish_scripts_cover_every_command(env: Env) -> None:
    zsh = run(["completion", "zsh"], env.values).stdout
    assert zsh.startswith("#compdef cloudcx")
    assert "complete -F _cloudcx cloudcx" in zsh
    fish = run(["completion", "fish"], env.values).stdout
    assert "complete -c cloudcx -n '__cloudcx_at users' -a 'list'" in fish
    assert "complete -c cloudcx -n '__cloudcx_at users list' -l format -x -a 'table" in fish
    assert run(["completion", "tcsh"], env.values).returncode == 2


def test_a_command_added_to_the_parser_completes_without_a_change() -> None:
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    added = commands.add_parser("calls", help="the call log")
    added.add_argument("--since")
    tree = command_tree(parser)
    assert tree.children["calls"].options == ("--help", "--since")
    assert "'__cloudcx_at calls' -l since" in completion_script(parser, "fish")
    assert "calls) words='--help --since' ;;" in completion_script(parser, "bash")
