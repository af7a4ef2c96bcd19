"""The fast path pauses the cyclic garbage collector while it builds a page, and only then.

A unit test of the generated decoder (`cloudcx_openapi.fast_path`): no collection runs inside a
decode, the collector is resumed afterwards only if it was enabled before, and decoders that
overlap (nested, or in other threads) share one pause, so none of them resumes the collector
while another is still building its page.
"""

from __future__ import annotations

import gc
import json
import threading
import uuid
from collections.abc import Iterator

import pytest

from cloudcx import UserPage
from cloudcx_openapi import fast_path
from cloudcx_openapi.fast_path import FAST_DECODERS

USERS = 300


def _page_body(users: int = USERS) -> bytes:
    content = [
        {
            "id": str(uuid.UUID(int=index + 1)),
            "loginCode": f"user{index}",
            "roles": ["Agents"],
            "firstName": "Ada",
            "lastName": None,
            "email": None,
            "phoneNumber": None,
            "uniqueCode": None,
        }
        for index in range(users)
    ]
    data = {
        "totalPages": 1,
        "totalElements": users,
        "size": users,
        "number": 0,
        "numberOfElements": users,
        "content": content,
    }
    return json.dumps({"code": "0000", "message": None, "data": data}).encode()


BODY = _page_body()
decode = FAST_DECODERS[UserPage]


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_no_collection_runs_while_a_page_is_built() -> None:
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    gc.enable()
    gc.set_threshold(10)  # without the pause, 300 users (900 tracked objects) trigger ~90
    gc.callbacks.append(count)
    try:
        gc.collect()  # from an empty youngest generation, as the threshold counts allocations
        collections.clear()
        page = decode(BODY)
    finally:
        gc.callbacks.remove(count)
    assert isinstance(page, UserPage)
    assert len(page.content) == USERS
    assert collections == []
    assert gc.isenabled()


def test_a_refused_body_resumes_the_collector_too() -> None:
    gc.enable()
    assert decode(b'{"code": "0000", "data": {"size": -1}}') is None
    assert decode(b"not json") is None
    assert gc.isenabled()


def test_a_collector_the_application_disabled_stays_disabled() -> None:
    gc.disable()
    assert decode(BODY) is not None
    assert not gc.isenabled()


def test_a_nested_decode_does_not_resume_the_collector_under_an_outer_one() -> None:
    gc.enable()
    with fast_path._COLLECTOR_PAUSED:
        assert decode(BODY) is not None
        assert not gc.isenabled()
    assert gc.isenabled()


def test_overlapping_decodes_in_threads_resume_the_collector_once_the_last_one_ends() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()
    seen_by_others: list[bool] = []

    def hold_a_pause() -> None:
        with fast_path._COLLECTOR_PAUSED:
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold_a_pause)
    holder.start()
    try:
        assert inside.wait(10)

        def decode_and_look() -> None:
            decode(BODY)
            seen_by_others.append(gc.isenabled())

        others = [threading.Thread(target=decode_and_look) for _ in range(4)]
        for thread in others:
            thread.start()
        for thread in others:
            thread.join(10)
        assert seen_by_others == [False] * 4
    finally:
        release.set()
        holder.join(10)
    assert not holder.is_alive()
    assert gc.isenabled()
