"""spec/cloudcx.yaml is a valid OpenAPI 3.0.3 document (the version every generator reads, see
`info.description`), and its version follows the API."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from cloudcx_openapi.operations import OPERATIONS
from tests.support.tools import ROOT, SPEC


def _spec() -> dict[str, Any]:
    document, _ = read_from_filename(str(SPEC))
    return copy.deepcopy(dict(document))


def test_the_spec_is_valid_openapi_3_0() -> None:
    document = _spec()
    assert document["openapi"] == "3.0.3"
    validate(document)


def test_the_validator_rejects_a_broken_spec() -> None:
    document = _spec()
    # A response object without its required `description` is not OpenAPI.
    del document["paths"]["/openapi/v2/user/page"]["get"]["responses"]["200"]["description"]
    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_every_operation_has_an_id_summary_and_documented_errors() -> None:
    operations: list[Mapping[str, Any]] = [
        operation
        for item in _spec()["paths"].values()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    # The token request, and every resource operation of the generated table.
    expected = {"requestToken", *(operation.operation_id for operation in OPERATIONS)}
    assert {operation["operationId"] for operation in operations} == expected
    for operation in operations:
        assert operation["summary"]
        assert operation["description"]
        statuses = set(operation["responses"])
        assert "200" in statuses
        assert any(status.startswith("4") for status in statuses)


def test_info_version_follows_the_api_and_has_a_changelog_entry() -> None:
    document = _spec()
    version = document["info"]["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
    # The API is served under /openapi/v2/: the document's major version is the API's.
    majors = {re.search(r"/v(\d+)/", path) for path in document["paths"]}
    assert {match[1] for match in majors if match} == {version.split(".")[0]}
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"spec `{version}`" in changelog


def test_the_token_operation_names_its_own_host_and_the_oauth2_flow_agrees() -> None:
    document = _spec()
    operation = document["paths"]["/oauth/token"]["post"]
    (server,) = operation["servers"]
    assert set(server["variables"]) == {"controlPanelHost", "controlPanelPort"}
    default_url = server["url"]
    for name, variable in server["variables"].items():
        default_url = default_url.replace("{" + name + "}", variable["default"])
    flow = document["components"]["securitySchemes"]["oauth2"]["flows"]["password"]
    assert flow["tokenUrl"] == default_url + "/oauth/token"
    assert flow["refreshUrl"] == flow["tokenUrl"]


def test_the_api_operation_documents_rate_limits_and_server_errors_with_retry_after() -> None:
    responses = _spec()["paths"]["/openapi/v2/user/page"]["get"]["responses"]
    for status in ("429", "5XX"):
        assert "Retry-After" in responses[status]["headers"]


def _assumption_markers(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, Mapping):
        if "x-cloudcx-assumption" in node:
            found.append((path, node))
        for key, value in node.items():
            found += _assumption_markers(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _assumption_markers(value, f"{path}/{index}")
    return found


def test_what_the_vendor_never_stated_is_marked_as_an_assumption() -> None:
    document = _spec()
    assert "x-cloudcx-assumption" in document["info"]["description"]
    marked = dict(_assumption_markers(document))
    # Each marked object says why, and its description (when it has one) says so first.
    for path, node in marked.items():
        assert isinstance(node["x-cloudcx-assumption"], str), path
        described = node.get("description") or node.get("summary") or ""
        assert "Assumption." in described or "Illustration" in described, path
    list_users = "/paths/~1openapi~1v2~1user~1page/get".replace("~1", "/")
    parameters = document["paths"]["/openapi/v2/user/page"]["get"]["parameters"]
    for index, parameter in enumerate(parameters):
        assert f"{list_users}/parameters/{index}" in marked, parameter["name"]
    responses = document["paths"]["/openapi/v2/user/page"]["get"]["responses"]
    for status in ("400", "401", "422", "429", "5XX"):
        assert f"{list_users}/responses/{status}" in marked
        for example in responses[status]["content"]["application/json"]["examples"].values():
            assert example["summary"].startswith("Illustration"), status
    assert "/components/schemas/ErrorEnvelope" in marked


def test_the_token_request_is_one_shape_per_grant() -> None:
    # A fuzzer generating from the schema gets a password grant or a refresh grant, never a mix.
    document = _spec()
    validator = OAS30Validator(
        {"$ref": "#/components/schemas/TokenRequest", "components": document["components"]}
    )
    password = {"grant_type": "password", "client_id": "c", "username": "u", "password": "p"}
    refresh = {"grant_type": "refresh_token", "client_id": "c", "refresh_token": "r"}
    assert validator.is_valid(password)
    assert validator.is_valid(refresh)
    assert not validator.is_valid({**password, "grant_type": "refresh_token"})
    assert not validator.is_valid({**refresh, "grant_type": "password"})
    assert not validator.is_valid({"grant_type": "password", "client_id": "c"})


def test_an_error_envelope_never_carries_the_success_code() -> None:
    document = _spec()
    validator = OAS30Validator(
        {"$ref": "#/components/schemas/ErrorEnvelope", "components": document["components"]}
    )
    assert validator.is_valid({"code": "4010", "message": "invalid token", "data": None})
    assert not validator.is_valid({"code": "0000", "message": None, "data": None})
    assert not validator.is_valid({"code": "4010", "message": "no data field"})
