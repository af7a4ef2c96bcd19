"""Fixtures for the simulator tests: a running simulator, an HTTP client and a token helper."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from cloudcx.testing import Simulator, SimulatorProcess

USERS_PATH = "/openapi/v2/user/page"

#: Either kind of simulator: the helpers work with both.
AnySimulator = Simulator | SimulatorProcess

#: Sends a password-grant token request; keyword arguments override or (with None) drop fields.
TokenRequester = Callable[..., httpx.Response]
#: Fetches one user page with the given bearer token and query parameters.
PageFetcher = Callable[..., httpx.Response]


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    # trust_env=False: a proxy set in the environment must not intercept loopback traffic.
    with httpx.Client(trust_env=False, timeout=10) as http:
        yield http


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(users=60) as simulator:
        yield simulator


def password_form(sim: AnySimulator, **overrides: str | None) -> dict[str, str]:
    form: dict[str, str | None] = {
        "grant_type": "password",
        "client_id": sim.client_id,
        "client_secret": sim.client_secret,
        "username": sim.username,
        "password": sim.password,
    }
    form.update(overrides)
    return {name: value for name, value in form.items() if value is not None}


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
