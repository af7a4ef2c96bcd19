"""Unbounded bodies: a gzip bomb, an endless chunked body, a huge page, a huge token answer end
the read at the body cap with a typed error, and memory stays near the cap.

Peak memory is measured with tracemalloc around the call and printed for the report.
"""

from __future__ import annotations

import asyncio
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest

from cloudcx import AsyncCloudCX, CloudCX, ConfigurationError, InvalidResponseError
from tests.support.hostile_server import (
    Connection,
    api_key_settings,
    assert_no_secret,
    gzip_bomb,
    hostile,
    password_settings,
    token_answer,
)

_CAP = 256 * 1024
# The cap, plus what one decoding step may inflate beyond it, plus the client's own working set.
_MEMORY_BOUND = 12 * 1024 * 1024
_BOMB = gzip_bomb()  # 16 MiB of zeros in about 16 KB: a thousandfold inflation


def _bomb(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
        return
    connection.respond(
        body=_BOMB, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
    )


def _endless_chunks(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
        return
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    if connection.send(head):
        connection.endless(b"1000\r\n" + b"[" * 4096 + b"\r\n")


def _huge_page(path: str, connection: Connection) -> None:
    if path.startswith("/oauth/token"):
        token_answer(connection)
        return
    length = 50 * 1024 * 1024
    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
    if connection.send(head.encode()):
        connection.endless(b" " * 65536, limit=length // 65536)


def _huge_token(path: str, connection: Connection) -> None:
    head = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    if connection.send(head):
        connection.endless(b"1000\r\n" + b" " * 4096 + b"\r\n")


def _measure(call: Callable[[], Any]) -> tuple[float, int, InvalidResponseError]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(InvalidResponseError) as caught:
            call()
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return elapsed, peak, caught.value


_ATTACKS = [_bomb, _endless_chunks, _huge_page]


@pytest.mark.parametrize("handler", _ATTACKS, ids=lambda handler: handler.__name__)
def test_an_oversized_api_body_stops_at_the_cap(handler: Callable[[str, Connection], None]) -> None:
    settings = api_key_settings
    with hostile(handler) as server, CloudCX(**settings(server, max_response_bytes=_CAP)) as cx:
        elapsed, peak, error = _measure(cx.users.list)
    print(
        f"\n{handler.__name__}: InvalidResponseError after {elapsed:.3f} s, peak {peak >> 10} KiB"
    )
    assert "max_response_bytes" in str(error)
    assert peak < _MEMORY_BOUND
    assert_no_secret(error)


@pytest.mark.anyio
@pytest.mark.parametrize("handler", _ATTACKS, ids=lambda handler: handler.__name__)
async def test_an_oversized_api_body_stops_at_the_cap_async(
    handler: Callable[[str, Connection], None],
) -> None:
    with hostile(handler) as server:
        async with AsyncCloudCX(**api_key_settings(server, max_response_bytes=_CAP)) as cx:
            tracemalloc.start()
            try:
                with pytest.raises(InvalidResponseError, match="max_response_bytes"):
                    await asyncio.wait_for(cx.users.list(), 20)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert peak < _MEMORY_BOUND


def test_an_oversized_token_answer_stops_at_the_cap() -> None:
    settings = password_settings
    with hostile(_huge_token) as server, CloudCX(**settings(server, max_response_bytes=_CAP)) as cx:
        elapsed, peak, error = _measure(cx.get_token)
    print(f"\nhuge token answer: InvalidResponseError after {elapsed:.3f} s, peak {peak >> 10} KiB")
    assert peak < _MEMORY_BOUND
    assert error.body_excerpt == ""  # a token endpoint's body is never quoted
    assert_no_secret(error)


@pytest.mark.anyio
async def test_an_oversized_token_answer_stops_at_the_cap_async() -> None:
    with hostile(_huge_token) as server:
        async with AsyncCloudCX(**password_settings(server, max_response_bytes=_CAP)) as cx:
            with pytest.raises(InvalidResponseError, match="max_response_bytes"):
                await asyncio.wait_for(cx.get_token(), 20)


def test_a_body_within_the_cap_is_read_whole() -> None:
    # The cap is a bound, not a truncation: a gzip body inflating to just under it decodes.
    small = gzip_bomb(inflated=1024 * 1024)

    def handler(path: str, connection: Connection) -> None:
        connection.respond(
            body=small, headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}
        )

    with hostile(handler) as server, CloudCX(**api_key_settings(server)) as cx:
        response = cx.client.get_httpx_client().get("/openapi/v2/user/page")
    assert len(response.content) == 1024 * 1024


@pytest.mark.parametrize("cap", [0, -1, 1.5, True, "1000", 10**400])
def test_a_bad_cap_is_refused_by_name(cap: object) -> None:
    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        CloudCX(base_url="http://127.0.0.1:9", api_key="k", max_response_bytes=cap)  # type: ignore[arg-type]


def test_the_generated_client_path_is_capped_too() -> None:
    # `cx.client` shares the connection pool: a generated endpoint function or a direct httpx
    # call through it meets the same cap.
    with (
        hostile(_bomb) as server,
        CloudCX(**api_key_settings(server, max_response_bytes=_CAP)) as cx,
        pytest.raises(InvalidResponseError, match="max_response_bytes"),
    ):
        cx.client.get_httpx_client().get("/openapi/v2/user/page")
