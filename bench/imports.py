"""Figure 7: what importing the client costs, against `python -c "import httpx"`.

`cloudcx` imports its clients on first use, so `import cloudcx` is one row and what a program
that makes a call pays (`from cloudcx import CloudCX`, and both clients) are the others.

The baseline is httpx as `pip install cloudcx` installs it. httpx's `__init__` also imports its
optional command line (`httpx._main`: click, rich, pygments, about twice httpx's own cost)
whenever click is importable, and the development environment has click (schemathesis needs
it): each statement, ours and httpx's alike, runs with click hidden (`sys.modules["click"] =
None`), which makes httpx skip its command line. The same rows with click left visible are
reported too (`*_with_httpx_cli`), for comparison with earlier runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections import defaultdict

from ._harness import Figure, at_most, paired_ratio, ratio_spread

__all__ = ["run"]

TARGET = 1.25
WITHOUT_HTTPX_CLI = "import sys; sys.modules['click'] = None; "
STATEMENTS = {
    "package": "import cloudcx",
    "clients": "from cloudcx import CloudCX, AsyncCloudCX",
    "sync": "from cloudcx import CloudCX",
    "httpx": "import httpx",
    "bare": "pass",
}
ROWS = {
    "package": ("import_time", '"import cloudcx" vs "import httpx"'),
    "sync": (
        "import_time_sync_client",
        '"from cloudcx import CloudCX" (no asyncio) vs "import httpx"',
    ),
    "clients": (
        "import_time_clients",
        '"from cloudcx import CloudCX, AsyncCloudCX" vs "import httpx"',
    ),
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


def _times(prefix: str, rounds: int) -> dict[str, list[float]]:
    """Seconds per fresh interpreter for each statement, rotating their order every round."""
    names = list(STATEMENTS)
    for name in names:  # warm the file cache and the bytecode
        _seconds(prefix + STATEMENTS[name])
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_seconds(prefix + STATEMENTS[name]))
    return times


def _figure(key: str, title: str, times: dict[str, list[float]], subject: str) -> Figure:
    return at_most(
        key,
        title,
        paired_ratio(times, subject, "httpx"),
        TARGET,
        {
            "spread": ratio_spread(times, subject, "httpx"),
            "ms": statistics.median(times[subject]) * 1e3,
            "httpx_ms": statistics.median(times["httpx"]) * 1e3,
            "interpreter_ms": statistics.median(times["bare"]) * 1e3,
        },
    )


def run(quick: bool = False) -> list[Figure]:
    """Time fresh interpreters, with and without httpx's CLI; list the costliest extra modules."""
    rounds = 10 if quick else 30
    fair = _times(WITHOUT_HTTPX_CLI, rounds)
    with_cli = _times("", rounds // 2)
    figures = [_figure(key, title, fair, name) for name, (key, title) in ROWS.items()]
    figures += [
        _figure(f"{key}_with_httpx_cli", f"{title}, httpx with its CLI", with_cli, name)
        for name, (key, title) in ROWS.items()
        if name != "package"
    ]
    ours = _import_costs(WITHOUT_HTTPX_CLI + STATEMENTS["sync"])
    theirs = _import_costs(WITHOUT_HTTPX_CLI + STATEMENTS["httpx"])
    extra = {name: ms for name, ms in ours.items() if name not in theirs}
    top = dict(sorted(extra.items(), key=lambda item: -item[1])[:15])
    figures[1].details.update(
        extra_modules_self_ms=round(sum(extra.values()), 1),
        costliest_extra_modules_self_ms={name: round(ms, 2) for name, ms in top.items()},
    )
    return figures
