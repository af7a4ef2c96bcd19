"""The simulated user directory: deterministic users, keyword search and paging.

The directory is copy-on-write: a mutation builds a new immutable snapshot, so readers never
take a lock and never see a half-changed list. Each user's JSON is serialized once, when the
user is created, and pages are assembled from those bytes.
"""

from __future__ import annotations

import hashlib
import json
import threading
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._credentials import DEMO_USER_EMAIL, DEMO_USERNAME

__all__ = ["Directory", "UserRecord", "chosen_user", "make_user"]

#: The one user the vendor's documentation shows; first in every directory.
SEED_USER: dict[str, Any] = {
    "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
    "loginCode": DEMO_USERNAME,
    "roles": ["Admin", "Agents"],
    "firstName": "freesia",
    "lastName": "Test",
    "email": DEMO_USER_EMAIL,
    "phoneNumber": None,
    "uniqueCode": None,
}

_NAMESPACE = uuid.UUID("0b6c5a52-4f0e-5d43-9a57-3c1f2e8d7b60")

# Several names contain "si" so that the seed's example search (keywords=si) finds more than one.
_FIRST_NAMES = (
    "Simone", "Silas", "Priscilla", "Marisol", "Anika", "Boris", "Chen", "Dmitri", "Elena",
    "Farah", "Gustavo", "Hana", "Inès", "Jasper", "Kofi", "Lucia", "Mateo", "Nadia", "Oscar",
    "Rosa", "Tariq", "Yuki", "Zoë", "Louisa", "Casimir", "Isidro", "Renée", "Siobhan", "Amara",
    "Björn", "Wei", "Leila",
)  # fmt: skip
_LAST_NAMES = (
    "Kasprzak", "Sisulu", "Okafor", "Lindqvist", "Moreau", "Tanaka", "Haddad", "Novak",
    "Fischer", "González", "Brennan", "Rossi", "Petrov", "Nakamura", "Osei", "Vasilenko",
    "Morrison", "Da Silva", "Kowalski", "Nguyen", "O'Brien", "Jensen", "Mensah", "Ivanova",
    "Khan", "Larsen", "Dubois", "Yamamoto",
)  # fmt: skip
_ROLE_SETS = (
    ("Agents",),
    ("Agents",),
    ("Agents",),
    ("Supervisor", "Agents"),
    ("Supervisor",),
    ("Admin",),
    ("Admin", "Agents"),
)


