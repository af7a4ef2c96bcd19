"""What the sdist and the wheel hold, and that each installs and works on its own."""

from __future__ import annotations

import email
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.support.packaging import Distributions, run
from tests.support.tools import ROOT

SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")

# One worker runs them all (`--dist loadgroup`), so that the build happens once per run; slow:
# every test needs the sdist and the wheel built.
pytestmark = [pytest.mark.xdist_group("packaging"), pytest.mark.slow]


def _wheel_names(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def _metadata(wheel: Path) -> email.message.Message:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        return email.message_from_bytes(archive.read(name))


def test_wheel_holds_exactly_the_two_packages_each_typed(distributions: Distributions) -> None:
    names = _wheel_names(distributions.wheel)
    top = {name.split("/")[0] for name in names}
    dist_info = next(part for part in top if part.endswith(".dist-info"))
    assert top == {"cloudcx", "cloudcx_openapi", dist_info}
    assert "cloudcx/py.typed" in names
    assert "cloudcx_openapi/py.typed" in names
    assert f"{dist_info}/licenses/LICENSE" in names
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc")]


def test_sdist_holds_only_the_anchored_paths(distributions: Distributions) -> None:
    with tarfile.open(distributions.sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    allowed_trees = ("overrides/cloudcx/", "generated/cloudcx_openapi/")
    allowed_files = {
        "generator/py.typed",
        "spec/cloudcx.yaml",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        "pyproject.toml",
        "PKG-INFO",
        ".gitignore",
    }
    stray = [n for n in names if n not in allowed_files and not n.startswith(allowed_trees)]
    assert stray == []
    assert {"LICENSE", "CHANGELOG.md", "generator/py.typed"} <= set(names)
    assert "overrides/cloudcx/py.typed" in names


def test_metadata_names_each_python_and_the_licence(distributions: Distributions) -> None:
    metadata = _metadata(distributions.wheel)
    classifiers = metadata.get_all("Classifier") or []
    for version in SUPPORTED_PYTHONS:
        assert f"Programming Language :: Python :: {version}" in classifiers
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.11"
    # The development tools are a dependency group, never a public extra.
    assert metadata.get_all("Provides-Extra") is None
    assert "cloudcx = cloudcx.cli:main" in (
        zipfile.ZipFile(distributions.wheel)
        .read(next(n for n in _wheel_names(distributions.wheel) if n.endswith("entry_points.txt")))
        .decode()
    )


def test_twine_check_passes(distributions: Distributions) -> None:
    result = run(
        [
            sys.executable,
            "-m",
            "twine",
            "check",
            "--strict",
            str(distributions.sdist),
            str(distributions.wheel),
        ]
    )
    assert result.stdout.count("PASSED") == 2


@pytest.mark.parametrize("kind", ["sdist", "wheel"])
def test_installs_in_a_clean_venv_and_passes_the_smoke_script(
    distributions: Distributions, fresh_python: Path, tmp_path: Path, kind: str
) -> None:
    archive = distributions.sdist if kind == "sdist" else distributions.wheel
    run([str(fresh_python), "-m", "pip", "install", "--quiet", str(archive)])
    installed = run([str(fresh_python), "-m", "pip", "list", "--format=freeze"]).stdout.lower()
    for dev_tool in ("pytest", "ruff", "mypy", "openapi-python-client"):
        assert f"{dev_tool}==" not in installed
    # Run from an empty folder, so the package imported is the installed one.
    smoke = run([str(fresh_python), str(ROOT / "examples" / "smoke.py")], cwd=tmp_path)
    assert "smoke: ok" in smoke.stdout
    assert str(ROOT) not in smoke.stdout
