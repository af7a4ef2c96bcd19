"""Building and installing the package in the packaging tests: bounded steps, one build's output."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

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
