"""An envelope whose `data` the spec lets be null: a null `data` decodes to None.

A unit test of `decode_envelope` and `decode_list_envelope` with `nullable=True` (what the
runner passes for an operation whose table record has `data_nullable`) on in-memory responses;
the grown project's nullable operations run it over HTTP in tests/growth. A null `data` is None
in both modes; a missing `data` reads as null only when tolerant; a `data` that is there is
decoded (and checked) as usual; without `nullable` a null `data` is refused as before. The
`assert_type` calls are checked by `make typecheck` (mypy --strict): the result is `<M> | None`
only when `nullable` is given.
"""

from __future__ import annotations

import json
from typing import Any, assert_type

import httpx
import pytest

from cloudcx import APIError, InvalidResponseError, User
from cloudcx._response import decode_envelope, decode_list_envelope
from tests.support.records import ADA

REQUEST = httpx.Request("GET", "http://127.0.0.1/openapi/v2/user/maybe")
_NO_DATA = object()


def _response(data: Any, *, code: str = "0000") -> httpx.Response:
    body: dict[str, Any] = {"code": code, "message": None}
    if data is not _NO_DATA:
        body["data"] = data
    return httpx.Response(200, content=json.dumps(body).encode(), request=REQUEST)


@pytest.mark.parametrize("strict", [False, True])
def test_a_null_data_decodes_to_none_for_one_model_and_for_a_list(strict: bool) -> None:
    one = decode_envelope(_response(None), User, strict=strict, nullable=True)
    assert_type(one, User | None)
    assert one is None
    many = decode_list_envelope(_response(None), User, strict=strict, nullable=True)
    assert_type(many, list[User] | None)
    assert many is None


@pytest.mark.parametrize("strict", [False, True])
def test_a_present_data_is_still_decoded_and_checked(strict: bool) -> None:
    user = decode_envelope(_response(ADA), User, strict=strict, nullable=True)
    assert user is not None
    assert user.login_code == "ada"
    users = decode_list_envelope(_response([ADA]), User, strict=strict, nullable=True)
    assert users is not None
    assert [item.login_code for item in users] == ["ada"]
    with pytest.raises(InvalidResponseError, match="data is not an object"):
        decode_envelope(_response([ADA]), User, strict=strict, nullable=True)
    with pytest.raises(InvalidResponseError, match="data is not a list"):
        decode_list_envelope(_response(ADA), User, strict=strict, nullable=True)
    with pytest.raises(InvalidResponseError, match=r"data\[0\]\.id is missing"):
        decode_list_envelope(_response([{"loginCode": "x"}]), User, strict=strict, nullable=True)


def test_a_missing_data_reads_as_null_only_when_tolerant() -> None:
    assert decode_envelope(_response(_NO_DATA), User, nullable=True) is None
    assert decode_list_envelope(_response(_NO_DATA), User, nullable=True) is None
    with pytest.raises(InvalidResponseError, match="data is not an object"):
        decode_envelope(_response(_NO_DATA), User, strict=True, nullable=True)
    with pytest.raises(InvalidResponseError, match="data is not a list"):
        decode_list_envelope(_response(_NO_DATA), User, strict=True, nullable=True)


@pytest.mark.parametrize("strict", [False, True])
def test_without_nullable_a_null_data_is_refused_as_before(strict: bool) -> None:
    with pytest.raises(InvalidResponseError, match="data is not an object"):
        decode_envelope(_response(None), User, strict=strict)
    with pytest.raises(InvalidResponseError, match="data is not a list"):
        decode_list_envelope(_response(None), User, strict=strict)
    user = decode_envelope(_response(ADA), User, strict=strict)
    assert_type(user, User)
    assert user.login_code == "ada"
    users = decode_list_envelope(_response([ADA]), User, strict=strict)
    assert_type(users, list[User])
    assert len(users) == 1


def test_an_error_envelope_is_still_the_api_error() -> None:
    with pytest.raises(APIError) as refused:
        decode_envelope(_response(None, code="4031"), User, nullable=True)
    assert (refused.value.status_code, refused.value.code) == (200, "4031")
    with pytest.raises(APIError):
        decode_list_envelope(_response(None, code="4031"), User, nullable=True)
