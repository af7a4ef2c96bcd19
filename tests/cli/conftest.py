"""Fixtures for the CLI tests: a clean environment per test, a simulator of 60 users to call,
and for the grown spec's commands its operation table and a simulator serving it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from cloudcx.testing import Simulator
from cloudcx_openapi.operations import Operation
from tests.conftest import sim_of_60_users as sim
from tests.support.cli import Env, fresh_env

__all__ = ["env", "sim"]


@pytest.fixture
def env(tmp_path: Path) -> Env:
    return fresh_env(tmp_path)


@pytest.fixture(scope="module")
def table(grown: Path) -> Sequence[Operation]:
    """The operation table generated from the grown spec (tests/support/grown_spec.py)."""
    from cloudcx.testing._spec_routes import load_operations

    return load_operations(str(grown / "cloudcx_openapi" / "operations.py"))


@pytest.fixture
def grown_sim(grown: Path) -> Iterator[Simulator]:
    """A simulator serving the grown spec's operations too."""
    table_file = str(grown / "cloudcx_openapi" / "operations.py")
    with Simulator(users=3, operations=table_file) as served:
        yield served
