"""Fixtures for the pipeline's end-to-end tests: a simulator per test, clients wired to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypedDict

import pytest

from cloudcx.testing import Simulator


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """A fresh simulator on an OS-chosen loopback port."""
    with Simulator(users=60) as simulator:
        yield simulator


class PasswordArgs(TypedDict, total=False):
    """Keyword arguments of the clients for the password grant."""

    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    username: str
    password: str


def password_kwargs(sim: Simulator) -> PasswordArgs:
    """Client arguments for the password grant against `sim`."""
    return {
        "base_url": sim.base_url,
        "token_url": sim.token_url,
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
    }
