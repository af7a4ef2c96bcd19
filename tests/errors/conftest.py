"""Fixtures for the error tests: one scripted loopback server per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.clients import serving
from tests.support.scripted_server import ScriptedServer
from tests.support.scripted_server import scripted_server as new_scripted_server


@pytest.fixture(scope="module")
def scripted_server() -> Iterator[ScriptedServer]:
    server = new_scripted_server()
    with serving(server):
        yield server
