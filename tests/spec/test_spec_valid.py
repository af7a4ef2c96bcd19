"""spec/cloudcx.yaml is a valid OpenAPI 3.1 document, and its version follows the API."""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from cloudcx_openapi.operations import OPERATIONS
from tests.contract._support import ROOT, SPEC


def _spec() -> dict[str, Any]:
    document, _ = read_from_filename(str(SPEC))
    return copy.deepcopy(dict(document))


def test_the_spec_is_valid_openapi_3_1() -> None:
    document = _spec()
    assert document["openapi"].startswith("3.1.")
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
