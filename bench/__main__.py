"""`python -m bench [--quick] [--only KEY ...]`: run the figures, print a table, save JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path

from . import canned, decoding, imports, paging, per_call, tokens
from ._harness import Figure

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
SUITES = {
    "per_call": per_call.run,
    "canned": canned.run,
    "tokens": tokens.run,
    "paging": paging.run,
    "decoding": decoding.run,
    "imports": imports.run,
}


def _machine() -> dict[str, object]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


def _table(figures: list[Figure]) -> str:
    rows = [("figure", "value (IQR over rounds)", "target", "met")]
    for f in figures:
        value = f"{f.value:.0f}" if f.unit == "" else f"{f.value:.2f}{f.unit}"
        if "spread" in f.details:
            value += f" ({f.details['spread']})"
        met = "-" if not f.target else "yes" if f.met else "NO"
        rows.append((f.title, value, f.target or "-", met))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    parser.add_argument("--only", nargs="*", choices=sorted(SUITES), help="run only these suites")
    args = parser.parse_args()
    figures: list[Figure] = []
    started = time.time()
    suite_seconds: dict[str, float] = {}
    for name, run in SUITES.items():
        if args.only and name not in args.only:
            continue
        print(f"running {name} ...", flush=True)
        suite_started = time.perf_counter()
        figures += run(quick=args.quick)
        suite_seconds[name] = round(time.perf_counter() - suite_started, 1)
    print()
    print(_table(figures))
    machine = _machine()
    print(f"\nmachine: {machine['nproc']} CPUs, {machine['cpu']}, Python {machine['python']}")
    duration = time.time() - started
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    suites = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in suite_seconds.items())
    took = f"{duration // 60:.0f} min {duration % 60:.0f} s"
    print(f"took {took} ({suites}); load average now {load}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(duration, 1),
        "suite_seconds": suite_seconds,
        "load_average_at_end": os.getloadavg(),
        "quick": args.quick,
        "machine": machine,
        "figures": [asdict(f) for f in figures],
    }
    RESULTS.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
