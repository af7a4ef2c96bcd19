"""Copies of the spec grown by new operations: the one place the growth tests build them.

- `grown_spec`/`generate_grown`: call-queue operations of every shape (a list among them, its
  `data` an inline array of agents; a find whose `data` may be null; one with a secret path
  parameter), and the package
  generated from them (with `generator/regenerate.py --spec S --out D`, as `make generate`
  does); the simulator and CLI tests show that both serve and offer an operation the day it is
  added to the spec, with nothing under `overrides/` changed.
- `grow_project_spec`: the operations the whole-project growth test adds to the spec of a
  copy of the project (a get by ID, a paged list, a create, a delete whose data is null, a
  list of teams whose data is a `$ref` to an array schema, and a find of one team and a list
  of teams whose data the spec lets be null).
- `run_grown`: runs a script in a subprocess that imports the grown packages first.
- `write_grown_spec`: the spec with one `getUser` operation at `GROWN_PATH`, for the
  artefacts built from the spec (the docs' code samples, the Postman collection);
  `write_project_growth_spec`: the spec as `grow_project_spec` grows it, for the same.
- `list_operation_spec`: the spec with one list operation whose `data` schema a test chooses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]

from tests.support.tools import ROOT, SPEC

GENERATOR_TIMEOUT = 300
QUEUE_ID = "0b7a4f52-5a1c-4a8e-9d43-3c1f1c6f2a10"
QUEUES_TAG_DESCRIPTION = (
    "Queues hold inbound calls until an agent is free; 100% of inbound calls pass through one."
)
"""The description of the call queues' tag in `grown_spec` (with a `%`, which argparse expands)."""
QUEUE_SUMMARY = "Get one call queue, 100% of its settings"
"""The summary of `getCallQueue` in `grown_spec` (with a `%`, which argparse expands)."""
GROWN_PATH = "/openapi/v2/user/detail"

_USER_DETAIL = f"""  {GROWN_PATH}:
    get:
      operationId: getUser
      tags: [users]
      summary: One user
      description: One user, by ID.
      security:
        - oauth2: []
        - apiKey: []
      parameters:
        - name: id
          in: query
          required: true
          description: The user's ID.
          schema:
            type: string
          example: 75d86d40-f7d9-4025-8a1c-8a868f918289
      responses:
        "200":
          description: An envelope.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/UserPageEnvelope"
        "401":
          description: Refused.
"""

_SECURITY: list[dict[str, list[str]]] = [{"oauth2": []}, {"apiKey": []}]
_QUEUE = {"id": QUEUE_ID, "name": "Support", "priority": 3, "recordCalls": True}
QUEUE_AGENTS = [
    {"id": "a-1", "name": "Ada", "available": True},
    {"id": "a-2", "name": 'Grace, "Amazing"', "available": False},
]
"""The example `data` of `listQueueAgents` in `grown_spec`: a list, not an object."""
QUEUE_AGENTS_PATH = "/openapi/v2/call-queue/{queueId}/agents"


def _envelope(data: dict[str, Any], example_data: Any) -> dict[str, Any]:
    schema = {
        "type": "object",
        "required": ["code", "data"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": ["string", "null"]},
            "data": data,
        },
    }
    example = {"code": "0000", "message": None, "data": example_data}
    return {
        "description": "An envelope.",
        "content": {"application/json": {"schema": schema, "example": example}},
    }


def _errors() -> dict[str, Any]:
    error = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    }
    return {
        "400": {"description": "A malformed parameter.", **error},
        "401": {"description": "The credentials were refused.", **error},
        "422": {"description": "A parameter out of range.", **error},
    }


def _operation(
    operation_id: str, summary: str, parameters: list[Any], response: Any
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": ["callQueues"],
        "summary": summary,
        "description": f"{summary}, in the standard envelope.",
        "security": _SECURITY,
        "parameters": parameters,
        "responses": {"200": response, **_errors()},
    }


def _path_parameter(name: str, description: str, string_format: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string", "format": string_format},
    }


_QUEUE_ID_PARAMETER = _path_parameter("queueId", "The call queue's ID.", "uuid")
_ACCESS_CODE_PARAMETER = _path_parameter(
    "accessCode", "The queue's recording access code (a secret).", "password"
)


