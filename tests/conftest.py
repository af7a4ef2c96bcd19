"""Fixtures shared by the whole suite."""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cloudcx.testing import Simulator
from tests.support.clients import LogCapture, SimFactory
from tests.support.clock import FakeClock
from tests.support.grown_spec import generate_grown


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop the client is built for."""
    return "asyncio"


@pytest.fixture
def clock() -> FakeClock:
    """The suite's fake clock, starting anew for each test."""
    return FakeClock()


@pytest.fixture
def make_sim() -> Iterator[SimFactory]:
    """Start simulators with any settings; all are stopped at the end of the test."""
    started: list[Simulator] = []

    def make(**settings: Any) -> Simulator:
        settings.setdefault("users", 30)
        sim = Simulator(**settings).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        sim.stop()


@pytest.fixture(scope="session")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package generated from the grown spec (tests/support/grown_spec.py), once per worker."""
    return generate_grown(tmp_path_factory.mktemp("grown"))


@pytest.fixture
def sim(make_sim: SimFactory) -> Simulator:
    """A simulator with 30 users, on an OS-chosen loopback port."""
    return make_sim()


@pytest.fixture
def sim_of_60_users(make_sim: SimFactory) -> Simulator:
    """A simulator with 60 users: several pages at the default and at most tested page sizes.

    The CLI, core and simulator tests count on these 60; their conftests name it `sim`.
    """
    return make_sim(users=60)


def _is_loopback(host: object) -> bool:
    """The guard's own loopback test, kept free of product code so a product bug cannot blind it."""
    if isinstance(host, bytes):
        host = host.decode()
    if not isinstance(host, str):
        return False
    if host.lower() in {"localhost", "localhost."}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Refuse (and record) any name lookup or connection to a host that is not loopback.

    A safety net for the whole suite, and the witness of "nothing was sent" in the insecure
    transport tests: the list it yields must stay empty.
    """
    attempts: list[object] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            attempts.append(host)
            raise OSError(f"test guard: no lookup of non-loopback host {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    def connect(self: socket.socket, address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            attempts.append(address)
            raise OSError(f"test guard: no connection to {address!r}")
        real_connect(self, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    yield attempts
    assert attempts == [], f"something tried to reach beyond loopback: {attempts}"


_CAPTURED = ("", "httpx", "httpcore", "cloudcx")


@pytest.fixture
def debug_logs() -> Iterator[LogCapture]:
    """Every log record, at DEBUG, from the root, httpx, httpcore and cloudcx loggers."""
    handler = LogCapture()
    saved = []
    for name in _CAPTURED:
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    yield handler
    for logger, level in saved:
        logger.setLevel(level)
        logger.removeHandler(handler)
