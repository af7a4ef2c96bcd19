"""The installed pytest plugin (`pytest11` entry point), used by a test file in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.pytest_runs import run_pytest

# Slow: each test runs pytest in a subprocess.
pytestmark = pytest.mark.slow

USER_TESTS = """
import pytest


def test_the_client_is_signed_in_to_the_simulator(cloudcx_simulator, cloudcx_client):
    page = cloudcx_client.users.list(page_size=5)
    assert page.total_elements == 250
    assert cloudcx_simulator.token_requests == 1


@pytest.mark.cloudcx_simulator(users=[{"loginCode": "ada"}, {"loginCode": "alan"}])
def test_the_marker_chooses_the_users(cloudcx_client):
    page = cloudcx_client.users.list()
    assert [user.login_code for user in page.content] == ["ada", "alan"]


@pytest.mark.cloudcx_simulator(users=3)
def test_each_test_has_its_own_simulator(cloudcx_simulator):
    assert cloudcx_simulator.stats()["users"] == 3
    assert cloudcx_simulator.token_requests == 0


def test_a_failing_assertion_still_fails(cloudcx_client):
    assert cloudcx_client.users.list().total_elements == 1
"""


def test_fixtures_and_marker_work_in_a_users_project(tmp_path: Path) -> None:
    (tmp_path / "test_users_project.py").write_text(USER_TESTS)
    result = run_pytest(tmp_path, "--strict-markers", "-W", "error", "test_users_project.py")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 3 passed" in result.stdout
    assert "test_a_failing_assertion_still_fails" in result.stdout


def test_the_plugin_can_be_turned_off(tmp_path: Path) -> None:
    (tmp_path / "test_off.py").write_text("def test_uses_it(cloudcx_client):\n    pass\n")
    result = run_pytest(tmp_path, "-p", "no:cloudcx", "test_off.py")
    assert "fixture 'cloudcx_client' not found" in result.stdout
