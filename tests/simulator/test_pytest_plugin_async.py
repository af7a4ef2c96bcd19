"""The plugin's `cloudcx_async_client` fixture, used by a test file in a subprocess.

It runs with no async plugin, under anyio's, and leaves asyncio unloaded for sync tests. Every
run has `-W error`: a client closed outside the loop that opened its connections (or not at
all) leaves an unclosed transport, which pytest then reports as an error.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.pytest_runs import run_pytest
from tests.support.tools import ROOT

# Slow: each test runs pytest in a subprocess.
pytestmark = pytest.mark.slow

USER_TESTS = """
import asyncio

import pytest

import cloudcx

USED = []


async def test_no_plugin_is_needed(cloudcx_simulator, cloudcx_async_client):
    USED.append(cloudcx_async_client)
    page = await cloudcx_async_client.users.list(page_size=5)
    assert page.total_elements == 250
    assert cloudcx_simulator.token_requests == 1


@pytest.mark.anyio
async def test_anyio_runs_it_too(cloudcx_async_client):
    USED.append(cloudcx_async_client)
    assert (await cloudcx_async_client.users.list()).total_elements == 250


@pytest.mark.cloudcx_simulator(users=[{"loginCode": "ada"}])
async def test_the_marker_chooses_the_users(cloudcx_async_client):
    USED.append(cloudcx_async_client)
    page = await cloudcx_async_client.users.list()
    assert [user.login_code for user in page.content] == ["ada"]


async def test_a_failing_assertion_still_fails(cloudcx_async_client):
    USED.append(cloudcx_async_client)
    assert (await cloudcx_async_client.users.list()).total_elements == 1


def test_a_sync_test_is_told_to_be_async(cloudcx_async_client):
    pass


@pytest.fixture
def fails_after_the_client(cloudcx_async_client):
    USED.append(cloudcx_async_client)
    raise RuntimeError("a later set-up failed")


async def test_whose_set_up_fails_after_the_client(fails_after_the_client):
    pass


def test_each_client_was_closed():
    assert len(USED) == 5
    for client in USED:
        with pytest.raises(cloudcx.ClientClosedError):
            asyncio.run(client.users.list())
"""

SYNC_PATH_TESTS = """
import sys


def test_the_sync_client_leaves_asyncio_unloaded(cloudcx_client):
    assert cloudcx_client.users.list().total_elements == 250
    assert "asyncio" not in sys.modules


async def test_the_async_client_works_without_any_async_plugin(cloudcx_async_client):
    assert (await cloudcx_async_client.users.list()).total_elements == 250


def test_the_probe_sees_asyncio_once_loaded():
    # The first test's check would pass vacuously if asyncio could not be seen at all.
    assert "asyncio" in sys.modules
"""


def _pytest(
    folder: Path, *args: str, environ: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pytest on `folder` with warnings as errors (an unclosed transport is one)."""
    return run_pytest(
        folder, "-p", "no:randomly", "--strict-markers", "-W", "error", *args, environ=environ
    )


def test_the_async_client_with_and_without_an_async_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "import pytest\n\n\n@pytest.fixture\ndef anyio_backend():\n    return 'asyncio'\n"
    )
    (tmp_path / "test_async_project.py").write_text(USER_TESTS)
    result = _pytest(tmp_path, "test_async_project.py")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "1 failed, 4 passed, 2 errors" in result.stdout, output
    assert "RuntimeError: a later set-up failed" in output
    assert "FAILED test_async_project.py::test_a_failing_assertion_still_fails" in output
    assert (
        "cloudcx_async_client is for async tests: declare test_a_sync_test_is_told_to_be_async "
        "with `async def`" in output
    )


def test_only_the_plugin_loaded_and_the_sync_path_free_of_asyncio(tmp_path: Path) -> None:
    # No plugin but this one (no anyio, no hypothesis, which loads asyncio): what a project
    # with neither pytest-asyncio nor anyio's plugin sees.
    (tmp_path / "test_sync_path.py").write_text(SYNC_PATH_TESTS)
    environ = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    result = _pytest(
        tmp_path, "-p", "cloudcx.testing.pytest_plugin", "test_sync_path.py", environ=environ
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout


def test_the_readmes_fixture_examples_run_as_written(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("### Testing your code against the simulator")
    section = readme[start : readme.index("\n## ", start)]
    examples = [
        code
        for code in re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
        if "def test_" in code
    ]
    assert any("cloudcx_async_client" in code for code in examples)
    (tmp_path / "test_readme_examples.py").write_text("\n\n".join(examples))
    result = _pytest(tmp_path, "test_readme_examples.py")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout
