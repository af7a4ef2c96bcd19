"""The `cloudcx` command line (`cloudcx --help`).

Nothing here is imported by `import cloudcx`: the library stays free of the CLI's imports.
"""

from __future__ import annotations

from ._main import main

__all__ = ["main"]
