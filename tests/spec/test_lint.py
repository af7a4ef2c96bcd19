"""Redocly (recommended ruleset, strict) and Spectral (spectral:oas) find nothing in the spec.

`make lint-spec` runs the same linters with the same configuration; these tests read their
JSON reports so that a single warning fails, and prove on a flawed copy that they can fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.tools import ROOT, SPEC, node_tool, run

# Slow: each test runs the Node linters (Redocly, Spectral) on the spec.
pytestmark = [pytest.mark.slow, pytest.mark.tools]


def redocly_problems(spec: Path) -> list[dict[str, Any]]:
    result = run(
        [
            node_tool("redocly"),
            "lint",
            "--config",
            str(ROOT / "redocly.yaml"),
            "--lint-config",
            "error",
            "--format",
            "json",
            str(spec),
        ]
    )
    report = json.loads(result.stdout)
    problems: list[dict[str, Any]] = report["problems"]
    totals = report["totals"]
    assert len(problems) == totals["errors"] + totals["warnings"] + totals.get("ignored", 0)
    assert (result.returncode == 0) == (totals["errors"] == 0)
    return problems


def spectral_findings(spec: Path) -> list[dict[str, Any]]:
    result = run(
        [
            node_tool("spectral"),
            "lint",
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--format",
            "json",
            "--quiet",
            "--fail-severity",
            "hint",
            str(spec),
        ]
    )
    findings: list[dict[str, Any]] = json.loads(result.stdout or "[]")
    assert (result.returncode == 0) == (findings == []), result.stderr
    return findings


def test_redocly_recommended_finds_nothing() -> None:
    assert redocly_problems(SPEC) == []


def test_spectral_oas_finds_nothing() -> None:
    assert spectral_findings(SPEC) == []


def test_both_linters_catch_a_flawed_spec(tmp_path: Path) -> None:
    # An operation with no operationId, no description, no 4xx answer and an undeclared tag:
    # both rulesets must object.
    flawed = tmp_path / "cloudcx.yaml"
    text = SPEC.read_text()
    extra = (
        "  /openapi/v2/user/count:\n"
        "    get:\n"
        "      tags: [undeclared]\n"
        "      responses:\n"
        "        '200':\n"
        "          description: OK\n"
    )
    flawed.write_text(text.replace("paths:\n", "paths:\n" + extra, 1))
    redocly_rules = {problem["ruleId"] for problem in redocly_problems(flawed)}
    spectral_rules = {finding["code"] for finding in spectral_findings(flawed)}
    assert "operation-operationId" in redocly_rules
    assert "operation-4xx-response" in redocly_rules
    assert "operation-operationId" in spectral_rules
    assert "operation-tag-defined" in spectral_rules
