"""A copy of the spec with one more operation, to show that the generated artefacts grow with it."""

from __future__ import annotations

from pathlib import Path

from tests.contract._support import SPEC

__all__ = ["GROWN_PATH", "grown_spec"]

GROWN_PATH = "/openapi/v2/user/detail"

_OPERATION = f"""  {GROWN_PATH}:
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


def grown_spec(folder: Path) -> Path:
    """Write the spec with a `getUser` operation added into `folder`; return its path."""
    grown = folder / "grown.yaml"
    grown.write_text(SPEC.read_text().replace("paths:\n", "paths:\n" + _OPERATION, 1))
    return grown
