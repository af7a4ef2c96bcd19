"""Figure 7: `python -c "import cloudcx"` against `python -c "import httpx"`.

`cloudcx` imports its clients on first use, so a second row times what a program that makes a
call pays: `from cloudcx import CloudCX, AsyncCloudCX`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections import defaultdict

from ._harness import Figure, at_most

__all__ = ["run"]

TARGET = 1.25
STATEMENTS = {
    "package": "import cloudcx",
    "clients": "from cloudcx import CloudCX, AsyncCloudCX",
    "sync": "from cloudcx import CloudCX",
    "httpx": "import httpx",
    "bare": "pass",
}


def _seconds(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def _import_costs(statement: str, runs: int = 5) -> dict[str, float]:
    """Median self time (ms) of each module `statement` loads, from `-X importtime`."""
    costs: defaultdict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", statement],
            check=True,
            capture_output=True,
            text=True,
        )
        for line in result.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[0].strip().isdigit():
                continue
            costs[parts[2].strip()].append(int(parts[0]) / 1000)
    return {name: statistics.median(values) for name, values in costs.items()}


def _figure(key: str, title: str, subject: list[float], httpx: list[float]) -> Figure:
    ratio = statistics.median(subject) / statistics.median(httpx)
    return at_most(
        key,
        title,
        ratio,
        TARGET,
        {
            "ms": statistics.median(subject) * 1e3,
            "httpx_ms": statistics.median(httpx) * 1e3,
        },
    )


def run(quick: bool = False) -> list[Figure]:
    """Time fresh interpreters, rotating the statements; list the costliest extra modules."""
    rounds = 10 if quick else 40
    for statement in STATEMENTS.values():  # warm the file cache and the bytecode
        _seconds(statement)
    times: dict[str, list[float]] = {name: [] for name in STATEMENTS}
    names = list(STATEMENTS)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_seconds(STATEMENTS[name]))
    package = _figure(
        "import_time",
        'python -c "import cloudcx" vs python -c "import httpx"',
        times["package"],
        times["httpx"],
    )
    clients = _figure(
        "import_time_clients",
        '"from cloudcx import CloudCX, AsyncCloudCX" vs "import httpx"',
        times["clients"],
        times["httpx"],
    )
    sync = _figure(
        "import_time_sync_client",
        '"from cloudcx import CloudCX" (no asyncio) vs "import httpx"',
        times["sync"],
        times["httpx"],
    )
    ours = _import_costs(STATEMENTS["clients"])
    theirs = _import_costs(STATEMENTS["httpx"])
    extra = {name: ms for name, ms in ours.items() if name not in theirs}
    top = dict(sorted(extra.items(), key=lambda item: -item[1])[:12])
    clients.details.update(
        interpreter_ms=statistics.median(times["bare"]) * 1e3,
        extra_modules_self_ms=round(sum(extra.values()), 1),
        costliest_extra_modules_self_ms={name: round(ms, 2) for name, ms in top.items()},
    )
    package.details["interpreter_ms"] = clients.details["interpreter_ms"]
    return [package, sync, clients]
