"""`cloudcx simulate`: run it, read what it prints, and use the printed exports."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
from collections.abc import Iterator

import pytest

from tests.support.cli import CLOUDCX, TIMEOUT, Env, read_until, run

# Slow: each test runs the `cloudcx` console script in a subprocess.
pytestmark = pytest.mark.slow


@pytest.fixture
def simulate(env: Env) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [CLOUDCX, "simulate", "--port", "0", "--users", "30", "--token-ttl", "120"],
        env=env.values,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=TIMEOUT)


def _read_banner(process: subprocess.Popen[bytes]) -> list[str]:
    """The banner's lines, up to the last one: the commented-out API key export."""
    assert process.stdout is not None
    text = read_until(process.stdout, b"#   export CLOUDCX_API_KEY=")
    while not text.endswith(b"\n"):
        more = read_until(process.stdout, b"\n")
        assert more, "cloudcx simulate ended before printing its banner"
        text += more
    return text.decode().splitlines()


def test_simulate_prints_exports_that_work(env: Env, simulate: subprocess.Popen[bytes]) -> None:
    banner = _read_banner(simulate)
    base_url = banner[0].split()[3].rstrip(";")
    assert base_url.startswith("http://127.0.0.1:")
    exports = dict(
        shlex.split(line)[1].split("=", 1) for line in banner if line.startswith("export ")
    )
    assert exports["CLOUDCX_BASE_URL"] == base_url
    assert set(exports) == {
        "CLOUDCX_BASE_URL",
        "CLOUDCX_TOKEN_URL",
        "CLOUDCX_CLIENT_ID",
        "CLOUDCX_CLIENT_SECRET",
        "CLOUDCX_USERNAME",
        "CLOUDCX_PASSWORD",
    }
    listed = run(["users", "list", "--all", "--format", "jsonl"], env.with_(**exports))
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 30

    api_key = shlex.split(banner[-1].lstrip("# "))[1].split("=", 1)[1]
    by_key = env.with_(CLOUDCX_BASE_URL=base_url, CLOUDCX_API_KEY=api_key)
    assert run(["users", "list", "--page-size", "1"], by_key).returncode == 0
    assert any(line.split()[:2] == ["API", "key"] for line in banner)

    token = run(["token"], env.with_(**exports))
    assert "remaining:" in token.stdout
    assert token.stdout.split("remaining:")[1].split()[0] in {"1m", "2m"}  # --token-ttl 120

    simulate.send_signal(signal.SIGTERM)
    assert simulate.wait(timeout=TIMEOUT) == 0


def test_simulate_json_prints_one_line(env: Env) -> None:
    with subprocess.Popen(
        [CLOUDCX, "simulate", "--json", "--users", "3"],
        env=env.values,
        stdout=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        endpoint = json.loads(read_until(process.stdout, b"\n"))
        listed = run(
            ["users", "list", "--format", "json"],
            env.with_(CLOUDCX_BASE_URL=endpoint["base_url"], CLOUDCX_API_KEY=endpoint["api_key"]),
        )
        assert len(json.loads(listed.stdout)) == 3
        process.terminate()
        assert process.wait(timeout=TIMEOUT) == 0


def test_simulate_reports_a_busy_port_or_a_bad_setting(env: Env) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        taken = run(["simulate", "--port", str(port)], env.values)
    assert taken.returncode == 1
    assert taken.stderr.count("\n") == 1
    assert taken.stdout == ""
    negative = run(["simulate", "--users", "-1"], env.values)
    assert negative.returncode == 2
    assert "users must be >= 0" in negative.stderr
