"""A smoke check of an installed cloudcx: the simulator, the client and the command line.

Run by CI and by tests/packaging with the interpreter of a fresh environment that holds only
the package and its runtime dependencies. It exits non-zero, saying why, on the first failure,
and prints `smoke: ok` when every check passed.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from importlib import resources
from pathlib import Path

import cloudcx
import cloudcx_openapi
from cloudcx import AsyncCloudCX, CloudCX
from cloudcx.testing import Simulator


def _check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"smoke: FAILED: {what}")


def _typed(package: str) -> bool:
    return resources.files(package).joinpath("py.typed").is_file()


async def _list_async(sim: Simulator) -> int:
    async with AsyncCloudCX(base_url=sim.base_url, api_key=sim.api_key) as cx:
        page = await cx.users.list(page_size=5)
        return len(page.content)


def main() -> int:
    """Run every check against a simulator in this process."""
    _check(_typed("cloudcx") and _typed("cloudcx_openapi"), "py.typed missing")
    print(f"cloudcx {cloudcx.__version__} from {cloudcx.__file__}")
    print(f"cloudcx_openapi from {cloudcx_openapi.__file__}")
    with Simulator(users=12) as sim:
        with CloudCX(
            base_url=sim.base_url,
            token_url=sim.token_url,
            client_id=sim.client_id,
            client_secret=sim.client_secret,
            username=sim.username,
            password=sim.password,
        ) as cx:
            page = cx.users.list(page_size=5)
            _check(page.total_elements == 12, f"expected 12 users, got {page.total_elements}")
        _check(asyncio.run(_list_async(sim)) == 5, "async client listed the wrong count")
    # The environment need not be activated: its scripts sit beside its interpreter.
    command = Path(sys.executable).parent / "cloudcx"
    _check(command.is_file(), f"the `cloudcx` command is not installed at {command}")
    version = subprocess.run(
        [command, "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    _check(
        version.returncode == 0 and cloudcx.__version__ in version.stdout,
        f"`cloudcx --version` said {version.stdout!r} {version.stderr!r}",
    )
    print("smoke: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