def grown_spec() -> dict[str, Any]:
    """The project's spec with a paged list, a get by id, a create and a delete of call queues."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["tags"].append({"name": "callQueues", "description": QUEUES_TAG_DESCRIPTION})
    schemas = spec["components"]["schemas"]
    schemas["CallQueue"] = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "priority": {"type": "integer"},
            "recordCalls": {"type": "boolean"},
        },
    }
    schemas["CallQueuePage"] = {
        "type": "object",
        "required": ["totalPages", "content"],
        "properties": {
            "totalPages": {"type": "integer"},
            "totalElements": {"type": "integer"},
            "size": {"type": "integer"},
            "number": {"type": "integer"},
            "numberOfElements": {"type": "integer"},
            "content": {"type": "array", "items": {"$ref": "#/components/schemas/CallQueue"}},
        },
    }
    queue_ref = {"$ref": "#/components/schemas/CallQueue"}
    page = {
        "totalPages": 1,
        "totalElements": 1,
        "size": 25,
        "number": 0,
        "numberOfElements": 1,
        "content": [_QUEUE],
    }
    listing = _operation(
        "listCallQueues",
        "List call queues, one page at a time",
        [
            {
                "name": "pageIndex",
                "in": "query",
                "description": "The page, from 1.",
                "schema": {"type": "integer", "format": "int32", "minimum": 1, "default": 1},
            },
            {
                "name": "pageSize",
                "in": "query",
                "description": "Queues per page.",
                "schema": {
                    "type": "integer",
                    "format": "int32",
                    "minimum": 1,
                    "maximum": 100,
                    "default": 25,
                },
            },
            {
                "name": "state",
                "in": "query",
                "description": "Only queues in this state.",
                "schema": {"type": "string", "enum": ["open", "closed"]},
            },
        ],
        _envelope({"$ref": "#/components/schemas/CallQueuePage"}, page),
    )
    listing["x-cloudcx-method"] = "list"
    create = _operation("createCallQueue", "Create a call queue", [], _envelope(queue_ref, _QUEUE))
    # Documents no 422: a value out of range must then be answered with the documented 400.
    del create["responses"]["422"]
    create["requestBody"] = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["name"],
                    "properties": {
                        "name": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": 40,
                            "description": "The queue's name.",
                        },
                        "priority": {
                            "type": "integer",
                            "minimum": 0,
                            "maximum": 9,
                            "description": "0 to 9.",
                        },
                        "recordCalls": {
                            "type": "boolean",
                            "description": "Record the queue's calls.",
                        },
                    },
                }
            }
        },
    }
    spec["paths"]["/openapi/v2/call-queue/page"] = {"get": listing}
    spec["paths"]["/openapi/v2/call-queue"] = {"post": create}
    schemas["Agent"] = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "available": {"type": "boolean"},
        },
    }
    agents = {"type": "array", "items": {"$ref": "#/components/schemas/Agent"}}
    spec["paths"][QUEUE_AGENTS_PATH] = {
        "get": _operation(
            "listQueueAgents",
            "List the agents of a call queue",
            [_QUEUE_ID_PARAMETER],
            _envelope(agents, QUEUE_AGENTS),
        )
    }
    spec["paths"]["/openapi/v2/call-queue/{queueId}"] = {
        "get": _operation(
            "getCallQueue",
            QUEUE_SUMMARY,
            [_QUEUE_ID_PARAMETER],
            _envelope(queue_ref, _QUEUE),
        ),
        "delete": _operation(
            "deleteCallQueue",
            "Delete a call queue",
            [_QUEUE_ID_PARAMETER],
            _envelope({"type": "null"}, None),
        ),
    }
    spec["paths"]["/openapi/v2/call-queue/find"] = {
        "get": _operation(
            "findCallQueue",
            "Find a call queue by name, or null",
            [{"name": "name", "in": "query", "required": True, "schema": {"type": "string"}}],
            _envelope({"oneOf": [queue_ref, {"type": "null"}]}, _QUEUE),
        )
    }
    # A secret in the path: the spec marks it `format: password`, and no URL the client shows
    # (errors, reprs, logs) may carry it.
    spec["paths"]["/openapi/v2/call-queue/{queueId}/recording/{accessCode}"] = {
        "get": _operation(
            "getCallQueueRecording",
            "Get a call queue's recording settings, unlocked by its access code",
            [_QUEUE_ID_PARAMETER, _ACCESS_CODE_PARAMETER],
            _envelope(queue_ref, _QUEUE),
        )
    }
    return spec


def generate_grown(scratch: Path) -> Path:
    """Write the grown spec under `scratch` and generate from it; return the output folder.

    `<output>/cloudcx_openapi` is the generated package: put the folder first on PYTHONPATH to
    use it, or give `<output>/cloudcx_openapi/operations.py` to the simulator.
    """
    spec_file = scratch / "cloudcx.yaml"
    spec_file.write_text(yaml.safe_dump(grown_spec(), sort_keys=False), encoding="utf-8")
    out = scratch / "generated"
    out.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "generator" / "regenerate.py"),
            "--spec",
            str(spec_file),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=GENERATOR_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def run_grown(script: Path, folders: list[Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `script` with `folders` first on PYTHONPATH, without CLOUDCX_* or proxy settings."""
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(str(folder) for folder in folders),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    for name in list(environment):
        if name.startswith("CLOUDCX_") or name.lower().endswith("_proxy"):
            del environment[name]
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=GENERATOR_TIMEOUT,
        check=False,
    )


