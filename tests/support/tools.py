"""Helpers for the spec's third-party checks: where the tools are, and a Prism server to test with.

The Node tools come from `npm ci` (the Makefile's node_modules stamp, a prerequisite of
`make test`); a test that needs one skips, naming the missing file, only when it is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

__all__ = [
    "QUIET_TOOLS",
    "ROOT",
    "SPEC",
    "PrismServer",
    "node_tool",
    "prism",
    "python_tool",
    "run",
]

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "cloudcx.yaml"
NODE_BIN = ROOT / "node_modules" / ".bin"
#: Bounds that only catch a hung tool; every tool here answers in seconds.
STARTUP_TIMEOUT = 60.0
RUN_TIMEOUT = 240.0
#: Prism's log counts as complete after this long without a new line (at most SETTLE_LIMIT).
SETTLE_QUIET = 0.3
SETTLE_LIMIT = 10.0

_LISTENING = re.compile(r"Prism is listening on (http://127\.0\.0\.1:\d+)")


def node_tool(name: str) -> str:
    """Path of a tool installed by `npm ci`; skip the test, saying why, if it is missing."""
    path = NODE_BIN / name
    if not path.exists():
        pytest.skip(f"{path} is missing: run `make node-tools` (npm ci) to install the spec tools")
    return str(path)


def python_tool(name: str) -> str:
    """Path of a console script of the dev extra, beside this interpreter."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    assert found is not None, f"{name} is not installed: run `make venv`"
    return found


#: Redocly CLI reports to its vendor and looks for updates on every run unless told not to
#: (the Makefile exports the same); tests run it from plain `pytest` too.
QUIET_TOOLS = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}


def run(command: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run a tool to completion, capturing its output as text."""
    return subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **QUIET_TOOLS},
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )


class PrismServer:
    """A running Prism process: its base URL and everything it has logged so far."""

    def __init__(self, process: subprocess.Popen[str], base_url: str, log: list[str]) -> None:
        self.process = process
        self.base_url = base_url
        self._log = log

    @property
    def log(self) -> list[str]:
        """Prism's output lines, in order, once it has finished logging what it was doing."""
        # Prism logs a request's verdict after it has answered, so a caller that just got its
        # response waits for the log to go quiet before reading it.
        deadline = time.monotonic() + SETTLE_LIMIT
        seen = -1
        while len(self._log) != seen and time.monotonic() < deadline:
            seen = len(self._log)
            time.sleep(SETTLE_QUIET)
        return list(self._log)

    def mark(self) -> int:
        """A position in the log, to look only at what comes after it."""
        return len(self._log)

    def violations(self, since: int = 0) -> list[str]:
        """Prism's complaints: validator lines that are not a success, and any error or warning.

        Without `--errors` a violation is a `[VALIDATOR]` error line; with it, the request ends
        in an `✖ error ... #VIOLATIONS` line instead.
        """
        return [
            line
            for line in self.log[since:]
            if ("[VALIDATOR]" in line and "✔" not in line) or "✖" in line or "⚠" in line
        ]

    def received(self, method: str, path: str, since: int = 0) -> int:
        """How many `method path` requests Prism has logged receiving."""
        marker = f"[HTTP SERVER] {method.lower()} {path} "
        return sum(1 for line in self.log[since:] if marker in line and "Request received" in line)


@contextmanager
def prism(*args: str) -> Iterator[PrismServer]:
    """Run `prism <args>` on a free loopback port until the block ends."""
    command = [node_tool("prism"), *args, "--host", "127.0.0.1", "--port", "0"]
    log: list[str] = []
    started = threading.Event()
    found: list[str] = []
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
    )
    stdout = process.stdout
    assert stdout is not None

    def pump() -> None:
        for line in stdout:
            log.append(line.rstrip("\n"))
            match = _LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                started.set()
        started.set()  # Prism exited: wake the waiter, which then reports the log.

    reader = threading.Thread(target=pump, name="prism-log", daemon=True)
    reader.start()
    try:
        started.wait(STARTUP_TIMEOUT)
        if not found:
            raise AssertionError("Prism did not start:\n" + "\n".join(log))
        yield PrismServer(process, found[0], log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        reader.join(timeout=10)
        stdout.close()
