"""One `python -m build` of the repository, shared by the packaging tests of a worker."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.packaging import Distributions, run
from tests.support.tools import ROOT


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
