"""cloudcx: the typed Python client for the CloudCX contact-centre REST API.

>>> from cloudcx import CloudCX
>>> with CloudCX(base_url="https://cx.example.net", api_key="...") as cx:  # doctest: +SKIP
...     for user in cx.users.list(keywords="si").content:
...         print(user.login_code)
"""

import importlib
import typing

from . import _exceptions

# The public surface, once: each name by the module that defines it (every error class of
# `_exceptions`). The first three modules load with the package; the others on first use (PEP
# 562), so that `import cloudcx` stays cheap for what needs only the exceptions (the
# stdlib-only simulator, the CLI's start-up).
_EXPORTS = {
    "._exceptions": tuple(name for name in _exceptions.__all__ if name.endswith("Error")),
    "._secrets": ("Secret",),
    "._version": ("__version__",),
    "._client": ("DEFAULT_TIMEOUT", "AsyncCloudCX", "CloudCX"),
    "._config": ("ClientConfig",),
    "._transport": ("RetryPolicy",),
    "._token_store": ("FileTokenStore", "TokenStore", "token_store_key"),
    ".resources._runner": ("RawResponse",),
    ".types": ("Token", "User", "UserPage"),
}
_EAGER = ("._exceptions", "._secrets", "._version")
_LAZY = {
    name: module for module, names in _EXPORTS.items() if module not in _EAGER for name in names
}

# The same names for type checkers, which cannot follow `_EXPORTS` (tests/core/test_exports.py
# holds the two to the same list).
if typing.TYPE_CHECKING:
    from ._client import DEFAULT_TIMEOUT as DEFAULT_TIMEOUT
    from ._client import AsyncCloudCX as AsyncCloudCX
    from ._client import CloudCX as CloudCX
    from ._config import ClientConfig as ClientConfig
    from ._exceptions import APIConnectionError as APIConnectionError
    from ._exceptions import APIError as APIError
    from ._exceptions import APITimeoutError as APITimeoutError
    from ._exceptions import AuthenticationError as AuthenticationError
    from ._exceptions import ClientClosedError as ClientClosedError
    from ._exceptions import CloudCXError as CloudCXError
    from ._exceptions import ConfigurationError as ConfigurationError
    from ._exceptions import InsecureTransportError as InsecureTransportError
    from ._exceptions import InvalidResponseError as InvalidResponseError
    from ._exceptions import NotFoundError as NotFoundError
    from ._exceptions import PermissionDeniedError as PermissionDeniedError
    from ._exceptions import RateLimitError as RateLimitError
    from ._exceptions import ServerError as ServerError
    from ._secrets import Secret as Secret
    from ._token_store import FileTokenStore as FileTokenStore
    from ._token_store import TokenStore as TokenStore
    from ._token_store import token_store_key as token_store_key
    from ._transport import RetryPolicy as RetryPolicy
    from ._version import __version__ as __version__
    from .resources._runner import RawResponse as RawResponse
    from .types import Token as Token
    from .types import User as User
    from .types import UserPage as UserPage
else:
    for _module in _EAGER:
        for _name in _EXPORTS[_module]:
            globals()[_name] = getattr(importlib.import_module(_module, __name__), _name)

__all__ = sorted(
    (name for names in _EXPORTS.values() for name in names), key=lambda n: (not n.isupper(), n)
)


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
