"""An async client belongs to one event loop: used from a second loop while the first has
requests in flight, it refuses at once with a `ConfigurationError` instead of hanging.
"""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from cloudcx import AsyncCloudCX, ConfigurationError
from tests.support.hostile_server import Connection, api_key_settings, hostile, user_page


def _slow_api(path: str, connection: Connection) -> None:
    time.sleep(1.0)
    connection.respond_json(user_page())


def test_an_async_client_used_from_a_second_loop_at_once_refuses() -> None:
    with hostile(_slow_api) as server:
        cx = AsyncCloudCX(**api_key_settings(server))
        in_flight = threading.Event()
        first: list[object] = []

        async def long_call() -> None:
            task = asyncio.ensure_future(cx.users.list())
            await asyncio.sleep(0.2)
            in_flight.set()
            first.append(await task)
            await cx.close()

        thread = threading.Thread(target=asyncio.run, args=(long_call(),))
        thread.start()
        try:
            assert in_flight.wait(timeout=10)
            started = time.monotonic()
            with pytest.raises(ConfigurationError, match="another event loop"):
                asyncio.run(asyncio.wait_for(cx.users.list(), 10))
            elapsed = time.monotonic() - started
        finally:
            thread.join(timeout=10)
    print(f"\nsecond event loop: ConfigurationError after {elapsed * 1000:.1f} ms")
    assert elapsed < 0.9  # at once: before the first loop's 1 s answer
    assert len(first) == 1  # the first loop's call was not disturbed
