"""Fixtures for the CLI tests: a clean environment per test, a simulator of 60 users to call."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sim_of_60_users as sim
from tests.support.cli import Env, fresh_env

__all__ = ["env", "sim"]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return fresh_env(tmp_path)
