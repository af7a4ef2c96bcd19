"""CI's steps and the version matrix: what `.ci/run` and `noxfile.py` promise."""

from __future__ import annotations

import subprocess
import sys

from tests.support.tools import ROOT


def _steps() -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    return [line for line in lines if line and not line.startswith(("#", "echo", "set ", "cd "))]


def test_ci_builds_checks_installs_the_wheel_and_ends_with_make_test() -> None:
    steps = _steps()
    # The checks and the main job come first (after any system packages the suite needs).
    assert steps.index("make check") < steps.index("make demo") < 3
    assert steps[-1] == "make test"  # the README's test command, the whole suite, last
    joined = "\n".join(steps)
    for needed in (
        "-m build --outdir dist",
        "twine check --strict dist/*",
        "-m venv build/ci-wheel",
        "pip install --quiet dist/cloudcx-*.whl",
        "examples/smoke.py",
        "nox --sessions tests-3.12 tests-3.13",
    ):
        assert needed in joined
    # The fresh venv gets the wheel alone: never the dev group or an editable install.
    assert "--group" not in joined


def test_nox_has_a_session_per_supported_python() -> None:
    listed = subprocess.run(
        [sys.executable, "-m", "nox", "--list", "--noxfile", str(ROOT / "noxfile.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    for version in ("3.11", "3.12", "3.13"):
        assert f"tests-{version}" in listed


def test_make_demo_installs_the_package_without_the_dev_tools() -> None:
    makefile = (ROOT / "Makefile").read_text()
    demo = makefile[makefile.index("\n$(DEMO_STAMP):") : makefile.index("\ndemo:")]
    assert "pip install --quiet -e ." in demo
    assert "--group" not in demo
    assert "$(DEMO_VENV)/bin/python examples/demo.py" in makefile
