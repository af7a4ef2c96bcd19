"""The API grows, and nothing is written by hand (issue 13).

On a temporary copy of the project, operations of five shapes are added to the spec (a get by
ID, a paged list of another resource, a create with a JSON body, a delete whose data is null,
a list of teams whose data is a `$ref` to an array schema);
the generator runs; `git status overrides/` stays clean; and in a subprocess that imports the
regenerated packages, every new method is called, sync and async, against a loopback server
that is not the simulator (`_grown_calls.py`).
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.grown_spec import grow_project_spec, run_grown
from tests.support.tools import ROOT

# PyYAML (a dependency of the generator) ships no type stubs.
yaml: Any = importlib.import_module("yaml")

pytestmark = pytest.mark.slow

TIMEOUT = 300
CALLS = Path(__file__).resolve().parent / "_grown_calls.py"


def _git(tree: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=growth", "-c", "user.email=growth@example.invalid", *args],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_added_operations_become_typed_methods_with_no_change_under_overrides(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "project"
    for name in ("spec", "generator", "generated", "overrides"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tree, "init", "--quiet")
    _git(tree, "add", "--all")
    _git(tree, "commit", "--quiet", "-m", "before growth")
    spec_path = tree / "spec" / "cloudcx.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    grow_project_spec(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))

    generation = subprocess.run(
        [sys.executable, str(tree / "generator" / "regenerate.py")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert generation.returncode == 0, generation.stdout + generation.stderr
    assert _git(tree, "status", "--porcelain", "overrides/") == ""
    changed = _git(tree, "status", "--porcelain", "generated/")
    assert "generated/cloudcx_openapi/resources.py" in changed

    calls = run_grown(CALLS, [tree / "overrides", tree / "generated"], tmp_path)
    assert calls.returncode == 0, calls.stdout + calls.stderr
    assert f"cloudcx from {tree / 'overrides'}" in calls.stdout
    assert "grown calls: ok" in calls.stdout
