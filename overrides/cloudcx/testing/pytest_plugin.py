"""The cloudcx pytest plugin: a simulator and a client connected to it, as fixtures.

Installed with the package (a `pytest11` entry point), so any project that depends on
cloudcx can write::

    def test_lists_users(cloudcx_client):
        assert cloudcx_client.users.list().total_elements == 250

    @pytest.mark.cloudcx_simulator(users=[{"loginCode": "ada"}], refresh_tokens=True)
    def test_with_chosen_users(cloudcx_simulator, cloudcx_client):
        assert [u.login_code for u in cloudcx_client.users.list().content] == ["ada"]

    async def test_lists_users_async(cloudcx_async_client):
        page = await cloudcx_async_client.users.list()
        assert page.total_elements == 250

Each test gets its own simulator (in this process, on a free loopback port), stopped after
it. The `cloudcx_simulator` marker passes its keyword arguments to `Simulator`. Disable the
plugin with `-p no:cloudcx`.

`cloudcx_async_client` needs no async plugin: an `async def` test that asks for it is run
here, on a new asyncio loop, unless a plugin runs it (anyio's `@pytest.mark.anyio`,
pytest-asyncio's `asyncio` mark or auto mode). Whoever runs it, the client is closed when the
test's coroutine ends, in the test's own event loop, where its connections were opened. The
plugin imports asyncio for those tests only: never for the sync fixtures or any other test.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable, Coroutine, Generator, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pytest

if TYPE_CHECKING:
    from cloudcx import AsyncCloudCX, CloudCX
    from cloudcx.testing import Simulator

__all__ = [
    "cloudcx_async_client",
    "cloudcx_client",
    "cloudcx_simulator",
    "pytest_configure",
    "pytest_pyfunc_call",
    "pytest_runtest_call",
]

_MARKER = "cloudcx_simulator"
_ASYNC_CLIENT = "cloudcx_async_client"


@dataclass
class _OpenAsyncClient:
    """The async client of one test, and whether it was closed in the test's loop."""

    client: AsyncCloudCX
    closed: bool = False


_OPEN_ASYNC_CLIENTS: weakref.WeakKeyDictionary[pytest.Item, _OpenAsyncClient] = (
    weakref.WeakKeyDictionary()
)
"""The async client of each running test that asks for one (not `item.stash`, which pytest
only has from 7.0: the plugin loads in every project that installs cloudcx, whatever its pytest)."""


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


# Constrained, not bound: each client's constructor is checked on its own.
_Client = TypeVar("_Client", "CloudCX", "AsyncCloudCX")


def _signed_in(client_class: type[_Client], sim: Simulator) -> _Client:
    """A client of `client_class` signed in to `sim` with the password grant."""
    return client_class(
        base_url=sim.base_url,
        token_url=sim.token_url,
        client_id=sim.client_id,
        client_secret=sim.client_secret,
        username=sim.username,
        password=sim.password,
    )


@pytest.fixture
def cloudcx_client(cloudcx_simulator: Simulator) -> Iterator[CloudCX]:
    """A `CloudCX` client signed in to `cloudcx_simulator` with the password grant."""
    from cloudcx import CloudCX

    with _signed_in(CloudCX, cloudcx_simulator) as client:
        yield client


@pytest.fixture
def cloudcx_async_client(
    request: pytest.FixtureRequest, cloudcx_simulator: Simulator
) -> Iterator[AsyncCloudCX]:
    """An `AsyncCloudCX` client signed in to `cloudcx_simulator`, for an `async def` test.

    No async plugin is needed (see the module's docstring). The client is closed when the test
    returns or raises, in the test's event loop: use it in the test, not in the teardown of
    another fixture.
    """
    if not inspect.iscoroutinefunction(request.function):
        pytest.fail(
            f"{_ASYNC_CLIENT} is for async tests: declare {request.function.__name__} with "
            "`async def` (or use cloudcx_client)",
            pytrace=False,
        )
    from cloudcx import AsyncCloudCX

    opened = _OpenAsyncClient(_signed_in(AsyncCloudCX, cloudcx_simulator))
    _OPEN_ASYNC_CLIENTS[request.node] = opened
    yield opened.client
    if not opened.closed:
        # The test never ran (a later fixture failed, or it was skipped): the client opened no
        # connection in any loop, and a new one can close it.
        import asyncio

        asyncio.run(opened.client.close())


def _closing_after(
    test: Callable[..., Coroutine[Any, Any, Any]], opened: _OpenAsyncClient
) -> Callable[..., Coroutine[Any, Any, Any]]:
    """`test`, closing the client in the same coroutine (so in the same loop) when it ends."""

    @functools.wraps(test)
    async def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return await test(*args, **kwargs)
        finally:
            opened.closed = True
            await opened.client.close()

    return run


# An old-style wrapper (`hookwrapper`), which every pytest knows: `wrapper=True` needs
# pluggy 1.1, and an older one would fail the startup of any project that installs cloudcx.
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, None]:
    """For a test given `cloudcx_async_client`: close it at the end of the test's coroutine.

    The test function is wrapped for the call only, before any plugin reads it, so that the
    close runs in whichever loop runs the test.
    """
    opened = _OPEN_ASYNC_CLIENTS.get(item)
    if opened is None or not isinstance(item, pytest.Function):
        yield
        return
    test = item.obj
    item.obj = _closing_after(test, opened)
    try:
        yield  # the test runs here; its outcome is left to pytest
    finally:
        item.obj = test


# Not `trylast`: pytest's own implementation is, and it fails every `async def` test. anyio's
# runs first (`tryfirst`); pytest-asyncio gives pytest a sync function to call.
@pytest.hookimpl
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run an `async def` test given `cloudcx_async_client` that no async plugin has run."""
    if pyfuncitem not in _OPEN_ASYNC_CLIENTS or not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    import asyncio

    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
