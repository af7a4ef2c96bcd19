"""The cloudcx pytest plugin: a simulator and a client connected to it, as fixtures.

Installed with the package (a `pytest11` entry point), so any project that depends on
cloudcx can write::

    def test_lists_users(cloudcx_client):
        assert cloudcx_client.users.list().total_elements == 250

    @pytest.mark.cloudcx_simulator(users=[{"loginCode": "ada"}], refresh_tokens=True)
    def test_with_chosen_users(cloudcx_simulator, cloudcx_client):
        assert [u.login_code for u in cloudcx_client.users.list().content] == ["ada"]

Each test gets its own simulator (in this process, on a free loopback port), stopped after
it. The `cloudcx_simulator` marker passes its keyword arguments to `Simulator`. Disable the
plugin with `-p no:cloudcx`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from cloudcx import CloudCX
    from cloudcx.testing import Simulator

__all__ = ["cloudcx_client", "cloudcx_simulator", "pytest_configure"]

_MARKER = "cloudcx_simulator"


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker, so that `--strict-markers` accepts it."""
    config.addinivalue_line(
        "markers",
        f"{_MARKER}(**settings): settings for the cloudcx_simulator fixture "
        "(users=N or users=[{...}], token_ttl=..., refresh_tokens=..., ...)",
    )


@pytest.fixture
def cloudcx_simulator(request: pytest.FixtureRequest) -> Iterator[Simulator]:
    """A running CloudCX simulator for this test (settings from the `cloudcx_simulator` mark)."""
    from cloudcx.testing import Simulator

    marker = request.node.get_closest_marker(_MARKER)
    settings = dict(marker.kwargs) if marker is not None else {}
    with Simulator(**settings) as sim:
        yield sim


@pytest.fixture
def cloudcx_client(cloudcx_simulator: Simulator) -> Iterator[CloudCX]:
    """A `CloudCX` client signed in to `cloudcx_simulator` with the password grant."""
    from cloudcx import CloudCX

    sim = cloudcx_simulator
    with CloudCX(
        base_url=sim.base_url,
        token_url=sim.token_url,
        client_id=sim.client_id,
        client_secret=sim.client_secret,
        username=sim.username,
        password=sim.password,
    ) as client:
        yield client
