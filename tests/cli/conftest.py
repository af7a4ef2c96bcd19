"""Fixtures for the CLI tests: a clean environment per test and a simulator to run against."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloudcx.testing import Simulator
from tests.support.cli import Env, fresh_env


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return fresh_env(tmp_path)


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(users=60) as simulator:
        yield simulator
