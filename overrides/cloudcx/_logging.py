"""The `cloudcx` logger, and `CLOUDCX_LOG` to turn it on without code.

The library logs to `logging.getLogger("cloudcx")` only, with a `NullHandler` so that nothing
shows unless the application configures logging. Setting `CLOUDCX_LOG=debug` (or `info`) adds
one stderr handler at that level when a client is built, once per process. No log line carries
a secret: requests are logged by method and path, never by query, header or body.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

__all__ = ["ENV_VAR", "configure_from_env", "logger"]

ENV_VAR = "CLOUDCX_LOG"
"""The environment variable that turns logging on: `debug` or `info`."""

logger = logging.getLogger("cloudcx")
logger.addHandler(logging.NullHandler())

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _EnvHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The stderr handler `CLOUDCX_LOG` installs; its class marks it as installed."""


def configure_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Install the stderr handler if `CLOUDCX_LOG` asks for one; idempotent.

    An unknown value is ignored rather than refused: a logging switch must never stop the
    client from working. Returns whether the handler is installed.
    """
    env = os.environ if environ is None else environ
    level = _LEVELS.get(env.get(ENV_VAR, "").strip().lower())
    installed = [h for h in logger.handlers if isinstance(h, _EnvHandler)]
    if level is None:
        return bool(installed)
    if not installed:
        handler = _EnvHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(_FORMAT))
        logger.addHandler(handler)
        installed.append(handler)
    for handler in installed:
        handler.setLevel(level)
    logger.setLevel(level)
    return True
