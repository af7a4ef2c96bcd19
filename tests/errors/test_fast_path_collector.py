"""The fast path holds off automatic collection while it builds a page, and only then.

A unit test of the generated decoder (`cloudcx_openapi.fast_path`): no collection runs inside a
decode, the collector runs afterwards as the application left it, and decoders that overlap
(nested, or in other threads) share one pause, so none of them resumes the collector while
another is still building its page. The pause always heals: after an interrupt at any point of
it, a pause that outlived any decode, a fork while another thread holds it, and a decode from a
signal handler on a thread inside it; and it leaves alone a body over its size bound, a body
under its size floor (too small for the pause to pay), a page's or a list's alike, and the
application's own `gc.disable()` made during a pause.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest

from cloudcx import User, UserPage
from cloudcx_openapi import fast_path
from cloudcx_openapi.fast_path import FAST_DECODERS
from tests.support.generator_modules import users_list_fast_path

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
PAUSE = fast_path._COLLECTOR
HELD = len(BODY)
"""The size a test's own pause claims: one `begin` pauses for."""
WAIT = 10.0


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    PAUSE.reset()
    gc.set_threshold(*threshold)
    if enabled:
        gc.enable()
    else:
        gc.disable()


def _collector_runs() -> bool:
    """Whether an automatic collection starts once many new objects are tracked."""
    started: list[str] = []

    def note(phase: str, info: dict[str, int]) -> None:
        started.append(phase)

    gc.callbacks.append(note)
    try:
        survivors: list[list[int]] = [[] for _ in range(20_000)]
    finally:
        gc.callbacks.remove(note)
    del survivors
    return bool(started)


def _decode_counting_collections() -> tuple[UserPage | None, list[bool]]:
    """Decode BODY with the collector on and a tiny threshold: the page, and for each
    collection that started, whether it started inside the pause (the allocations just before
    `begin` and just after `end`, how many depends on the Python version, may start one
    outside it)."""
    collections: list[bool] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(gc.get_threshold()[0] == fast_path._PAUSED_THRESHOLD)

    gc.enable()
    gc.set_threshold(10)  # without the pause, 300 users (900 tracked objects) trigger ~90
    gc.callbacks.append(count)
    try:
        gc.collect()  # from an empty youngest generation, as the threshold counts allocations
        collections.clear()
        page = decode(BODY)
    finally:
        gc.callbacks.remove(count)
    return page, collections


def test_no_collection_runs_while_a_page_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    thresholds: list[int] = []
    set_threshold = gc.set_threshold

    def spy(*values: int) -> None:
        thresholds.append(values[0])
        set_threshold(*values)

    monkeypatch.setattr(gc, "set_threshold", spy)
    page, collections = _decode_counting_collections()
    assert isinstance(page, UserPage)
    assert len(page.content) == USERS
    assert fast_path._PAUSED_THRESHOLD in thresholds  # the page was built under the pause
    assert True not in collections
    assert gc.isenabled()


def test_a_refused_body_resumes_the_collector_too() -> None:
    gc.enable()
    assert decode(b'{"code": "0000", "data": {"size": -1}}') is None
    assert decode(b"not json") is None
    assert gc.isenabled()
    assert _collector_runs()


def test_a_collector_the_application_disabled_stays_disabled() -> None:
    gc.disable()
    assert decode(BODY) is not None
    assert not gc.isenabled()


def _hold_a_pause(
    inside: threading.Event,
    release: threading.Event,
    lock: AbstractContextManager[object] | None = None,
) -> None:
    """Hold a pause (and `lock`, as a thread inside `begin` or `end` does) until released."""
    token = PAUSE.begin(HELD)
    try:
        with lock or nullcontext():
            inside.set()
            release.wait(WAIT)
    finally:
        PAUSE.end(token)


def test_a_nested_decode_does_not_resume_the_collector_under_an_outer_one() -> None:
    gc.enable()
    outer = PAUSE.begin(HELD)
    try:
        assert decode(BODY) is not None
        assert not _collector_runs()
    finally:
        PAUSE.end(outer)
    assert _collector_runs()


def test_overlapping_decodes_in_threads_resume_the_collector_once_the_last_one_ends() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()
    seen_by_others: list[bool] = []

    holder = threading.Thread(target=_hold_a_pause, args=(inside, release))
    holder.start()
    try:
        assert inside.wait(WAIT)

        def decode_and_look() -> None:
            decode(BODY)
            seen_by_others.append(_collector_runs())

        others = [threading.Thread(target=decode_and_look) for _ in range(4)]
        for thread in others:
            thread.start()
        for thread in others:
            thread.join(WAIT)
        assert seen_by_others == [False] * 4
    finally:
        release.set()
        holder.join(WAIT)
    assert not holder.is_alive()
    assert _collector_runs()


class _Interrupt(BaseException):
    """What a signal handler raises (Ctrl-C) at the worst moment of a pause."""


