"""Run the simulator in the foreground: ``python -m cloudcx.testing --help``."""

from __future__ import annotations

from ._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
