"""Tolerant decoding by default, strict on request (issue 11).

The vendor's example shows nulls are normal in this API; one user with a missing or null field
must not make a whole page fail. `strict=True` keeps checking that every listed field is there.
Answers come from a scripted loopback server, so each page's body is exactly what is tested.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cloudcx import AsyncCloudCX, CloudCX, InvalidResponseError
from tests.support.scripted_server import Reply, ScriptedServer

API_KEY = "decoding-modes-key"


def _user(index: int, **changes: Any) -> dict[str, Any]:
    user: dict[str, Any] = {
        "id": f"75d86d40-f7d9-4025-8a1c-8a868f9182{index:02d}",
        "loginCode": f"user{index}",
        "roles": ["Agents"],
        "firstName": "First",
        "lastName": "Last",
        "email": f"user{index}@example.net",
        "phoneNumber": None,
        "uniqueCode": None,
    }
    user.update(changes)
    return {key: value for key, value in user.items() if value is not _MISSING}


_MISSING = object()


def _page(users: list[dict[str, Any]]) -> bytes:
    page = {
        "totalPages": 1,
        "totalElements": len(users),
        "size": 25,
        "number": 0,
        "numberOfElements": len(users),
        "content": users,
    }
    return json.dumps({"code": "0000", "message": None, "data": page}).encode()


ODD_USERS = [
    _user(0),
    _user(1, email=None, firstName=None),
    _user(2, phoneNumber=_MISSING, uniqueCode=_MISSING, lastName=_MISSING),
    _user(3, roles=["Supervisor", "Quality Manager"], status="ACTIVE", team={"id": 4}),
]


def _check_tolerant_page(page: Any) -> None:
    assert [user.login_code for user in page.content] == ["user0", "user1", "user2", "user3"]
    assert (page.content[1].email, page.content[1].first_name) == (None, None)
    missing = page.content[2]
    assert (missing.phone_number, missing.unique_code, missing.last_name) == (None, None, None)
    assert missing.additional_properties == {}
    assert page.content[3].roles == ["Supervisor", "Quality Manager"]
    assert page.content[3].additional_properties == {"status": "ACTIVE", "team": {"id": 4}}


def test_odd_users_decode_by_default_and_fail_in_strict_mode_sync(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.reply = Reply(body=_page(ODD_USERS))
    with CloudCX(base_url=scripted_server.base_url, api_key=API_KEY) as cx:
        _check_tolerant_page(cx.users.list())
    with (
        CloudCX(base_url=scripted_server.base_url, api_key=API_KEY, strict=True) as cx,
        pytest.raises(InvalidResponseError) as caught,
    ):
        cx.users.list()
    assert "data.content[2].lastName is missing" in str(caught.value)


@pytest.mark.anyio
async def test_odd_users_decode_by_default_and_fail_in_strict_mode_async(
    scripted_server: ScriptedServer,
) -> None:
    scripted_server.reply = Reply(body=_page(ODD_USERS))
    async with AsyncCloudCX(base_url=scripted_server.base_url, api_key=API_KEY) as cx:
        _check_tolerant_page(await cx.users.list())
    async with AsyncCloudCX(base_url=scripted_server.base_url, api_key=API_KEY, strict=True) as cx:
        with pytest.raises(InvalidResponseError, match=r"data\.content\[2\]\.lastName is missing"):
            await cx.users.list()


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        (_user(0, id=None), r"data\.content\[0\]: User\.id must be a UUID string"),
        (_user(0, loginCode=_MISSING), r"data\.content\[0\]\.loginCode is missing"),
        (_user(0, email=5), r"data\.content\[0\]: User\.email must be a string or null, not int"),
        (_user(0, roles="Admin"), r"data\.content\[0\]: User\.roles must be a list"),
    ],
)
def test_what_is_never_tolerated_fails_in_both_modes(
    scripted_server: ScriptedServer, user: dict[str, Any], reason: str
) -> None:
    scripted_server.reply = Reply(body=_page([user]))
    for strict in (False, True):
        with (
            CloudCX(base_url=scripted_server.base_url, api_key=API_KEY, strict=strict) as cx,
            pytest.raises(InvalidResponseError, match=reason),
        ):
            cx.users.list()
