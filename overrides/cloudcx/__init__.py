"""cloudcx: the typed Python client for the CloudCX contact-centre REST API.

>>> from cloudcx import CloudCX
>>> with CloudCX(base_url="https://cx.example.net", api_key="...") as cx:  # doctest: +SKIP
...     for user in cx.users.list(keywords="si").content:
...         print(user.login_code)
"""

from ._client import DEFAULT_TIMEOUT, AsyncCloudCX, CloudCX
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CloudCXError,
    ConfigurationError,
    InsecureTransportError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from ._retry import RetryPolicy
from ._secrets import Secret
from ._token_store import FileTokenStore, TokenStore, token_store_key
from ._version import __version__
from .types import Token, User, UserPage

__all__ = [
    "DEFAULT_TIMEOUT",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncCloudCX",
    "AuthenticationError",
    "CloudCX",
    "CloudCXError",
    "ConfigurationError",
    "FileTokenStore",
    "InsecureTransportError",
    "InvalidResponseError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
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
