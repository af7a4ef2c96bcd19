"""The API grows, and nothing is written by hand (issue 13).

On a temporary copy of the project, operations of four shapes are added to the spec (a get by
ID, a paged list of another resource, a create with a JSON body, a delete whose data is null);
the generator runs; `git status overrides/` stays clean; and in a subprocess that imports the
regenerated packages, every new method is called, sync and async, against a loopback server
that is not the simulator (`_grown_calls.py`).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.contract._support import ROOT

# PyYAML (a dependency of the generator) ships no type stubs.
yaml: Any = importlib.import_module("yaml")

pytestmark = pytest.mark.slow

TIMEOUT = 300
CALLS = Path(__file__).resolve().parent / "_grown_calls.py"

_SECURITY: list[dict[str, list[str]]] = [{"oauth2": []}, {"apiKey": []}]


def _envelope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["code", "data"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": ["string", "null"]},
            "data": data,
        },
    }


def _answers(schema: str, description: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    return {
        "200": {"description": description, "content": content},
        "404": {"description": "Not found.", "content": error},
    }


def _page_parameters() -> list[dict[str, Any]]:
    return [
        {
            "name": "pageIndex",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "default": 1},
        },
        {
            "name": "pageSize",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
        },
    ]


def grow(spec: dict[str, Any]) -> None:
    """Add the four operations, and the schemas they need, to `spec`."""
    schemas = spec["components"]["schemas"]
    schemas["CallQueue"] = {
        "type": "object",
        "required": ["id", "name", "strategy"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "strategy": {"type": "string"},
        },
    }
    schemas["CallQueuePage"] = {
        "type": "object",
        "required": ["totalPages", "totalElements", "content"],
        "properties": {
            "totalPages": {"type": "integer"},
            "totalElements": {"type": "integer"},
            "content": {"type": "array", "items": {"$ref": "#/components/schemas/CallQueue"}},
        },
    }
    schemas["UserEnvelope"] = _envelope({"$ref": "#/components/schemas/User"})
    schemas["CallQueueEnvelope"] = _envelope({"$ref": "#/components/schemas/CallQueue"})
    schemas["CallQueuePageEnvelope"] = _envelope({"$ref": "#/components/schemas/CallQueuePage"})
    schemas["EmptyEnvelope"] = _envelope({"type": "null"})
    paths = spec["paths"]
    paths["/openapi/v2/user/{id}"] = {
        "get": {
            "operationId": "getUser",
            "x-cloudcx-method": "get",
            "tags": ["users"],
            "summary": "Get one user",
            "security": _SECURITY,
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "description": "The user's ID.",
                    "schema": {"type": "string", "format": "uuid"},
                }
            ],
            "responses": _answers("UserEnvelope", "The user."),
        }
    }
    paths["/openapi/v2/call-queue/page"] = {
        "get": {
            "operationId": "listCallQueues",
            "tags": ["Call Queues"],
            "summary": "List call queues",
            "security": _SECURITY,
            "parameters": _page_parameters(),
            "responses": _answers("CallQueuePageEnvelope", "A page of queues."),
        }
    }
    paths["/openapi/v2/call-queue"] = {
        "post": {
            "operationId": "createCallQueue",
            "x-cloudcx-method": "create",
            "tags": ["Call Queues"],
            "summary": "Create a call queue",
            "security": _SECURITY,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {
                                "name": {"type": "string", "maxLength": 64},
                                "strategy": {
                                    "type": "string",
                                    "enum": ["ringall", "roundrobin"],
                                },
                            },
                        }
                    }
                },
            },
            "responses": _answers("CallQueueEnvelope", "The new queue."),
        }
    }
    paths["/openapi/v2/call-queue/{queueId}"] = {
        "delete": {
            "operationId": "deleteCallQueue",
            "x-cloudcx-method": "delete",
            "tags": ["Call Queues"],
            "summary": "Delete a call queue",
            "security": _SECURITY,
            "parameters": [
                {"name": "queueId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {
                    "name": "confirmationCode",
                    "in": "query",
                    "description": "A one-time code; a credential, so masked in messages.",
                    "schema": {"type": "string", "format": "password"},
                },
            ],
            "responses": _answers("EmptyEnvelope", "Deleted; data is null."),
        }
    }


def _git(tree: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=growth", "-c", "user.email=growth@example.invalid", *args],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_added_operations_become_typed_methods_with_no_change_under_overrides(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "project"
    for name in ("spec", "generator", "generated", "overrides"):
        shutil.copytree(ROOT / name, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    _git(tree, "init", "--quiet")
    _git(tree, "add", "--all")
    _git(tree, "commit", "--quiet", "-m", "before growth")
    spec_path = tree / "spec" / "cloudcx.yaml"
    spec = yaml.safe_load(spec_path.read_text())
    grow(spec)
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True))

    generation = subprocess.run(
        [sys.executable, str(tree / "generator" / "regenerate.py")],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert generation.returncode == 0, generation.stdout + generation.stderr
    assert _git(tree, "status", "--porcelain", "overrides/") == ""
    changed = _git(tree, "status", "--porcelain", "generated/")
    assert "generated/cloudcx_openapi/resources.py" in changed

    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tree / "overrides"), str(tree / "generated")]),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in list(environment):
        if name.startswith("CLOUDCX_") or name.lower().endswith("_proxy"):
            del environment[name]
    calls = subprocess.run(
        [sys.executable, str(CALLS)],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert calls.returncode == 0, calls.stdout + calls.stderr
    assert f"cloudcx from {tree / 'overrides'}" in calls.stdout
    assert "grown calls: ok" in calls.stdout
