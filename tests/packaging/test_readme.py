"""The README as a package index shows it: the quick start runs as written; links are absolute."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.tools import ROOT

README = (ROOT / "README.md").read_text()


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.index("\n## ", start + 1)
    return README[start:end]


def test_users_come_first() -> None:
    headings = re.findall(r"^## (.+)$", README, flags=re.MULTILINE)
    assert headings[:3] == ["Install", "Quick start", "Library guide"]
    assert "pip install cloudcx" in _section("Install")
    assert headings.index("Contributing") > headings.index("The `cloudcx` command line")
    contributing = _section("Contributing")
    for need in ("make demo", "make test", "Node.js 20", "Java 17", "Go"):
        assert need in contributing


@pytest.mark.slow
def test_the_quick_start_runs_as_written(tmp_path: Path) -> None:
    (code,) = re.findall(r"```python\n(.*?)```", _section("Quick start"), flags=re.DOTALL)
    script = tmp_path / "quick_start.py"
    script.write_text(code)
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == "5 users"
    assert lines[0].startswith("freesiaTest ")
    assert len(lines) == 4


def test_no_link_is_relative() -> None:
    targets = re.findall(r"\]\(([^)]+)\)", README)
    assert targets
    assert [t for t in targets if not t.startswith(("https://", "http://", "#"))] == []
