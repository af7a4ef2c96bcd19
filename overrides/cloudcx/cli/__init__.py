"""The `cloudcx` command line."""

from __future__ import annotations

import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the `cloudcx` command line; returns the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["simulate"]:
        from cloudcx.testing.__main__ import main as simulate

        return simulate(args[1:])
    print("usage: cloudcx simulate [options]", file=sys.stderr)
    return 2
