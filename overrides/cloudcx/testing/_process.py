"""The out-of-process simulator: ``python -m cloudcx.testing --json`` in a subprocess."""

from __future__ import annotations

import json
import os
import queue
import site
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from ._cli import config_to_argv
from ._config import Endpoint
from ._controls import SimulatorBase
from ._server import CONTROL_PREFIX
from ._state import GET_ACTIONS

__all__ = ["SimulatorProcess"]

# The folder holding the `cloudcx` package this module belongs to.
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]
# Control requests go straight to the loopback simulator, never through an HTTP proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _child_env() -> dict[str, str]:
    """The environment for the child: ours, with this copy of ``cloudcx`` importable."""
    env = dict(os.environ)
    site_dirs = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    if _PACKAGE_ROOT not in site_dirs:
        parts = [str(_PACKAGE_ROOT), *filter(None, [env.get("PYTHONPATH")])]
        env["PYTHONPATH"] = os.pathsep.join(parts)
    return env


def _read_line(stream: IO[str], timeout: float) -> str:
    """Read one line from ``stream``, giving up (returning "") after ``timeout`` seconds."""
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True)
    reader.start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


class SimulatorProcess(SimulatorBase):
    """The simulator in a subprocess, driven over its ``/_simulator/...`` control endpoints.

    Takes the same settings as :class:`Simulator` and offers the same attributes and control
    methods. Use it where the simulator must not share the test's process (benchmarks, or a
    client that runs in another process)::

        with SimulatorProcess(users=1000) as sim:
            sim.inject(Fault.status(503), route="users")
    """

    #: Seconds to wait for the subprocess to report its address.
    startup_timeout = 20.0
    #: Seconds to wait for the subprocess to exit after SIGTERM before killing it.
    stop_timeout = 5.0
    _process: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int | None:
        """The subprocess's ID while it runs."""
        return self._process.pid if self._process is not None else None

    def start(self) -> SimulatorProcess:
        """Start the subprocess and wait for its start-up line; returns ``self``."""
        if self._process is not None:
            raise RuntimeError("a SimulatorProcess can be started only once")
        if self.config.chosen_users is not None:
            raise ValueError("users=[...] needs the in-process Simulator; give a count here")
        argv = [sys.executable, "-m", "cloudcx.testing", "--json", *config_to_argv(self.config)]
        self._process = process = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
            env=_child_env(),
        )
        assert process.stdout is not None
        line = _read_line(process.stdout, self.startup_timeout)
        try:
            self._endpoint = Endpoint.from_json(json.loads(line))
        except (ValueError, KeyError, TypeError):
            self.stop()
            raise RuntimeError(
                f"the simulator subprocess did not start (exit code {process.returncode},"
                f" first line {line!r})"
            ) from None
        return self

    def stop(self) -> None:
        """Terminate the subprocess (killing it if it does not exit in time); safe to repeat."""
        process = self._process
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            process.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()

    def _call(self, action: str, payload: Mapping[str, Any] | None = None) -> Any:
        method = "GET" if action in GET_ACTIONS else "POST"
        data = None if method == "GET" else json.dumps(payload or {}).encode()
        request = urllib.request.Request(  # noqa: S310 - our own loopback http:// URL
            f"{self.base_url}{CONTROL_PREFIX}{action}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with _OPENER.open(request, timeout=10) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                detail = exc.read().decode("utf-8", "replace")
            if exc.code == 400:
                raise ValueError(detail) from None
            raise RuntimeError(f"control action {action!r} failed: {exc.code} {detail}") from None
