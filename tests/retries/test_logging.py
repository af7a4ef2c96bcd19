"""One DEBUG line per attempt on the `cloudcx` logger, INFO per retry, and `CLOUDCX_LOG`."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap

import pytest

from cloudcx import CloudCX
from cloudcx._client import configure_from_env
from cloudcx._transport import logger
from cloudcx.testing import Fault, Simulator
from tests.support.clients import credentials
from tests.support.clock import FakeClock

ATTEMPT = "GET /openapi/v2/user/page -> {outcome} in "


def test_each_attempt_is_logged_at_debug(
    sim: Simulator, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    sim.inject(Fault.status(503), route="users", count=2)
    with (
        caplog.at_level(logging.DEBUG, logger="cloudcx"),
        CloudCX(**credentials(sim), retry_policy=clock.policy()) as cx,
    ):
        cx.users.list(keywords="freesia")
    debug = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(debug) == 3
    for number, (line, outcome) in enumerate(zip(debug, ["503", "503", "200"], strict=True), 1):
        assert line.startswith(ATTEMPT.format(outcome=outcome))
        assert line.endswith(f" ms (attempt {number} of 3)")
    info = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert info == [
        "GET /openapi/v2/user/page: HTTP 503; retrying in 0.500 s (attempt 2 of 3)",
        "GET /openapi/v2/user/page: HTTP 503; retrying in 1.000 s (attempt 3 of 3)",
    ]
    assert all(record.name == "cloudcx" for record in caplog.records)


def test_no_secret_or_query_is_logged(
    sim: Simulator, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    sim.inject(Fault.reset(), route="token")
    sim.inject(Fault.status(401), route="users")
    with (
        caplog.at_level(logging.DEBUG),
        CloudCX(**credentials(sim, "password"), retry_policy=clock.policy()) as cx,
    ):
        cx.users.list(keywords="freesia")
    # httpx and httpcore log on their own loggers (httpx's INFO line shows the query); only
    # what this library logs is checked here.
    ours = [r for r in caplog.records if r.name == "cloudcx" or r.name.startswith("cloudcx.")]
    text = "\n".join(f"{r.name} {r.getMessage()}" for r in ours)
    assert "POST /oauth/token -> ReadError" in text or "POST /oauth/token -> Remote" in text
    assert "POST /oauth/token -> 200" in text
    for secret in (sim.password, sim.client_secret, sim.api_key, "freesia", "Bearer "):
        assert secret not in text


def test_the_logger_is_silent_by_default() -> None:
    assert any(isinstance(h, logging.NullHandler) for h in logger.handlers)
    before = list(logger.handlers)
    # An unknown value installs nothing (and whatever the suite's own environment did stays).
    assert configure_from_env({"CLOUDCX_LOG": "loud"}) == configure_from_env({})
    assert logger.handlers == before


SCRIPT = textwrap.dedent(
    """
    from cloudcx import CloudCX
    with CloudCX() as cx:
        cx.users.list()
    with CloudCX() as cx:
        cx.users.list()
    """
)


def run_client(sim: Simulator, log: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDCX_")}
    env.update({"CLOUDCX_BASE_URL": sim.base_url, "CLOUDCX_API_KEY": sim.api_key})
    if log is not None:
        env["CLOUDCX_LOG"] = log
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("level", ["debug", "DEBUG"])
def test_cloudcx_log_debug_turns_logging_on_without_code(sim: Simulator, level: str) -> None:
    stderr = run_client(sim, level)
    lines = [line for line in stderr.splitlines() if "cloudcx:" in line]
    # Two clients, one request each: one line per attempt, not one per handler installed.
    assert len(lines) == 2
    assert all("GET /openapi/v2/user/page -> 200 in " in line for line in lines)
    assert all(line.endswith("(attempt 1 of 3)") for line in lines)
    assert sim.api_key not in stderr


@pytest.mark.slow
def test_cloudcx_log_info_shows_retries_only(sim: Simulator) -> None:
    sim.inject(Fault.status(502), route="users")
    stderr = run_client(sim, "info")
    assert "HTTP 502; retrying in" in stderr
    assert "-> 200 in" not in stderr


@pytest.mark.slow
def test_without_cloudcx_log_nothing_is_printed(sim: Simulator) -> None:
    sim.inject(Fault.status(502), route="users")
    assert run_client(sim, None) == ""
