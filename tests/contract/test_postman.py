"""`make postman`: the collection generated from the spec runs in newman against the simulator.

The collection is built as `make postman` builds it (openapi-to-postmanv2 plus docs/postman.cjs),
then run unchanged with only its variables pointed at a simulator whose token endpoint is on a
second port (the Control Panel domain).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cloudcx.testing import SimulatorProcess
from tests.support.grown_spec import GROWN_PATH, write_grown_spec
from tests.support.tools import ROOT, SPEC, node_tool, run

# Slow: each test runs a Node tool (Prism, newman, openapi-to-postmanv2) against the spec.
pytestmark = [pytest.mark.slow, pytest.mark.tools]

SCRIPT = ROOT / "docs" / "postman.cjs"
VARIABLES = ["baseUrl", "tokenUrl", "clientId", "clientSecret", "username", "password", "apiKey"]


def _build(tmp_path: Path, spec: Path = SPEC) -> dict[str, Any]:
    output = tmp_path / "cloudcx.postman_collection.json"
    result = run(["node", str(SCRIPT), str(spec), str(output)])
    assert result.returncode == 0, result.stdout + result.stderr
    collection: dict[str, Any] = json.loads(output.read_text())
    return collection


def test_the_collection_has_the_token_request_first_then_both_auth_modes(tmp_path: Path) -> None:
    collection = _build(tmp_path)
    assert [variable["key"] for variable in collection["variable"]] == VARIABLES
    token, *api = collection["item"]
    assert token["request"]["url"] == "{{tokenUrl}}"
    form = {field["key"]: field["value"] for field in token["request"]["body"]["urlencoded"]}
    assert form == {
        "client_id": "{{clientId}}",
        "client_secret": "{{clientSecret}}",
        "grant_type": "password",
        "username": "{{username}}",
        "password": "{{password}}",
    }
    assert 'pm.collectionVariables.set("accessToken"' in "\n".join(
        token["event"][0]["script"]["exec"]
    )
    credentials = {item["request"]["auth"]["bearer"][0]["value"] for item in api}
    assert credentials == {"{{accessToken}}", "{{apiKey}}"}
    for item in api:
        assert item["request"]["url"]["raw"].startswith("{{baseUrl}}/openapi/v2/user/page")
        tests = "\n".join(item["event"][0]["script"]["exec"])
        assert 'pm.expect(body.code).to.eql("0000")' in tests
        assert 'to.have.property("content").that.is.an("array")' in tests


def test_a_new_operation_gets_its_requests_with_nothing_written_by_hand(tmp_path: Path) -> None:
    collection = _build(tmp_path, write_grown_spec(tmp_path))
    urls = [item["request"]["url"]["raw"] for item in collection["item"][1:]]
    grown = [url for url in urls if url.startswith("{{baseUrl}}" + GROWN_PATH + "?id=")]
    assert len(grown) == 2  # with the access token and with the API key
    assert [variable["key"] for variable in collection["variable"]] == VARIABLES


_PATH_PARAMETER_OPERATION = """  /openapi/v2/skill-group/{groupId}:
    get:
      operationId: getSkillGroup
      tags: [skill groups]
      summary: One skill group
      description: One skill group, by ID.
      security:
        - apiKey: []
      parameters:
        - name: groupId
          in: path
          required: true
          description: The group's ID.
          schema:
            type: integer
          example: 7
      responses:
        "200":
          description: An envelope.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UserPageEnvelope"
"""


def test_a_path_parameter_is_sent_with_the_specs_example_not_as_its_name(tmp_path: Path) -> None:
    # Without the URL's `variable` list, Postman and newman send `/skill-group/:groupId`.
    spec = tmp_path / "path-parameter.yaml"
    spec.write_text(SPEC.read_text().replace("paths:\n", "paths:\n" + _PATH_PARAMETER_OPERATION, 1))
    collection = _build(tmp_path, spec)
    _token, *api = collection["item"]
    grown = [item for item in api if ":groupId" in item["request"]["url"]["raw"]]
    assert len(grown) == 2  # with the access token and with the API key
    for item in grown:
        variables = {v["key"]: v["value"] for v in item["request"]["url"]["variable"]}
        assert variables == {"groupId": "7"}
    for item in api:
        if item not in grown:
            assert item["request"]["url"]["variable"] == []


def _newman(collection: Path, report: Path, variables: dict[str, str]) -> Any:
    command = [node_tool("newman"), "run", str(collection), "--reporters", "cli,json"]
    command += ["--reporter-json-export", str(report), "--timeout-request", "10000"]
    for key, value in variables.items():
        command += ["--env-var", f"{key}={value}"]
    return run(command)


def test_newman_runs_the_collection_against_the_simulator(tmp_path: Path) -> None:
    node_tool("newman")
    _build(tmp_path)
    collection = tmp_path / "cloudcx.postman_collection.json"
    report = tmp_path / "newman.json"
    with SimulatorProcess(users=30, separate_token_server=True) as sim:
        result = _newman(
            collection,
            report,
            {
                "baseUrl": sim.base_url,
                "tokenUrl": sim.token_url,
                "clientId": sim.client_id,
                "clientSecret": sim.client_secret,
                "username": sim.username,
                "password": sim.password,
                "apiKey": sim.api_key,
            },
        )
        token_requests, api_requests = sim.token_requests, sim.api_requests
    assert result.returncode == 0, result.stdout + result.stderr
    stats = json.loads(report.read_text())["run"]["stats"]
    assert stats["requests"] == {"total": 3, "pending": 0, "failed": 0}
    assert stats["assertions"]["failed"] == 0
    # The token request: status and token; each listUsers twin: status, body, code, page shape.
    assert stats["assertions"]["total"] == 2 + 2 * 4
    assert (token_requests, api_requests) == (1, 2)


def test_newman_fails_when_the_password_is_wrong(tmp_path: Path) -> None:
    node_tool("newman")
    _build(tmp_path)
    collection = tmp_path / "cloudcx.postman_collection.json"
    with SimulatorProcess(users=3, separate_token_server=True) as sim:
        result = _newman(
            collection,
            tmp_path / "newman.json",
            {
                "baseUrl": sim.base_url,
                "tokenUrl": sim.token_url,
                "clientId": sim.client_id,
                "clientSecret": sim.client_secret,
                "username": sim.username,
                "password": "wrong-password",
                "apiKey": sim.api_key,
            },
        )
    assert result.returncode != 0
    assert "status is 200" in result.stdout
