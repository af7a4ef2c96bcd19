"""An envelope whose `data` is a list: each item decoded as any model, or a typed error.

A unit test of `decode_list_envelope` on in-memory responses (the typed methods of list
operations call it; the grown project's `cx.teams.list()` runs it over HTTP in
tests/growth). The spec's `User` stands for the item model: tolerant by default (a missing
nullable field reads as null), strict on request; a `data` that is not a list, an item that is
not an object and an item that breaks its schema are `InvalidResponseError`s that say where.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from cloudcx import APIError, InvalidResponseError, NotFoundError, User
from cloudcx._response import decode_list_envelope
from tests.support.records import ADA

REQUEST = httpx.Request("GET", "http://127.0.0.1/openapi/v2/user/all")


def _response(data: Any, *, status: int = 200, code: str = "0000") -> httpx.Response:
    body = {"code": code, "message": "refused" if code != "0000" else None, "data": data}
    return httpx.Response(status, content=json.dumps(body).encode(), request=REQUEST)


@pytest.mark.parametrize("strict", [False, True])
def test_each_item_is_decoded_as_the_model(strict: bool) -> None:
    other = {**ADA, "loginCode": "grace", "extra": "kept"}
    users = decode_list_envelope(_response([ADA, other]), User, strict=strict)
    assert [type(user) for user in users] == [User, User]
    assert [user.login_code for user in users] == ["ada", "grace"]
    assert users[1].additional_properties == {"extra": "kept"}
    assert decode_list_envelope(_response([]), User, strict=strict) == []


def test_a_missing_nullable_field_reads_as_null_unless_strict() -> None:
    partial = {name: value for name, value in ADA.items() if name != "email"}
    (user,) = decode_list_envelope(_response([partial]), User)
    assert user.email is None
    with pytest.raises(InvalidResponseError, match=r"data\[0\]\.email is missing"):
        decode_list_envelope(_response([partial]), User, strict=True)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (ADA, "data is not a list"),
        (None, "data is not a list"),
        ("users", "data is not a list"),
        ([ADA, 7], "data[1] is not an object"),
        ([ADA, [ADA]], "data[1] is not an object"),
        ([ADA, {**ADA, "loginCode": None}], "data[1]"),
        ([{"loginCode": "no-id"}], "data[0].id is missing"),
    ],
)
def test_a_body_that_breaks_the_list_is_a_typed_error_saying_where(data: Any, reason: str) -> None:
    with pytest.raises(InvalidResponseError) as refused:
        decode_list_envelope(_response(data), User)
    assert f"the data breaks the API's schema: {reason}" in str(refused.value)
    assert refused.value.status_code == 200


def test_error_envelopes_and_statuses_are_the_usual_errors() -> None:
    with pytest.raises(APIError) as refused:
        decode_list_envelope(_response(None, code="4031"), User)
    assert (refused.value.status_code, refused.value.code) == (200, "4031")
    with pytest.raises(NotFoundError):
        decode_list_envelope(_response(None, status=404, code="4040"), User)
    html = httpx.Response(
        200, content=b"<html></html>", headers={"content-type": "text/html"}, request=REQUEST
    )
    with pytest.raises(InvalidResponseError, match="HTML"):
        decode_list_envelope(html, User)
