"""Out-of-process mode: SimulatorProcess and ``python -m cloudcx.testing``."""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from cloudcx.testing import Fault, SimulatorProcess, build_parser, main, serve
from cloudcx.testing._process import _child_env
from tests.support.simulator_http import PageFetcher, TokenRequester

# Slow: each test starts the simulator in its own process.
pytestmark = pytest.mark.slow

ENDPOINT_KEYS = {
    "base_url",
    "token_url",
    "api_key",
    "client_id",
    "client_secret",
    "username",
    "password",
}


@pytest.fixture(scope="module")
def process() -> Iterator[SimulatorProcess]:
    with SimulatorProcess(users=40, refresh_tokens=True, separate_token_server=True) as sim:
        yield sim


def test_process_end_to_end(
    process: SimulatorProcess, request_token: TokenRequester, get_page: PageFetcher
) -> None:
    process.reset_counters()
    token = request_token(process).json()
    assert "refresh_token" in token
    assert not process.token_url.startswith(process.base_url)
    page = get_page(process, token["access_token"], pageSize=30)
    assert page.json()["data"]["totalElements"] == 40
    process.inject(Fault.status(503), route="users")
    assert get_page(process, process.api_key).status_code == 503
    assert (process.token_requests, process.api_requests) == (1, 2)
    assert [r.status for r in process.requests] == [200, 200, 503]
    process.add_users(5)
    process.remove_users(2)
    assert process.stats()["users"] == 43
    process.revoke_access_tokens()
    revoked = get_page(process, token["access_token"])
    assert revoked.status_code == 401
    process.set_latency(0.0)
    process.reset_counters()
    assert process.api_requests == 0
    with pytest.raises(ValueError, match="route"):
        process.inject(Fault.reset(), route="elsewhere")  # type: ignore[arg-type]


def test_process_stops_and_exits() -> None:
    sim = SimulatorProcess(users=1).start()
    pid = sim.pid
    assert pid is not None
    sim.stop()
    sim.stop()
    with pytest.raises(httpx.ConnectError), httpx.Client(trust_env=False) as http:
        http.get(sim.base_url + "/")


def test_cli_prints_json_and_stops_on_sigterm() -> None:
    argv = [sys.executable, "-m", "cloudcx.testing", "--json", "--users", "3", "--token-ttl", "60"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=_child_env()) as child:
        assert child.stdout is not None
        line = json.loads(child.stdout.readline())
        assert set(line) == ENDPOINT_KEYS
        with httpx.Client(trust_env=False) as http:
            response = http.get(
                line["base_url"] + "/openapi/v2/user/page",
                headers={"Authorization": f"Bearer {line['api_key']}"},
            )
            assert response.json()["data"]["totalElements"] == 3
        child.send_signal(signal.SIGTERM)
        assert child.wait(timeout=10) == 0


def test_cli_readable_banner_and_sigint() -> None:
    argv = [sys.executable, "-m", "cloudcx.testing", "--users", "0", "--opaque-tokens"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, env=_child_env()) as child:
        assert child.stdout is not None
        assert "CloudCX simulator running" in child.stdout.readline()
        assert "base_url" in child.stdout.readline()
        child.send_signal(signal.SIGINT)
        assert child.wait(timeout=10) == 0


def test_parser_knows_every_setting() -> None:
    args = build_parser().parse_args(
        ["--users", "7", "--refresh-tokens", "--rotate-refresh-tokens", "--no-expires-in",
         "--public-client", "--latency", "0.5", "--port", "0", "--separate-token-server"]
    )  # fmt: skip
    assert (args.users, args.refresh_tokens, args.rotate_refresh_tokens) == (7, True, True)
    assert (args.include_expires_in, args.jwt_tokens, args.public_client) == (False, True, True)
    assert (args.latency, args.separate_token_server, args.json) == (0.5, True, False)


def test_serve_in_a_thread_stops_on_its_event() -> None:
    out = io.StringIO()
    stop = threading.Event()
    args = build_parser().parse_args(["--json", "--users", "2"])
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(serve(args, out=out, stop=stop)))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        endpoint = json.loads(out.getvalue())
        with httpx.Client(trust_env=False) as http:
            assert http.get(endpoint["base_url"] + "/_simulator/stats").json()["users"] == 2
    finally:
        stop.set()
        thread.join(10)
    assert result == [0]


def test_cli_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["--port", str(port)]) == 1
    assert "error" in capsys.readouterr().err
    assert main(["--users", "-3"]) == 2
