"""The spec in other languages: openapi-typescript types under `tsc --strict`, and OpenAPI
Generator clients (typescript-fetch, python, go, java) run against the simulator
(`interop/run.py`, as `make interop`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.support.tools import ROOT, SPEC, node_tool, run

# A TypeScript build and a generated client per test (make test-quick skips them).
pytestmark = [pytest.mark.slow, pytest.mark.tools]

RUNNER = ROOT / "interop" / "run.py"
CACHE = ROOT / "build" / "interop"


@pytest.mark.parametrize("client", ["typescript-fetch", "python", "go", "java"])
def test_generated_client_runs_against_the_simulator(client: str) -> None:
    # Generated with no generator options; built once per spec and interop/ tree (cached under
    # build/interop/<hash>); the token request goes to the simulator's second port.
    node_tool("tsc")
    result = run([sys.executable, str(RUNNER), "--build-dir", str(CACHE), "--only", client])
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "interop: OK" in result.stdout
    marker = f"interop: {client} client report "
    report_line = next(line for line in result.stdout.splitlines() if line.startswith(marker))
    report = json.loads(report_line.removeprefix(marker))
    assert report["users"] == 60
    assert report["tokenType"] == "Bearer"
    assert report["expiresIn"] == 3599
    assert report["refusedStatus"] == 401
    assert report["searchHits"] >= 1
    assert report["simulatorTokenRequests"] == 1


def test_types_check_fails_when_the_spec_loosens(tmp_path: Path) -> None:
    # usage.ts holds `@ts-expect-error` lines that only hold while the types are strict: a spec
    # whose `phoneNumber` lost its `null` must fail the check, naming the unused directive.
    node_tool("tsc")
    text = SPEC.read_text()
    nullable_phone = "phoneNumber:\n          type: string\n          nullable: true\n"
    assert nullable_phone in text
    loosened = tmp_path / "cloudcx.yaml"
    loosened.write_text(text.replace(nullable_phone, "phoneNumber:\n          type: string\n"))
    result = run(
        [
            sys.executable,
            str(RUNNER),
            "--build-dir",
            str(tmp_path / "interop"),
            "--spec",
            str(loosened),
            "--types-only",
        ]
    )
    assert result.returncode == 1
    assert "Unused '@ts-expect-error' directive" in result.stderr
    assert "usage.ts" in result.stderr
