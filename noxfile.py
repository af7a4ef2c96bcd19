"""The test suite on every supported Python: `make nox` (or `.venv/bin/nox`).

`tests-3.11`, `tests-3.12` and `tests-3.13` run the suite but for the tests that drive the
Node, Prism, Java or Go tools (`-m "not tools"`: those check the spec, not the Python) in a
venv of that Python holding the package (editable) and the `dev` dependency group; extra
arguments after `--` go to pytest. The interpreters are found on PATH or under pyenv
(`~/.pyenv/versions/3.X.*`); nox is told never to download one, since an interpreter fetched
from outside the package registries is not to be had here, and a missing one must fail loudly.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

SUPPORTED_PYTHONS = ["3.11", "3.12", "3.13"]

nox.options.default_venv_backend = "venv"
nox.options.download_python = "never"
nox.options.error_on_missing_interpreters = True
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["tests"]


def _pyenv_bins() -> list[str]:
    """Each supported Python's newest pyenv build, so `python3.X` resolves without a shim."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = []
    for version in SUPPORTED_PYTHONS:
        builds = sorted(
            root.glob(f"{version}.*"),
            key=lambda path: [int(part) for part in path.name.split(".") if part.isdigit()],
        )
        if builds and (builds[-1] / "bin" / f"python{version}").exists():
            found.append(str(builds[-1] / "bin"))
    return found


os.environ["PATH"] = os.pathsep.join([*_pyenv_bins(), os.environ.get("PATH", "")])


@nox.session(python=SUPPORTED_PYTHONS)
def tests(session: nox.Session) -> None:
    """The suite but the `tools` tests on one Python; `-- ARGS` replaces the default pytest args."""
    # `--group` needs pip >= 25.1; a new venv may come with an older one.
    session.install("--quiet", "--upgrade", "pip>=25.1")
    session.install("--quiet", "-e", ".", "--group", "dev")
    args = session.posargs or ["-n", "auto", "--dist", "loadgroup", "-q", "-m", "not tools"]
    session.run("python", "-m", "pytest", *args)
