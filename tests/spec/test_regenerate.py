"""The regeneration story, on a temporary copy of the tree.

`generator/regenerate.py --check` (as `make check-generated`) fails with a readable diff when
the spec changes and generated/ does not, and passes when they agree; adding an operation to
the spec and running the generator (as `make generate`) yields a new module under
generated/ and leaves overrides/ untouched.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.tools import ROOT

# Slow: each test runs the generator.
pytestmark = pytest.mark.slow

GENERATOR_TIMEOUT = 300

NEW_OPERATION = """\
  /openapi/v2/user/{id}:
    get:
      operationId: getUser
      tags: [users]
      summary: Get one user
      description: Returns one user by ID, in the standard envelope.
      security:
        - oauth2: []
        - apiKey: []
      parameters:
        - name: id
          in: path
          required: true
          description: The user's ID.
          schema:
            type: string
            format: uuid
      responses:
        "200":
          description: The user.
          content:
            application/json:
              schema:
                type: object
                required: [code, data]
                properties:
                  code:
                    type: string
                  message:
                    type: [string, "null"]
                  data:
                    $ref: "#/components/schemas/User"
        "401":
          description: The credentials were refused.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/ErrorEnvelope"
"""


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of spec/, generator/, generated/ and overrides/, as a project of its own."""
    for name in ("spec", "generator", "generated", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def regenerate(tree: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # The copied script: its defaults (spec/cloudcx.yaml, generated/) are the copy's own.
    return subprocess.run(
        [sys.executable, str(tree / "generator" / "regenerate.py"), *args],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=GENERATOR_TIMEOUT,
        check=False,
    )


def fingerprint(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_check_passes_when_spec_and_generated_agree(tree: Path) -> None:
    spec, out = tree / "spec" / "cloudcx.yaml", tree / "generated"
    result = regenerate(tree, "--spec", str(spec), "--out", str(out), "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "matches" in result.stdout


def test_check_fails_with_a_readable_diff_when_the_spec_changes(tree: Path) -> None:
    spec, out = tree / "spec" / "cloudcx.yaml", tree / "generated"
    text = spec.read_text()
    old = "          description: The name the user logs in with.\n"
    assert old in text
    spec.write_text(text.replace(old, "          description: The user's login name.\n"))
    result = regenerate(tree, "--spec", str(spec), "--out", str(out), "--check")
    assert result.returncode == 1
    assert "--- generated/cloudcx_openapi/models/user.py" in result.stdout
    assert "+++ regenerated/cloudcx_openapi/models/user.py" in result.stdout
    assert "The name the user logs in with." in result.stdout
    assert "The user's login name." in result.stdout
    assert "make generate" in result.stderr


def test_a_new_operation_yields_a_new_module_and_leaves_overrides_alone(tree: Path) -> None:
    spec = tree / "spec" / "cloudcx.yaml"
    text = spec.read_text()
    anchor = "  /openapi/v2/user/page:\n"
    assert anchor in text
    spec.write_text(text.replace(anchor, NEW_OPERATION + anchor, 1))
    overrides_before = fingerprint(tree / "overrides")
    generated_before = fingerprint(tree / "generated")

    result = regenerate(tree)

    assert result.returncode == 0, result.stdout + result.stderr
    generated_after = fingerprint(tree / "generated")
    added = sorted(set(generated_after) - set(generated_before))
    # The operation's module, and the model of its inline envelope.
    assert added == [
        "cloudcx_openapi/api/users/get_user.py",
        "cloudcx_openapi/models/get_user_response_200.py",
    ]
    module = (tree / "generated" / "cloudcx_openapi" / "api" / "users" / "get_user.py").read_text()
    for function in ("def sync(", "def sync_detailed(", "async def asyncio(", "def _get_kwargs("):
        assert function in module
    assert '"/openapi/v2/user/{id}".format(' in module
    # The operation table (and the resource classes built from it) gained the operation.
    table = (tree / "generated" / "cloudcx_openapi" / "operations.py").read_text()
    assert 'operation_id="getUser"' in table
    assert 'method="get_user"' in table
    # Nothing else moved: the existing operations and models are as they were.
    resources = (tree / "generated" / "cloudcx_openapi" / "resources.py").read_text()
    assert "    def get_user(\n" in resources
    # And a fast decoder for its data model (generator/fast_path.py).
    fast_path = (tree / "generated" / "cloudcx_openapi" / "fast_path.py").read_text()
    assert "        User: _decode_User,\n" in fast_path
    grown = {
        "cloudcx_openapi/operations.py",
        "cloudcx_openapi/resources.py",
        "cloudcx_openapi/fast_path.py",
        "cloudcx_openapi/models/__init__.py",
    }
    unchanged = {name: generated_after[name] for name in generated_before if name not in grown}
    assert unchanged == {name: generated_before[name] for name in unchanged}
    assert fingerprint(tree / "overrides") == overrides_before
    # And the drift check now agrees with the regenerated tree.
    check = regenerate(tree, "--check")
    assert check.returncode == 0, check.stdout + check.stderr
