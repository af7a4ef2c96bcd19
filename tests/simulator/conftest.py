"""Fixtures for the simulator tests: a running simulator, an HTTP client and a token helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cloudcx.testing import Simulator
from tests.conftest import sim_of_60_users as sim
from tests.support.simulator_http import (
    USERS_PATH,
    AnySimulator,
    PageFetcher,
    TokenRequester,
    password_form,
)

__all__ = ["access_token", "client", "get_page", "request_token", "sim"]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy set in the environment must not intercept loopback traffic.
    with httpx.Client(trust_env=False, timeout=10) as http:
        yield http


@pytest.fixture
def request_token(client: httpx.Client) -> Callable[..., httpx.Response]:
    def send(sim: AnySimulator, **overrides: str | None) -> httpx.Response:
        return client.post(sim.token_url, data=password_form(sim, **overrides))

    return send


@pytest.fixture
def access_token(request_token: TokenRequester) -> Callable[[Simulator], str]:
    def issue(sim: Simulator) -> str:
        response = request_token(sim)
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    return issue


@pytest.fixture
def get_page(client: httpx.Client) -> PageFetcher:
    def fetch(sim: AnySimulator, token: str | None, **params: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        return client.get(sim.base_url + USERS_PATH, params=params, headers=headers)

    return fetch
