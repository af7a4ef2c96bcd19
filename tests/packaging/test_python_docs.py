"""The Python API reference (`make docs-python`): built offline from the docstrings."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.packaging import run
from tests.support.tools import ROOT

# Slow: pdoc builds the whole reference.
pytestmark = pytest.mark.slow


def test_pdoc_builds_a_self_contained_reference(tmp_path: Path) -> None:
    recipe = subprocess.run(
        ["make", "-n", "docs-python"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    command = " ".join(recipe.replace("\\\n", " ").split())
    assert "pdoc --docformat google --no-search" in command
    run(
        [
            sys.executable,
            "-m",
            "pdoc",
            "--docformat",
            "google",
            "--no-search",
            "--output-directory",
            str(tmp_path),
            "cloudcx",
            "cloudcx.testing",
        ]
    )
    page = (tmp_path / "cloudcx.html").read_text()
    for documented in ("CloudCX", "with_options", "request_id", "ConfigurationError"):
        assert documented in page
    assert (tmp_path / "cloudcx" / "testing.html").is_file()
    # Nothing is fetched when the page is opened: no remote script, stylesheet or font.
    for html in tmp_path.rglob("*.html"):
        remote = re.findall(r'<(?:script|link)[^>]+(?:src|href)="https?://[^"]*"', html.read_text())
        assert remote == [], html