def example_of(path: str, method: str) -> object:
    """The example answer `grown_spec` documents for the operation at `path`, `method`."""
    media = grown_spec()["paths"][path][method]["responses"]["200"]["content"]["application/json"]
    return media["example"]


def write_grown_spec(folder: Path) -> Path:
    """Write the spec with a `getUser` operation added into `folder`; return its path."""
    grown = folder / "grown.yaml"
    grown.write_text(SPEC.read_text().replace("paths:\n", "paths:\n" + _USER_DETAIL, 1))
    return grown


LIST_PATH = "/openapi/v2/team/list"


def list_operation_spec(data: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    """The project's spec with `schemas` added and `listTeams` (tag `teams`, method `list`) at
    `LIST_PATH`, whose envelope's `data` has the schema `data` (a list, or anything to refuse)."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    spec["components"]["schemas"].update(schemas)
    envelope = {
        "type": "object",
        "required": ["code", "data"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "data": data},
    }
    media = {"application/json": {"schema": envelope}}
    spec["paths"][LIST_PATH] = {
        "get": {
            "operationId": "listTeams",
            "x-cloudcx-method": "list",
            "tags": ["teams"],
            "summary": "List every team",
            "responses": {"200": {"description": "ok", "content": media}},
        }
    }
    return spec


def write_project_growth_spec(folder: Path) -> Path:
    """Write the spec grown by `grow_project_spec` into `folder`; return its path."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    grow_project_spec(spec)
    grown = folder / "grown-project.yaml"
    grown.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return grown


def _enveloped(data: dict[str, Any]) -> dict[str, Any]:
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


def grow_project_spec(spec: dict[str, Any]) -> None:
    """Add the operations, and the schemas they need, to `spec`."""
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
    schemas["UserEnvelope"] = _enveloped({"$ref": "#/components/schemas/User"})
    schemas["CallQueueEnvelope"] = _enveloped({"$ref": "#/components/schemas/CallQueue"})
    schemas["CallQueuePageEnvelope"] = _enveloped({"$ref": "#/components/schemas/CallQueuePage"})
    schemas["EmptyEnvelope"] = _enveloped({"type": "null"})
    schemas["Team"] = {
        "type": "object",
        "required": ["id", "name", "lead"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "lead": {"type": "string", "nullable": True},
        },
    }
    schemas["Teams"] = {"type": "array", "items": {"$ref": "#/components/schemas/Team"}}
    schemas["TeamsEnvelope"] = _enveloped({"$ref": "#/components/schemas/Teams"})
    team_ref = {"$ref": "#/components/schemas/Team"}
    schemas["MaybeTeamEnvelope"] = _enveloped({"oneOf": [team_ref, {"type": "null"}]})
    schemas["MaybeTeamsEnvelope"] = _enveloped(
        {"type": "array", "nullable": True, "items": team_ref}
    )
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
    paths["/openapi/v2/team/list"] = {
        "get": {
            "operationId": "listTeams",
            "x-cloudcx-method": "list",
            "tags": ["teams"],
            "summary": "List every team",
            "security": _SECURITY,
            "parameters": [
                {"name": "site", "in": "query", "schema": {"type": "string", "maxLength": 20}}
            ],
            "responses": _answers("TeamsEnvelope", "Every team, in one list."),
        }
    }
    name = {"name": "name", "in": "query", "required": True, "schema": {"type": "string"}}
    paths["/openapi/v2/team/find"] = {
        "get": {
            "operationId": "findTeam",
            "x-cloudcx-method": "find",
            "tags": ["teams"],
            "summary": "Find a team by name",
            "security": _SECURITY,
            "parameters": [name],
            "responses": _answers("MaybeTeamEnvelope", "The team, or null when none has the name."),
        }
    }
    paths["/openapi/v2/team/archived"] = {
        "get": {
            "operationId": "listArchivedTeams",
            "x-cloudcx-method": "list_archived",
            "tags": ["teams"],
            "summary": "List the archived teams",
            "security": _SECURITY,
            "parameters": [name],
            "responses": _answers("MaybeTeamsEnvelope", "The teams, or null before any archive."),
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
