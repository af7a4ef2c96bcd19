"""cloudcx: the typed Python client for the CloudCX contact-centre REST API.

>>> from cloudcx import CloudCX
>>> with CloudCX(base_url="https://cx.example.net", api_key="...") as cx:  # doctest: +SKIP
...     for user in cx.users.list(keywords="si").content:
...         print(user.login_code)
"""

import importlib
import typing

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ClientClosedError,
    CloudCXError,
    ConfigurationError,
    InsecureTransportError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from ._secrets import Secret
from ._version import __version__

if typing.TYPE_CHECKING:
    from ._client import DEFAULT_TIMEOUT, AsyncCloudCX, CloudCX
    from ._config import ClientConfig
    from ._token_store import FileTokenStore, TokenStore, token_store_key
    from ._transport import RetryPolicy
    from .resources._runner import RawResponse
    from .types import Token, User, UserPage

# Imported on first use (PEP 562), so that `import cloudcx` stays cheap for what needs only
# the exceptions: the stdlib-only simulator (`python -m cloudcx.testing`), the CLI's start-up.
_LAZY = {
    "DEFAULT_TIMEOUT": "._client",
    "AsyncCloudCX": "._client",
    "ClientConfig": "._config",
    "RawResponse": ".resources._runner",
    "CloudCX": "._client",
    "RetryPolicy": "._transport",
    "FileTokenStore": "._token_store",
    "TokenStore": "._token_store",
    "token_store_key": "._token_store",
    "Token": ".types",
    "User": ".types",
    "UserPage": ".types",
}

__all__ = [
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncCloudCX",
    "AuthenticationError",
    "ClientClosedError",
    "ClientConfig",
    "CloudCX",
    "CloudCXError",
    "ConfigurationError",
    "FileTokenStore",
    "InsecureTransportError",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RawResponse",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "Token",
    "TokenStore",
    "User",
    "UserPage",
    "__version__",
    "token_store_key",
]


def __getattr__(name: str) -> object:
    """Import a public name on first use, then keep it as a plain module attribute."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, the not-yet-imported public ones included."""
    return sorted(set(globals()) | set(__all__))
