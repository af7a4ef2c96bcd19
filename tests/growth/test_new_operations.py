"""The API grows, and nothing is written by hand (issue 13).

On a temporary copy of the project, operations of seven shapes are added to the spec (a get by
ID, a paged list of another resource, a create with a JSON body, a delete whose data is null,
a list of teams whose data is a `$ref` to an array schema, a find of one team and a list of
teams whose data may be null);
the generator runs; `git status overrides/` stays clean; in a subprocess that imports the
regenerated packages, every new method is called, sync and async, against a loopback server
that is not the simulator (`_grown_calls.py`); and mypy --strict infers `| None` for the
methods whose data may be null, and only for them.
"""

from __future__ import annotations

import importlib
import os
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


def _run_python(args: list[str], cwd: Path, environment: dict[str, str] | None = None) -> None:
    """Run this interpreter with `args` in `cwd`; fail the test, showing its output, on failure."""
    result = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


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

    _run_python([str(tree / "generator" / "regenerate.py")], tree)
    assert _git(tree, "status", "--porcelain", "overrides/") == ""
    changed = _git(tree, "status", "--porcelain", "generated/")
    assert "generated/cloudcx_openapi/resources.py" in changed

    calls = run_grown(CALLS, [tree / "overrides", tree / "generated"], tmp_path)
    assert calls.returncode == 0, calls.stdout + calls.stderr
    assert f"cloudcx from {tree / 'overrides'}" in calls.stdout
    assert "grown calls: ok" in calls.stdout
    _check_types(tree, tmp_path)


# What mypy --strict must infer for the grown methods: `| None` exactly where the spec allows
# a null `data` (`find`, `list_archived`), on both clients and through `parse()`.
_TYPED_CALLS = """
from typing import assert_type

from cloudcx import AsyncCloudCX, CloudCX
from cloudcx_openapi.models import Team


def calls(cx: CloudCX) -> None:
    assert_type(cx.teams.find(name="x"), Team | None)
    assert_type(cx.teams.with_raw_response.find(name="x").parse(), Team | None)
    assert_type(cx.teams.list_archived(name="x"), list[Team] | None)
    assert_type(cx.teams.list(), list[Team])


async def async_calls(cx: AsyncCloudCX) -> None:
    assert_type(await cx.teams.find(name="x"), Team | None)
    raw = await cx.teams.with_raw_response.list_archived(name="x")
    assert_type(raw.parse(), list[Team] | None)
    assert_type(await cx.teams.list(), list[Team])
"""


def _check_types(tree: Path, scratch: Path) -> None:
    """Run mypy --strict over `_TYPED_CALLS` against the regenerated packages."""
    snippet = scratch / "typed_calls.py"
    snippet.write_text(_TYPED_CALLS, encoding="utf-8")
    environment = {
        **os.environ,
        "MYPYPATH": os.pathsep.join([str(tree / "overrides"), str(tree / "generated")]),
    }
    mypy = ["-m", "mypy", "--strict", "--follow-imports=silent", str(snippet)]
    _run_python([*mypy, "--cache-dir", str(scratch / "mypy-cache")], scratch, environment)
