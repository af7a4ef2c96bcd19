"""The suite's loopback guard refuses and records any reach beyond loopback.

The guard (tests/conftest.py) is the witness of "nothing was sent" elsewhere in the suite, so
it is checked here on its own, with plain sockets and no product code.
"""

from __future__ import annotations

import socket

import pytest

from tests.conftest import _is_loopback


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "[::1]",
        "localhost",
        "LOCALHOST.",
        pytest.param(b"127.0.0.1", id="bytes"),
    ],
)
def test_loopback_hosts_pass_the_guard(host: str | bytes) -> None:
    assert _is_loopback(host)


@pytest.mark.parametrize(
    "host",
    ["10.0.0.1", "8.8.8.8", "::2", "example.com", "localhost.example.com", "", None, 2130706433],
)
def test_other_hosts_do_not_pass_the_guard(host: object) -> None:
    assert not _is_loopback(host)


def test_a_lookup_beyond_loopback_is_refused_and_recorded(loopback_only: list[object]) -> None:
    with pytest.raises(OSError, match="test guard"):
        socket.getaddrinfo("example.com", 443)
    assert loopback_only == ["example.com"]
    loopback_only.clear()  # the guard's own end-of-test check would otherwise fail


def test_a_connection_beyond_loopback_is_refused_and_recorded(
    loopback_only: list[object],
) -> None:
    with socket.socket() as sock, pytest.raises(OSError, match="test guard"):
        sock.connect(("192.0.2.1", 443))
    assert loopback_only == [("192.0.2.1", 443)]
    loopback_only.clear()
