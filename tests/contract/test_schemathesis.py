"""schemathesis against the simulator: property-based requests from the spec, every check on.

Each operation is fuzzed on its own, as a client would call it: the user page with the
simulator's API key as a bearer token, the token endpoint with no `Authorization` header.
Positive mode (valid input) must meet every response check; negative mode (invalid input) must
get a documented 4xx, never a 5xx. Runs are seeded and bounded by example count, so they are
reproducible and take seconds.

Positive mode on the token endpoint draws random client IDs and passwords, which the simulator
rightly refuses with the documented 400 or 401: schemathesis then warns that the API "mostly
rejected generated data". That warning is expected and is not a failure; a wrong status, body
or header would be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openapi_spec_validator.readers import read_from_filename

from cloudcx.testing import Fault, SimulatorProcess
from tests.support.tools import SPEC, python_tool, run

# Property-based runs over HTTP: the longest tests of the suite (make test-quick skips them).
# One worker per module, so that its server is started once.
pytestmark = [pytest.mark.slow, pytest.mark.tools, pytest.mark.xdist_group("schemathesis")]

SEED = 20261125
MAX_EXAMPLES = 100


def _operations() -> dict[str, bool]:
    """Every operation in the spec, and whether it needs credentials."""
    document, _ = read_from_filename(str(SPEC))
    default = document.get("security", [])
    return {
        operation["operationId"]: bool(operation.get("security", default))
        for item in document["paths"].values()
        for method, operation in item.items()
        if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    }


OPERATIONS = _operations()


@pytest.fixture(scope="module")
def sim() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(users=60) as simulator:
        yield simulator


def schemathesis(sim: SimulatorProcess, operation: str, mode: str, cwd: Path) -> tuple[int, str]:
    command = [
        python_tool("schemathesis"),
        "run",
        str(SPEC),
        "--url",
        sim.base_url,
        "--include-operation-id",
        operation,
        "--mode",
        mode,
        "--checks",
        "all",
        "--seed",
        str(SEED),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--workers",
        "1",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        "--no-color",
    ]
    if OPERATIONS[operation]:
        command += ["--header", f"Authorization: Bearer {sim.api_key}"]
    # cwd: schemathesis may leave report files behind; keep them out of the work tree.
    result = run(command, cwd=cwd)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("mode", ["positive", "negative"])
@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_schemathesis_finds_nothing(
    sim: SimulatorProcess, operation: str, mode: str, tmp_path: Path
) -> None:
    status, output = schemathesis(sim, operation, mode, tmp_path)
    assert status == 0, output
    counts = re.search(r"(\d+) generated, (\d+) passed", output)
    assert counts is not None, output
    assert int(counts[1]) == int(counts[2]) > 0, output
    assert f"1 selected / {len(OPERATIONS)} total" in output, output


def test_schemathesis_reports_a_server_error(sim: SimulatorProcess, tmp_path: Path) -> None:
    # The check must be able to fail: a 503 the spec does not document is caught.
    sim.inject(Fault.status(503), route="users", count=1000)
    try:
        status, output = schemathesis(sim, "listUsers", "positive", tmp_path)
    finally:
        sim.clear_faults()
    assert status != 0
    assert "Server error" in output
