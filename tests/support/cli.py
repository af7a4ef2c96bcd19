"""Running the `cloudcx` command line, in a clean environment.

`run` calls `cloudcx.cli.main(argv)` in this process with piped-like (non-terminal) streams: the
cheap way for tests about what the command does. `run_script` and `run_in_terminal` start the
real console script in a child process, for tests about the executable itself, signals, pipes
and terminals. Every run gets a fresh environment: no `CLOUDCX_*` variable, proxy or config of
the developer's leaks in, and the config and cache directories are temporary.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from cloudcx.cli import main
from cloudcx.cli._parser import build_parser
from cloudcx.testing import Simulator
from cloudcx_openapi.operations import Operation

CLOUDCX = str(Path(sys.executable).parent / "cloudcx")
"""The console script pip installed beside the interpreter: the real `cloudcx` command."""

TIMEOUT = 30.0
"""Generous bound on one run; it only catches hangs."""

_KEEP = ("PATH", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")


@dataclass
class Env:
    """The environment of the runs of one test."""

    home: Path
    values: dict[str, str]

    @property
    def config_file(self) -> Path:
        return Path(self.values["XDG_CONFIG_HOME"]) / "cloudcx" / "config.toml"

    @property
    def token_file(self) -> Path:
        return Path(self.values["XDG_CACHE_HOME"]) / "cloudcx" / "tokens.json"

    def with_(self, **extra: str | None) -> dict[str, str]:
        """A copy of the environment with `extra` set (`None` removes a variable)."""
        merged = dict(self.values)
        for name, value in extra.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        return merged


def fresh_env(tmp_path: Path) -> Env:
    """A clean environment for the runs of one test, its home and directories under `tmp_path`."""
    values = {name: os.environ[name] for name in _KEEP if name in os.environ}
    home = tmp_path / "home"
    home.mkdir()
    values.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return Env(home, values)


def api_key_env(env: Env, sim: Simulator) -> dict[str, str]:
    return env.with_(CLOUDCX_BASE_URL=sim.base_url, CLOUDCX_API_KEY=sim.api_key)


def password_env(env: Env, sim: Simulator, *, password: bool = True) -> dict[str, str]:
    return env.with_(
        CLOUDCX_BASE_URL=sim.base_url,
        CLOUDCX_CLIENT_ID=sim.client_id,
        CLOUDCX_CLIENT_SECRET=sim.client_secret,
        CLOUDCX_USERNAME=sim.username,
        CLOUDCX_PASSWORD=sim.password if password else None,
    )


@contextlib.contextmanager
def _environment(environ: Mapping[str, str]) -> Iterator[None]:
    """`os.environ` holds exactly `environ` inside the block, and is restored after it."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _cli_logger_restored() -> Iterator[None]:
    """Undo what `--debug` does to the `cloudcx` logger, so that no run leaks into the next."""
    logger = logging.getLogger("cloudcx")
    handlers, level = list(logger.handlers), logger.level
    try:
        yield
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)


def run(
    args: Sequence[str], environ: Mapping[str, str], *, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `cloudcx args...` in this process, stdin, stdout and stderr in memory (no terminal)."""
    out, err = io.StringIO(), io.StringIO()
    with (
        _environment(environ),
        _cli_logger_restored(),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        saved_stdin, sys.stdin = sys.stdin, io.StringIO(stdin)
        try:
            code: object = main(list(args))
        except SystemExit as exc:
            code = exc.code
        finally:
            sys.stdin = saved_stdin
    returncode = code if isinstance(code, int) else 0 if code is None else 1
    return subprocess.CompletedProcess([CLOUDCX, *args], returncode, out.getvalue(), err.getvalue())


def run_script(
    args: Sequence[str], environ: Mapping[str, str], *, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the `cloudcx` executable with stdout and stderr piped (so neither is a terminal)."""
    return subprocess.run(
        [CLOUDCX, *args],
        env=dict(environ),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


@dataclass
class TerminalRun:
    """What a run under a pseudo-terminal wrote to it (and to any piped stream)."""

    returncode: int
    terminal: str
    stdout: str
    stderr: str


def _drain(master: int, chunks: list[bytes], until: float) -> bool:
    """Read what the terminal has; False once the other side is closed."""
    ready, _, _ = select.select([master], [], [], max(0.0, until - time.monotonic()))
    if not ready:
        return True
    try:
        data = os.read(master, 65536)
    except OSError:  # EIO: every slave descriptor is closed
        return False
    chunks.append(data)
    return bool(data)


def run_in_terminal(
    args: Sequence[str],
    environ: Mapping[str, str],
    *,
    stdout_tty: bool = True,
    stderr_tty: bool = True,
    answer: tuple[str, str] | None = None,
) -> TerminalRun:
    """Run `cloudcx` with stdin (and stdout/stderr as chosen) on a pseudo-terminal.

    `answer=(prompt, text)` types `text` and Enter once `prompt` has appeared. The child gets a
    session of its own, so that it can never reach the developer's own terminal.
    """
    import pty

    master, slave = pty.openpty()
    pipe = subprocess.PIPE
    try:
        process = subprocess.Popen(
            [CLOUDCX, *args],
            env=dict(environ),
            stdin=slave,
            stdout=slave if stdout_tty else pipe,
            stderr=slave if stderr_tty else pipe,
            start_new_session=True,
        )
    finally:
        os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        typed = answer is None
        while time.monotonic() < deadline:
            if not _drain(master, chunks, min(deadline, time.monotonic() + 0.2)):
                break
            if not typed and answer is not None and answer[0].encode() in b"".join(chunks):
                os.write(master, (answer[1] + "\n").encode())
                typed = True
        out, err = process.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
            process.wait()
    return TerminalRun(
        returncode=process.returncode,
        terminal=b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"),
        stdout=(out or b"").decode("utf-8"),
        stderr=(err or b"").decode("utf-8"),
    )


ERASE = re.compile(r"\r\x1b\[K")


def read_until(stream: IO[bytes], marker: bytes, timeout: float = TIMEOUT) -> bytes:
    """Read a pipe until `marker` has arrived (or it closes); fails after `timeout` seconds.

    Reads the descriptor directly, so that nothing is held in a Python buffer and a later
    `communicate()` returns exactly what follows.
    """
    data = b""
    deadline = time.monotonic() + timeout
    while marker not in data:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([stream], [], [], max(0.0, left))
        assert ready, f"no {marker!r} within {timeout} s; got {data!r}"
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            break
        data += chunk
    return data


def help_of(table: Sequence[Operation], argv: list[str]) -> str:
    """What `cloudcx <argv> --help` prints for the commands of `table`, on one line (argparse
    wraps long lines)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as exited:
        build_parser(table).parse_args([*argv, "--help"])
    assert exited.value.code == 0
    return " ".join(out.getvalue().split())
