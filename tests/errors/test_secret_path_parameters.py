"""A secret path parameter never shows: not in errors, reprs, log lines or chained requests.

The grown spec (`tests/support/grown_spec.py`) adds an operation whose path holds an access
code marked `format: password`. In a subprocess that imports the package generated from it,
`_secret_path_calls.py` calls that operation against a loopback server that fails it in every
way (error statuses echoing the path, a body that is not JSON, a dropped connection, a read
timeout, a closed client), sync and async, with DEBUG logging and retries, and looks for the
access code in everything the client shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.grown_spec import run_grown

# Slow: the grown package is generated first, once per worker of the "grown" group.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grown")]

CALLS = Path(__file__).resolve().parent / "_secret_path_calls.py"


def test_a_secret_path_parameter_appears_in_no_error_repr_or_log(
    grown: Path, tmp_path: Path
) -> None:
    calls = run_grown(CALLS, [grown], tmp_path)
    assert calls.returncode == 0, calls.stdout + calls.stderr
    assert "secret path: ok" in calls.stdout
