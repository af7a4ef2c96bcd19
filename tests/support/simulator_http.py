"""Speaking to a simulator over plain HTTP, as the simulator tests do: paths, forms and types."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from cloudcx.testing import Simulator, SimulatorProcess

USERS_PATH = "/openapi/v2/user/page"

#: Either kind of simulator: the helpers work with both.
AnySimulator = Simulator | SimulatorProcess

#: Sends a password-grant token request; keyword arguments override or (with None) drop fields.
TokenRequester = Callable[..., httpx.Response]
#: Fetches one user page with the given bearer token and query parameters.
PageFetcher = Callable[..., httpx.Response]


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
