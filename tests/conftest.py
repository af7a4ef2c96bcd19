"""Fixtures shared by the whole suite."""

from __future__ import annotations

import pytest

from tests.support.clock import FakeClock


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop the client is built for."""
    return "asyncio"


@pytest.fixture
def clock() -> FakeClock:
    """The suite's fake clock, starting anew for each test."""
    return FakeClock()
