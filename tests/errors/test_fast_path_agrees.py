"""The generated fast path and the tolerant/strict decoder agree on every body (issue 12).

A unit test of `decode_envelope` on in-memory responses: each body is decoded twice, once with
the fast decoders (`cloudcx_openapi.fast_path`) and once without, in both modes, and the two
must give equal models or the same typed error with the same message. Bodies are valid pages,
pages with one field of one user changed, removed or added, and arbitrary JSON. The same holds
for a list of users (`decode_list_envelope`), with the list decoder the generator writes for a
spec grown by an operation whose `data` is a list of `User`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudcx import CloudCXError, User, UserPage
from cloudcx import _response as response_module
from cloudcx._response import decode_envelope
from cloudcx_openapi.fast_path import FAST_DECODERS
from tests.support.generator_modules import users_list_fast_path

REQUEST = httpx.Request("GET", "http://127.0.0.1/openapi/v2/user/page")
USER_FIELDS = (
    "id",
    "loginCode",
    "roles",
    "firstName",
    "lastName",
    "email",
    "phoneNumber",
    "uniqueCode",
)
PAGE_COUNTS = ("totalPages", "totalElements", "size", "number", "numberOfElements")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
uuids = (
    st.uuids().map(str)
    | st.uuids().map(lambda value: value.hex)
    | st.uuids().map(lambda value: str(value).upper())
)
optional_text = st.none() | st.text(max_size=12)
users = st.fixed_dictionaries(
    {
        "id": uuids,
        "loginCode": st.text(max_size=12),
        "roles": st.lists(st.text(max_size=8), max_size=3),
        "firstName": optional_text,
        "lastName": optional_text,
        "email": optional_text,
        "phoneNumber": optional_text,
        "uniqueCode": optional_text,
    }
)


@st.composite
def pages(draw: st.DrawFn) -> dict[str, Any]:
    content = draw(st.lists(users, max_size=4))
    counts = {name: draw(st.integers(min_value=0, max_value=2**40)) for name in PAGE_COUNTS}
    return {**counts, "content": content}


@st.composite
def broken_pages(draw: st.DrawFn) -> dict[str, Any]:
    """A valid page with one change: a field of a user or of the page replaced, removed or added."""
    page = draw(pages())
    target: dict[str, Any] = page
    fields: tuple[str, ...] = (*PAGE_COUNTS, "content")
    if page["content"] and draw(st.booleans()):
        target, fields = draw(st.sampled_from(page["content"])), USER_FIELDS
    change = draw(st.sampled_from(["replace", "remove", "add"]))
    if change == "add":
        target[draw(st.text(max_size=6).filter(lambda key: key not in fields))] = draw(json_values)
    elif change == "remove":
        del target[draw(st.sampled_from(fields))]
    else:
        target[draw(st.sampled_from(fields))] = draw(json_values | st.integers(max_value=-1))
    return page


envelopes = st.fixed_dictionaries(
    {"code": st.just("0000") | st.text(max_size=4), "data": pages() | broken_pages() | json_values},
    optional={"message": st.none() | st.text(max_size=8), "extra": json_values},
)


@contextmanager
def _without_fast_path(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patch:
        patch.setattr(response_module, "_fast_decoders", {})
        yield


def _outcome(body: bytes, strict: bool) -> Any:
    response = httpx.Response(
        200, content=body, headers={"content-type": "application/json"}, request=REQUEST
    )
    try:
        return decode_envelope(response, UserPage, strict=strict, item_model=User)
    except CloudCXError as exc:
        return (type(exc), str(exc))


def _assert_agree(body: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    for strict in (False, True):
        fast = _outcome(body, strict)
        with _without_fast_path(monkeypatch):
            usual = _outcome(body, strict)
        assert fast == usual


def test_every_data_model_of_the_spec_has_a_fast_decoder() -> None:
    assert set(FAST_DECODERS) == {UserPage}


def test_the_fast_path_takes_an_exact_page_and_refuses_an_extra_field() -> None:
    page = {"totalPages": 1, "totalElements": 0, "size": 25, "number": 0, "numberOfElements": 0}
    exact = json.dumps({"code": "0000", "data": {**page, "content": []}}).encode()
    extra = json.dumps({"code": "0000", "data": {**page, "content": [], "more": 1}}).encode()
    assert isinstance(FAST_DECODERS[UserPage](exact), UserPage)
    assert FAST_DECODERS[UserPage](extra) is None


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(envelope=envelopes)
def test_fast_and_usual_decoders_agree_on_envelopes(
    envelope: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_agree(json.dumps(envelope).encode(), monkeypatch)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=40) | json_values.map(lambda value: json.dumps(value).encode()))
def test_fast_and_usual_decoders_agree_on_any_bytes(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_agree(body, monkeypatch)


@pytest.mark.parametrize(
    "body",
    [
        b'{"code": "0000", "data": {"totalPages": 1e400}}',
        b'{"code": "0000", "data": {"totalPages": NaN}}',
        b'\xef\xbb\xbf{"code": "0000", "data": null}',
        (
            b'{"code": "0000", "data": {"totalPages": 1, "totalElements": 99999999999999999999999, '
            b'"size": 1, "number": 0, "numberOfElements": 0, "content": []}}'
        ),
        (
            b'{"code": "0000", "data": {"totalPages": 1, "totalElements": 1, "size": 1, '
            b'"number": 0, '
            b'"numberOfElements": 1, "content": [{"id": "{75d86d40-f7d9-4025-8a1c-8a868f918289}", '
            b'"loginCode": "a", "roles": [], "firstName": null, "lastName": null, "email": null, '
            b'"phoneNumber": null, "uniqueCode": null}]}}'
        ),
        (
            b'{"code": "0000", "data": {"totalPages": true, "totalElements": 1, "size": 1, '
            b'"number": 0, "numberOfElements": 0, "content": []}}'
        ),
        b'{"code": "0000", "data": {"totalPages": "\\ud800"}}',
    ],
)
def test_fast_and_usual_decoders_agree_on_edge_bodies(
    body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    _assert_agree(body, monkeypatch)


@pytest.mark.parametrize("count", PAGE_COUNTS)
def test_fast_and_usual_decoders_agree_on_a_negative_count(
    count: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    page: dict[str, Any] = {name: 1 for name in PAGE_COUNTS}
    body = json.dumps({"code": "0000", "data": {**page, count: -1, "content": []}}).encode()
    _assert_agree(body, monkeypatch)
    assert FAST_DECODERS[UserPage](body) is None


@pytest.fixture(scope="module")
def users_list_decoders(
    tmp_path_factory: pytest.TempPathFactory,
) -> Mapping[type[Any], Callable[[bytes], Any]]:
    decoders: Mapping[type[Any], Callable[[bytes], Any]] = users_list_fast_path(
        tmp_path_factory.mktemp("users-list")
    ).FAST_LIST_DECODERS
    assert set(decoders) == {User}
    return decoders


def _list_outcome(body: bytes, strict: bool) -> Any:
    response = httpx.Response(
        200, content=body, headers={"content-type": "application/json"}, request=REQUEST
    )
    try:
        return response_module.decode_list_envelope(response, User, strict=strict)
    except CloudCXError as exc:
        return (type(exc), str(exc))


def _assert_lists_agree(
    body: bytes,
    decoders: Mapping[type[Any], Callable[[bytes], Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for strict in (False, True):
        with monkeypatch.context() as patch:
            patch.setattr(response_module, "_fast_list_decoders", decoders)
            fast = _list_outcome(body, strict)
        with monkeypatch.context() as patch:
            patch.setattr(response_module, "_fast_list_decoders", {})
            usual = _list_outcome(body, strict)
        assert fast == usual


def test_the_list_decoder_takes_an_exact_list_and_refuses_an_extra_field(
    users_list_decoders: Mapping[type[Any], Callable[[bytes], Any]],
) -> None:
    user = {name: None for name in USER_FIELDS} | {
        "id": "75d86d40-f7d9-4025-8a1c-8a868f918289",
        "loginCode": "ada",
        "roles": [],
    }
    decode = users_list_decoders[User]
    (decoded,) = decode(json.dumps({"code": "0000", "data": [user]}).encode())
    assert (type(decoded), decoded.login_code) == (User, "ada")
    assert decode(json.dumps({"code": "0000", "data": [{**user, "more": 1}]}).encode()) is None
    assert decode(json.dumps({"code": "0000", "data": user}).encode()) is None


list_envelopes = st.fixed_dictionaries(
    {
        "code": st.just("0000") | st.text(max_size=4),
        "data": st.lists(users, max_size=4)
        | broken_pages().map(lambda page: page.get("content", page))
        | json_values,
    },
    optional={"message": st.none() | st.text(max_size=8), "extra": json_values},
)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(envelope=list_envelopes)
def test_fast_and_usual_decoders_agree_on_lists(
    envelope: dict[str, Any],
    users_list_decoders: Mapping[type[Any], Callable[[bytes], Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _assert_lists_agree(json.dumps(envelope).encode(), users_list_decoders, monkeypatch)
