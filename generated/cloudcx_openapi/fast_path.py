"""Fast decoders for the success envelopes, generated from the spec: NEVER edit by hand.

Written by generator/fast_path.py (see its docstring): each function returns the public model
for the exact body the spec describes, or None for any other body, which the caller then decodes
with the tolerant (or strict) decoder.
"""

import gc
import threading
from collections.abc import Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import Annotated, Any
from uuid import UUID

import msgspec

from .models import User, UserPage

SUCCESS_CODE = "0000"
_REFUSED = (msgspec.DecodeError, RecursionError)


class _CollectorPause:
    """Pause the cyclic garbage collector while one body is decoded; thread-safe, nestable.

    A page is built from a few tracked objects per item (the model, its UUID, its lists) that
    all survive the build, so every collection the build triggers scans them and promotes
    them to an older generation for nothing: about 0.3 ms for 1,000 users, a third of the
    whole decode. The pause is bounded by the body (capped by `max_response_bytes` before it
    gets here) and creates no cycles. Concurrent or nested decoders share one pause: the last
    one out resumes the collector, and only if it was enabled when the first one came in.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False

    def __enter__(self) -> None:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                gc.disable()
            self._depth += 1

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        with self._lock:
            self._depth -= 1
            if self._depth == 0 and self._resume:
                gc.enable()


_COLLECTOR_PAUSED = _CollectorPause()


class _User(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    id: UUID = msgspec.field(name="id")
    login_code: str = msgspec.field(name="loginCode")
    roles: list[str] = msgspec.field(name="roles")
    first_name: str | None = msgspec.field(name="firstName")
    last_name: str | None = msgspec.field(name="lastName")
    email: str | None = msgspec.field(name="email")
    phone_number: str | None = msgspec.field(name="phoneNumber")
    unique_code: str | None = msgspec.field(name="uniqueCode")


def _User_model(source: _User) -> User:
    return User(
        source.id,
        source.login_code,
        source.roles,
        source.first_name,
        source.last_name,
        source.email,
        source.phone_number,
        source.unique_code,
    )


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
    with _COLLECTOR_PAUSED:
        try:
            envelope = _DECODE_USERPAGE(content)
        except _REFUSED:
            return None
        if envelope.code != SUCCESS_CODE:
            return None
        return _UserPage_model(envelope.data)


FAST_DECODERS: Mapping[type[Any], Callable[[bytes], Any]] = MappingProxyType(
    {
        UserPage: _decode_UserPage,
    }
)
"""Each data model with a fast decoder: response bytes -> the model, or None."""
