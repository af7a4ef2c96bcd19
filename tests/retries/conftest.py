"""Fixtures for the retry tests: a fresh simulator and a fake clock for the backoff."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudcx.testing import Simulator
from tests.retries._support import FakeTime


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(users=30) as simulator:
        yield simulator


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()