def _ascii(text: str) -> str:
    """Fold a display name to the lower-case ASCII used in logins and e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


def make_user(index: int) -> dict[str, Any]:
    """Return the user at ``index`` (0 is the seed's user); the same index gives the same user."""
    if index == 0:
        return dict(SEED_USER, roles=list(SEED_USER["roles"]))
    digest = hashlib.sha256(f"cloudcx-simulator/user/{index}".encode()).digest()
    first = _FIRST_NAMES[digest[0] % len(_FIRST_NAMES)]
    last = _LAST_NAMES[digest[1] % len(_LAST_NAMES)]
    login = f"{_ascii(first)}.{_ascii(last)}{index}"
    phone = f"+1-555-{100 + digest[3] % 900:03d}-{index % 10000:04d}" if digest[2] % 3 else None
    unique = f"EMP-{index:06d}" if digest[4] % 2 else None
    return {
        "id": str(uuid.uuid5(_NAMESPACE, f"user/{index}")),
        "loginCode": login,
        "roles": list(_ROLE_SETS[digest[5] % len(_ROLE_SETS)]),
        "firstName": first,
        "lastName": last,
        "email": f"{login}@example.com",
        "phoneNumber": phone,
        "uniqueCode": unique,
    }


_USER_FIELDS = frozenset(SEED_USER)
_OPTIONAL_STRINGS = ("phoneNumber", "uniqueCode")


def chosen_user(fields: Mapping[str, Any], position: int) -> dict[str, Any]:
    """Complete and check one user given to ``Simulator(users=[...])``.

    ``loginCode`` is required; the other fields default from it (``id`` a UUID derived from the
    login, ``roles`` ``["Agents"]``, empty names, ``<login>@example.com``, no phone or code).
    Raises ``ValueError`` naming the user's position for an unknown field or a wrong type.
    """
    where = f"users[{position}]"
    if not isinstance(fields, Mapping):
        raise ValueError(f"{where} must be a mapping of the API's user fields")
    unknown = sorted(set(fields) - _USER_FIELDS)
    if unknown:
        raise ValueError(f"{where} has unknown fields {unknown}; known: {sorted(_USER_FIELDS)}")
    login = fields.get("loginCode")
    if not isinstance(login, str) or not login:
        raise ValueError(f"{where} needs a non-empty string loginCode")
    user: dict[str, Any] = {
        "id": str(uuid.uuid5(_NAMESPACE, f"chosen/{login}")),
        "loginCode": login,
        "roles": ["Agents"],
        "firstName": "",
        "lastName": "",
        "email": f"{_ascii(login) or 'user'}@example.com",
        "phoneNumber": None,
        "uniqueCode": None,
    }
    user.update(fields)
    roles = user["roles"]
    if not isinstance(roles, list | tuple) or not all(isinstance(r, str) for r in roles):
        raise ValueError(f"{where}.roles must be a list of strings")
    user["roles"] = list(roles)
    for name in ("id", "firstName", "lastName", "email"):
        if not isinstance(user[name], str):
            raise ValueError(f"{where}.{name} must be a string")
    for name in _OPTIONAL_STRINGS:
        if user[name] is not None and not isinstance(user[name], str):
            raise ValueError(f"{where}.{name} must be a string or None")
    return user


@dataclass(frozen=True)
class UserRecord:
    """A directory entry: the user, its serialized JSON and its lower-cased search text."""

    user: dict[str, Any]
    json: bytes
    haystack: str

    @classmethod
    def create(cls, index: int) -> UserRecord:
        """Build the record of the user at ``index``."""
        return cls.of(make_user(index))

    @classmethod
    def of(cls, user: dict[str, Any]) -> UserRecord:
        """Build the record of ``user``, a complete user of the API's shape."""
        text = "\n".join(user[key] for key in ("loginCode", "firstName", "lastName", "email"))
        body = json.dumps(user, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(user=user, json=body, haystack=text.casefold())


@dataclass
class _Snapshot:
    """One immutable version of the directory, with its own cache of search results."""

    records: tuple[UserRecord, ...]
    next_index: int
    searches: dict[str, tuple[UserRecord, ...]] = field(default_factory=dict)


_MAX_CACHED_SEARCHES = 512


class Directory:
    """The simulated directory: ``size`` deterministic users, the seed's user first.

    With ``chosen`` (complete users, see :func:`chosen_user`), the directory holds those
    instead, in that order; users added later are deterministic ones.
    """

    def __init__(self, size: int, chosen: Sequence[dict[str, Any]] | None = None) -> None:
        if size < 0:
            raise ValueError("users must be >= 0")
        if chosen is not None:
            records = tuple(UserRecord.of(dict(user)) for user in chosen)
            size = len(records)
        else:
            records = tuple(UserRecord.create(i) for i in range(size))
        self._snapshot = _Snapshot(records, next_index=size)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._snapshot.records)

    def add(self, count: int) -> None:
        """Append ``count`` new users; indices are never reused, so new users have new IDs."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            old = self._snapshot
            new = tuple(UserRecord.create(old.next_index + i) for i in range(count))
            self._snapshot = _Snapshot(old.records + new, old.next_index + count)

    def remove(self, count: int) -> None:
        """Remove the last ``count`` users (all of them when ``count`` exceeds the size)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        with self._lock:
            old = self._snapshot
            kept = old.records[: max(0, len(old.records) - count)]
            self._snapshot = _Snapshot(kept, old.next_index)

    def users(self) -> list[dict[str, Any]]:
        """Return a copy of every user, in directory order."""
        return [json.loads(record.json) for record in self._snapshot.records]

    def search(self, keywords: str) -> tuple[UserRecord, ...]:
        """Return the users whose login, names or e-mail contain ``keywords``, ignoring case."""
        snapshot = self._snapshot
        if not keywords:
            return snapshot.records
        needle = keywords.casefold()
        found = snapshot.searches.get(needle)
        if found is None:
            found = tuple(r for r in snapshot.records if needle in r.haystack)
            if len(snapshot.searches) >= _MAX_CACHED_SEARCHES:
                snapshot.searches.clear()
            snapshot.searches[needle] = found
        return found
