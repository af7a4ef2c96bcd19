"""Fixtures for the proxy tests: a clean proxy environment, and a proxy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.forward_proxy import ForwardProxy, forward_proxy

__all__ = ["clean_environment", "proxy"]

_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUEST_METHOD")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Whatever the machine running the tests has set must not decide the outcome.
    for name in _VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def proxy() -> Iterator[ForwardProxy]:
    with forward_proxy() as running:
        yield running
