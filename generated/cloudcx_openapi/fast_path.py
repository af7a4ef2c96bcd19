"""Fast decoders for the success envelopes, generated from the spec: NEVER edit by hand.

Written by generator/fast_path.py (see its docstring): each function returns the public model
for the exact body the spec describes, or None for any other body, which the caller then decodes
with the tolerant (or strict) decoder.
"""

import gc
import os
import threading
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Annotated, Any
from uuid import UUID

import msgspec

from .models import User, UserPage

SUCCESS_CODE = "0000"
_REFUSED = (msgspec.DecodeError, RecursionError)
_PAUSE_LIMIT_BYTES = 4 * 2**20
"""Larger bodies decode with the collector running: a pause stays a few tens of milliseconds."""
_PAUSE_FLOOR_BYTES = 16 * 2**10
"""Smaller bodies decode without a pause, which would cost more than it could spare.

A user takes 150 bytes at the least and builds three tracked objects, so a body under the floor
builds at most about 330: under half the youngest generation's threshold (700), too few to start
a collection unless the generation was already half full, and then only one. A pause (a lock,
two threshold reads and two writes) costs a few microseconds on every decode: about a tenth of
decoding 25 users.
"""
_LONGEST_PAUSE = 1.0
"""Seconds; a pause older than this outlived any decode of a bounded body, so it leaked."""
_PAUSED_THRESHOLD = 1 << 30
"""The youngest generation's threshold during a pause: no decode allocates that many objects."""


class _CollectorPause:
    """Hold off automatic garbage collection while one body is decoded; thread- and fork-safe.

    Why: a page is built from a few tracked objects per item (the model, its UUID, its lists)
    that all survive the build, so every collection the build triggers scans them and promotes
    them to an older generation for nothing: about 0.3 ms for 1,000 users, a third of the
    whole decode.

    How, and why it always heals. The pause raises the youngest generation's threshold to
    `_PAUSED_THRESHOLD` instead of calling `gc.disable()`: the threshold itself says "paused by
    us", so the application's own `gc.disable()`, `gc.enable()` or `gc.set_threshold()` made
    during a pause is never undone (we restore the saved threshold only while ours is still
    set), and a pause left behind by an exception at any point (Ctrl-C in a signal handler) is
    recognised by the next one. Concurrent and nested decoders share one pause, counted by
    `_depth`; the shared pause starts a round, and a pause older than `_LONGEST_PAUSE` (a leaked
    depth, or overlapping decoders that would starve the collector) ends its round at the next
    `begin`: the collector resumes and the late `end` calls of that round do nothing. Bodies over
    `_PAUSE_LIMIT_BYTES` or under `_PAUSE_FLOOR_BYTES` decode without a pause (`begin` decides,
    so every decoder keeps the same bounds). The lock is reentrant, so a signal handler that
    decodes on a thread inside `begin` or `end` does not deadlock, and a forked child starts
    with a fresh lock and no pause (`os.register_at_fork`), whatever the parent's threads held.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._saved = gc.get_threshold()
        self._depth = 0
        self._since = 0.0
        self._round = 0

    def begin(self, size: int) -> int | None:
        """Pause for a body of `size` bytes: the token for `end`, or None when not paused."""
        if size > _PAUSE_LIMIT_BYTES or size < _PAUSE_FLOOR_BYTES:
            return None
        with self._lock:
            now = time.monotonic()
            if self._depth and now - self._since > _LONGEST_PAUSE:
                self._end_round()
                return None
            if not self._depth:
                current = gc.get_threshold()
                if current[0] != _PAUSED_THRESHOLD:  # else a pause of ours left behind
                    self._saved = current
                self._since = now
                gc.set_threshold(_PAUSED_THRESHOLD, *self._saved[1:])
            self._depth += 1
            return self._round

    def end(self, token: int | None) -> None:
        """End the pause `begin` returned `token` for (None: nothing to end)."""
        if token is None:
            return
        with self._lock:
            if token == self._round:
                self._depth -= 1
                if not self._depth:
                    self._end_round()

    def _end_round(self) -> None:
        self._round += 1
        self._depth = 0
        if gc.get_threshold()[0] == _PAUSED_THRESHOLD:
            gc.set_threshold(*self._saved)

    def reset(self) -> None:
        """Forget every pause and resume the collector: in a forked child, whose one thread holds
        none, and with a fresh lock, as the parent's may have been held by another thread."""
        self._lock = threading.RLock()
        self._end_round()


_COLLECTOR = _CollectorPause()
os.register_at_fork(after_in_child=_COLLECTOR.reset)


class _User(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: UUID = msgspec.field(name="id")
    login_code: str = msgspec.field(name="loginCode")
    roles: list[str] = msgspec.field(name="roles")
    first_name: str | None = msgspec.field(name="firstName")
    last_name: str | None = msgspec.field(name="lastName")
    email: str | None = msgspec.field(name="email")
    phone_number: str | None = msgspec.field(name="phoneNumber")
    unique_code: str | None = msgspec.field(name="uniqueCode")


class _UserPage(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    total_pages: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(name="totalPages")
    total_elements: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(name="totalElements")
    size: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(name="size")
    number: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(name="number")
    number_of_elements: Annotated[int, msgspec.Meta(ge=0)] = msgspec.field(name="numberOfElements")
    content: list[_User] = msgspec.field(name="content")


def _UserPage_model(source: _UserPage) -> UserPage:
    return UserPage(
        source.total_pages,
        source.total_elements,
        source.size,
        source.number,
        source.number_of_elements,
        [
            User(
                item.id,
                item.login_code,
                item.roles,
                item.first_name,
                item.last_name,
                item.email,
                item.phone_number,
                item.unique_code,
            )
            for item in source.content
        ],
    )


class _UserPageEnvelope(msgspec.Struct):
    code: str
    data: _UserPage


_DECODE_USERPAGE = msgspec.json.Decoder(_UserPageEnvelope).decode


def _decode_UserPage(content: bytes) -> UserPage | None:
    pause = _COLLECTOR.begin(len(content))
    try:
        envelope = _DECODE_USERPAGE(content)
    except _REFUSED:
        return None
    else:
        if envelope.code != SUCCESS_CODE:
            return None
        return _UserPage_model(envelope.data)
    finally:
        if pause is not None:
            _COLLECTOR.end(pause)


FAST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType(
    {
        UserPage: _decode_UserPage,
    }
)
"""Each data model with a fast decoder: response bytes -> the model, or None."""

FAST_LIST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType({})
"""Each item model of a list with a fast decoder: response bytes -> the list, or None."""
