"""The docs' code samples and the Postman collection for an operation whose `data` is a list.

Both are drawn from the spec (docs/code-samples.cjs, docs/postman.cjs): the grown project's
`listTeams` (`data`: a `$ref` to `Teams`, an array of `Team`) gets its cURL and Python samples,
two requests (access token, API key), and tests that check `data` is a list whose every item
has the item schema's required fields.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openapi_spec_validator.readers import read_from_filename

from tests.support.grown_spec import write_project_growth_spec
from tests.support.tools import ROOT, run

# Slow: each test runs a Node tool over the spec.
pytestmark = [pytest.mark.slow, pytest.mark.tools]

TEAMS_PATH = "/openapi/v2/team/list"


def test_a_list_operation_gets_its_code_samples(tmp_path: Path) -> None:
    with_samples = tmp_path / "cloudcx.yaml"
    script = str(ROOT / "docs" / "code-samples.cjs")
    result = run(["node", script, str(write_project_growth_spec(tmp_path)), str(with_samples)])
    assert result.returncode == 0, result.stdout + result.stderr
    document, _ = read_from_filename(str(with_samples))
    samples = document["paths"][TEAMS_PATH]["get"]["x-codeSamples"]
    assert [sample["label"] for sample in samples] == ["cURL", "Python"]
    assert "--request GET 'https://" in samples[0]["source"]
    assert TEAMS_PATH in samples[0]["source"]
    assert "result = cx.teams.list()" in samples[1]["source"]


def test_a_list_operations_requests_check_every_item(tmp_path: Path) -> None:
    output = tmp_path / "cloudcx.postman_collection.json"
    script = str(ROOT / "docs" / "postman.cjs")
    result = run(["node", script, str(write_project_growth_spec(tmp_path)), str(output)])
    assert result.returncode == 0, result.stdout + result.stderr
    items = json.loads(output.read_text())["item"]  # the token request first
    teams = [item for item in items[1:] if TEAMS_PATH in item["request"]["url"]["raw"]]
    assert len(teams) == 2  # with the access token and with the API key
    for item in teams:
        tests = "\n".join(item["event"][0]["script"]["exec"])
        assert 'pm.test("data is a list of items with id, name, lead"' in tests
        assert 'pm.expect(body.data).to.be.an("array");' in tests
        for field in ("id", "name", "lead"):
            assert f'pm.expect(item).to.have.property("{field}");' in tests
        assert 'pm.expect(body.data).to.be.an("object")' not in tests
