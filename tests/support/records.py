"""Records and schemas the decoding and generator tests share.

- `ADA`: one user as the API sends it (every field of the spec's `User`, the nullable ones
  null).
- `TEAM`: a small object schema (`id`, `name`, both required) for the operations the generator
  tests add to the spec.
"""

from __future__ import annotations

from typing import Any

ADA: dict[str, Any] = {
    "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
    "loginCode": "ada",
    "roles": ["Admin"],
    "firstName": "Ada",
    "lastName": "Lovelace",
    "email": None,
    "phoneNumber": None,
    "uniqueCode": None,
}

TEAM: dict[str, Any] = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
}
