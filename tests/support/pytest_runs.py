"""Running pytest in a subprocess on a folder of tests, as a project that uses cloudcx would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["run_pytest"]

#: Bound on one run of a few tests: it only catches a hang.
TIMEOUT = 120


def run_pytest(
    folder: Path, *args: str, environ: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `pytest -q ARGS` in `folder` (no cache written there); capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=None if environ is None else dict(environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
