"""`python -m cloudcx.cli`, the same as the `cloudcx` command."""

from __future__ import annotations

from ._main import main

if __name__ == "__main__":
    raise SystemExit(main())
