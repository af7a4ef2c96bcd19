"""One `python -m build` of the repository, shared by the packaging tests of a worker."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.tools import ROOT

# Bounds every build and install step: a hung registry or build must fail the test, not hang it.
STEP_TIMEOUT = 300


@dataclass(frozen=True)
class Distributions:
    """The sdist and the wheel one build produced."""

    sdist: Path
    wheel: Path


def run(command: list[str], *, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a step, failing the test with its output when it fails."""
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def distributions(tmp_path_factory: pytest.TempPathFactory) -> Distributions:
    """Build sdist and wheel with one `python -m build` (the wheel is built from the sdist)."""
    out = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)])
    (sdist,) = out.glob("cloudcx-*.tar.gz")
    (wheel,) = out.glob("cloudcx-*.whl")
    return Distributions(sdist=sdist, wheel=wheel)


@pytest.fixture
def fresh_python(tmp_path: Path) -> Path:
    """The interpreter of a new venv holding nothing but pip: no dev tools, no source tree."""
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    return venv / "bin" / "python"