class _InterruptedAfter:
    """The gc module, except that `name` raises `_Interrupt` right after it ran, once."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.fired = False

    def __getattr__(self, attribute: str) -> Any:
        real: Callable[..., Any] = getattr(gc, attribute)
        if attribute != self.name or self.fired:
            return real

        def interrupted(*args: Any) -> Any:
            real(*args)
            self.fired = True
            raise _Interrupt

        return interrupted


def test_an_interrupt_right_after_the_collector_is_paused_heals_at_the_next_decode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.enable()
    interrupted = _InterruptedAfter("set_threshold")
    monkeypatch.setattr(fast_path, "gc", interrupted)
    with pytest.raises(_Interrupt):
        decode(BODY)
    assert interrupted.fired
    assert decode(BODY) is not None
    assert gc.isenabled()
    assert _collector_runs()


def test_a_pause_older_than_any_decode_ends_and_its_late_end_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gc.enable()
    left_behind = PAUSE.begin(HELD)  # an interrupt before its end: the depth leaked
    monkeypatch.setattr(fast_path, "_LONGEST_PAUSE", 0.0)
    time.sleep(0.01)
    assert decode(BODY) is not None
    assert _collector_runs()
    PAUSE.end(left_behind)
    token = PAUSE.begin(HELD)
    assert not _collector_runs()
    PAUSE.end(token)
    assert _collector_runs()


def test_the_application_s_gc_disable_during_a_pause_is_kept() -> None:
    gc.enable()
    token = PAUSE.begin(HELD)
    gc.disable()
    PAUSE.end(token)
    assert not gc.isenabled()


def test_a_body_over_the_size_bound_decodes_with_the_collector_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast_path, "_PAUSE_LIMIT_BYTES", len(BODY) - 1)
    page, collections = _decode_counting_collections()
    assert isinstance(page, UserPage)
    assert collections != []


def _paused_decode(
    body: bytes,
    monkeypatch: pytest.MonkeyPatch,
    decoder: Callable[[bytes], object] = decode,
    pause: Any = PAUSE,
) -> bool:
    """Whether `decoder` (of the module whose pause is `pause`) took the pause decoding `body`."""
    tokens: list[int | None] = []
    begin = pause.begin

    def spy(size: int) -> int | None:
        assert size == len(body)
        tokens.append(begin(size))
        return tokens[-1]

    with monkeypatch.context() as patched:
        patched.setattr(pause, "begin", spy)
        decoded = decoder(body)
    assert decoded is not None
    assert len(tokens) == 1
    return tokens[0] is not None


def test_a_body_under_the_size_floor_decodes_without_a_pause_and_one_at_it_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    floor = fast_path._PAUSE_FLOOR_BYTES
    # The fewest users whose page reaches the floor; one user fewer stays under it.
    users = next(count for count in range(2, USERS) if len(_page_body(count)) >= floor)
    under, over = _page_body(users - 1), _page_body(users)
    assert len(under) < floor <= len(over)
    assert not _paused_decode(under, monkeypatch)
    assert not _paused_decode(_page_body(25), monkeypatch)
    assert _paused_decode(over, monkeypatch)
    assert _paused_decode(BODY, monkeypatch)


def _list_body(users: int) -> bytes:
    """A list envelope of `users` users, the page's."""
    page = json.loads(_page_body(users))
    return json.dumps({"code": "0000", "data": page["data"]["content"]}).encode()


def test_a_list_decoder_keeps_the_same_size_floor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = users_list_fast_path(tmp_path)
    decode_list = module.FAST_LIST_DECODERS[User]
    floor = module._PAUSE_FLOOR_BYTES
    small, large = _list_body(25), _list_body(USERS)
    assert len(small) < floor <= len(large)
    assert not _paused_decode(small, monkeypatch, decode_list, module._COLLECTOR)
    assert _paused_decode(large, monkeypatch, decode_list, module._COLLECTOR)


def test_a_decode_on_a_thread_inside_the_pause_s_lock_does_not_deadlock() -> None:
    # A signal handler runs on the thread it interrupts, possibly inside `begin` or `end`.
    results: list[UserPage | None] = []

    def decode_inside() -> None:
        with PAUSE._lock:
            results.append(decode(BODY))

    worker = threading.Thread(target=decode_inside, daemon=True)
    worker.start()
    worker.join(WAIT)
    assert not worker.is_alive()
    assert len(results) == 1
    assert isinstance(results[0], UserPage)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_child_forked_while_another_thread_holds_the_pause_starts_without_it() -> None:
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    holder = threading.Thread(target=_hold_a_pause, args=(inside, release, PAUSE._lock))
    holder.start()
    try:
        assert inside.wait(WAIT)
        pid = os.fork()
        if pid == 0:  # the child: exits with 0 only if it decodes with the collector running
            status = 1
            try:
                status = 0 if decode(BODY) is not None and _collector_runs() else 2
            finally:
                os._exit(status)
        deadline = time.monotonic() + WAIT
        finished, status = os.waitpid(pid, os.WNOHANG)
        while not finished and time.monotonic() < deadline:
            time.sleep(0.02)
            finished, status = os.waitpid(pid, os.WNOHANG)
        if not finished:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        assert finished, "the child deadlocked on its first decode"
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        release.set()
        holder.join(WAIT)
    assert _collector_runs()
