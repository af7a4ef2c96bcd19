"""`make docs`: the Redocly HTML reference builds, self-contained, with the vendor's examples."""

from __future__ import annotations

import re
from pathlib import Path

from cloudcx_openapi.operations import OPERATIONS
from tests.contract._support import ROOT, SPEC, node_tool, run


def test_the_reference_builds_offline_with_operations_schemas_and_examples(
    tmp_path: Path,
) -> None:
    output = tmp_path / "cloudcx.html"
    # The Makefile's `docs` target, with the output in a temporary folder.
    result = run(
        [
            node_tool("redocly"),
            "build-docs",
            str(SPEC),
            "--inlineBundle",
            "--lint-config",
            "error",
            "--config",
            str(ROOT / "redocly.yaml"),
            "--template",
            str(ROOT / "docs" / "template.hbs"),
            "--output",
            str(output),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    html = output.read_text()
    for operation in OPERATIONS:
        assert operation.operation_id in html
        assert operation.path in html
    for token_operation in ("requestToken", "/oauth/token"):
        assert token_operation in html
    for schema in ("TokenRequest", "TokenResponse", "UserPageEnvelope", "ErrorEnvelope"):
        assert schema in html
    # The vendor's example values, from the spec's examples.
    for example in ("freesiaTest", "frees1aa@gmail.com", "75d86d40-f7d9-4025-8a1c-8a868f918289"):
        assert example in html
    # Self-contained: no script or stylesheet is fetched, and the page's policy forbids any
    # request beyond the file itself (so the renderer's badge logo stays home too).
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html
