"""`make docs`: the Redocly HTML reference builds, self-contained, with the vendor's examples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openapi_spec_validator.readers import read_from_filename

from cloudcx_openapi.operations import OPERATIONS
from tests.support.grown_spec import GROWN_PATH, write_grown_spec
from tests.support.tools import ROOT, SPEC, node_tool, run

# Slow: each test builds the Redocly reference with Node.
pytestmark = [pytest.mark.slow, pytest.mark.tools]


def test_the_reference_builds_offline_with_operations_schemas_and_examples(
    tmp_path: Path,
) -> None:
    output = tmp_path / "cloudcx.html"
    with_samples = tmp_path / "cloudcx.yaml"
    # The Makefile's `docs` target, with the output in a temporary folder: samples, then HTML.
    samples = run(["node", str(ROOT / "docs" / "code-samples.cjs"), str(SPEC), str(with_samples)])
    assert samples.returncode == 0, samples.stdout + samples.stderr
    result = run(
        [
            node_tool("redocly"),
            "build-docs",
            str(with_samples),
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
    # Code samples (cURL and Python) for every operation, generated from the spec.
    assert "curl --location --request POST 'https://cloudcx.example.com:443/oauth/token'" in html
    assert "--data-urlencode" in html
    assert "/openapi/v2/user/page?pageIndex=1&pageSize=25&keywords=si'" in html
    assert "Authorization: Bearer {access_token or API key}" in html
    # The typed method, not the raw generated function (which returns the undecoded envelope).
    assert "cx.users.list(page_index=1, page_size=25, keywords=" in html
    # Self-contained: no script or stylesheet is fetched, and the page's policy forbids any
    # request beyond the file itself (so the renderer's badge logo stays home too).
    assert not re.search(r"<script[^>]+src=", html)
    assert not re.search(r"<link[^>]+href=[\"']https?:", html)
    assert "Content-Security-Policy" in html
    assert "default-src 'none'" in html


def test_a_new_operation_gets_its_code_samples_with_nothing_written_by_hand(tmp_path: Path) -> None:
    with_samples = tmp_path / "cloudcx.yaml"
    result = run(
        [
            "node",
            str(ROOT / "docs" / "code-samples.cjs"),
            str(write_grown_spec(tmp_path)),
            str(with_samples),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    document, _ = read_from_filename(str(with_samples))
    samples = document["paths"][GROWN_PATH]["get"]["x-codeSamples"]
    assert [sample["label"] for sample in samples] == ["cURL", "Python"]
    assert f"{GROWN_PATH}?id=75d86d40" in samples[0]["source"]
    assert "cx.users.get_user(id=" in samples[1]["source"]


_WRITE_OPERATION = """  /openapi/v2/skill-group/{groupId}:
    put:
      operationId: renameSkillGroup
      x-cloudcx-method: rename
      tags: [Skill Groups]
      summary: Rename a skill group
      security:
        - apiKey: []
      parameters:
        - name: groupId
          in: path
          required: true
          schema:
            type: integer
          example: 7
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [newName]
              properties:
                newName:
                  type: string
                notifyAgents:
                  type: boolean
                  default: false
      responses:
        "200":
          description: An envelope.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UserPageEnvelope"
"""


def test_samples_of_a_write_operation_fill_the_path_send_the_body_and_are_valid_python(
    tmp_path: Path,
) -> None:
    # A tag of two words, a path parameter and a JSON body without an example: the samples
    # once imported `cloudcx_openapi.api.skill groups` (a syntax error), left `{groupId}` in
    # the URL and sent no body.
    spec = tmp_path / "grown.yaml"
    spec.write_text(SPEC.read_text().replace("paths:\n", "paths:\n" + _WRITE_OPERATION, 1))
    with_samples = tmp_path / "cloudcx.yaml"
    result = run(["node", str(ROOT / "docs" / "code-samples.cjs"), str(spec), str(with_samples)])
    assert result.returncode == 0, result.stdout + result.stderr
    document, _ = read_from_filename(str(with_samples))
    curl, python = document["paths"]["/openapi/v2/skill-group/{groupId}"]["put"]["x-codeSamples"]
    assert "/openapi/v2/skill-group/7'" in curl["source"]
    assert """--data '{"newName":"...","notifyAgents":false}'""" in curl["source"]
    assert (
        'cx.skill_groups.rename(group_id=7, new_name="...", notify_agents=False)'
        in (python["source"])
    )
    for item in document["paths"].values():
        for operation in item.values():
            compile(operation["x-codeSamples"][1]["source"], "sample.py", "exec")
