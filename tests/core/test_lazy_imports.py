"""The sync client's import and construction leave asyncio unloaded.

asyncio is about a tenth of what `from cloudcx import CloudCX` would cost otherwise, and a sync
caller never runs an event loop.
"""

import ast
import subprocess
import sys

import pytest

# Slow: each test runs Python in a subprocess to watch its imports.
pytestmark = pytest.mark.slow

LOADED = "import sys\n{statement}\nprint(sorted(m for m in ('asyncio',) if m in sys.modules))\n"


def _loaded_after(statement: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(statement=statement)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize(
    "statement",
    [
        "from cloudcx import CloudCX",
        "import cloudcx; cloudcx.RetryPolicy(); cloudcx.User",
        "from cloudcx import CloudCX; CloudCX(base_url='http://127.0.0.1:9', api_key='k').close()",
    ],
)
def test_the_sync_client_does_not_import_asyncio(statement: str) -> None:
    assert _loaded_after(statement) == "[]"


def test_the_probe_sees_asyncio_when_it_is_loaded() -> None:
    # The checks above would pass vacuously if the probe could not see asyncio at all.
    assert _loaded_after("from cloudcx import CloudCX; import asyncio") == "['asyncio']"


def test_the_generated_resources_import_no_models_runner_or_walks() -> None:
    # They are the clients' base classes: what they import, every client import pays for.
    later = [
        "cloudcx_openapi.models",
        "cloudcx_openapi.operations",
        "cloudcx.resources._runner",
        "cloudcx._pagination",
    ]
    probe = (
        "import sys\nimport cloudcx_openapi.resources\n"
        f"print(sorted(m for m in {later!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# What only a built client uses: the generated client and models (attrs), httpcore and its
# backends, the token, auth, transport and runner modules. `from cloudcx import CloudCX` loads
# none of them; the first constructor does.
_AFTER_CONSTRUCTION = [
    "attr",
    "attrs",
    "cloudcx._auth",
    "cloudcx._http",
    "cloudcx._oauth",
    "cloudcx._response",
    "cloudcx._token_store",
    "cloudcx._transport",
    "cloudcx.resources._runner",
    "cloudcx_openapi.client",
    "cloudcx_openapi.models",
    "h11",
    "httpcore",
]
_PROBE_LATER = "import sys\n{statement}\nprint(sorted(m for m in {later!r} if m in sys.modules))\n"


def _loaded_later(statement: str) -> list[str]:
    probe = _PROBE_LATER.format(statement=statement, later=_AFTER_CONSTRUCTION)
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    loaded: list[str] = ast.literal_eval(result.stdout.strip())
    return loaded


def test_importing_the_sync_client_leaves_the_machinery_of_a_built_client_unloaded() -> None:
    assert _loaded_later("from cloudcx import CloudCX") == []


def test_importing_both_clients_leaves_the_machinery_of_a_built_client_unloaded() -> None:
    assert _loaded_later("from cloudcx import CloudCX, AsyncCloudCX") == []


def test_the_probe_sees_the_machinery_once_a_client_is_built() -> None:
    # The two checks above would pass vacuously if the probe could not see these modules.
    built = "import cloudcx\ncloudcx.CloudCX(base_url='http://127.0.0.1:9', api_key='k').close()"
    assert _loaded_later(built) == sorted(_AFTER_CONSTRUCTION)
