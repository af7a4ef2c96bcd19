"""Fixtures for the retry tests: a fresh simulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudcx.testing import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(users=30) as simulator:
        yield simulator
