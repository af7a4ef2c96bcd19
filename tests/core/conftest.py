"""Fixtures for the pipeline's end-to-end tests: a simulator per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cloudcx.testing import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh simulator on an OS-chosen loopback port."""
    with Simulator(users=60) as simulator:
        yield simulator
