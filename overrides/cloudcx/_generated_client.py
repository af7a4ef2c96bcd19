"""The generated client that `CloudCX.client` hands out: it shares the CloudCX connection.

The generated `AuthenticatedClient.with_timeout`/`with_headers`/`with_cookies` return an attrs
copy that has no httpx client: the copy builds a bare one of its own, without CloudCX's auth
(it sends `Bearer ` with an empty token), retries or credential checks; and `with_timeout`
also changes the timeout of the shared client it came from. Here they refuse instead.
"""

from __future__ import annotations

from typing import NoReturn

import httpx
from attrs import define

from cloudcx_openapi.client import AuthenticatedClient

from ._exceptions import ConfigurationError

__all__ = ["SharedAuthenticatedClient"]

_NOT_ON_CLOUDCX_CLIENT = (
    "() is not available on CloudCX.client: the copy it returns would drop the CloudCX client's "
    "connection, auth and retries; "
)
_TIMEOUT_HINT = "set `timeout` when creating CloudCX, or pass `timeout=` to a resource call"
_SHARED_HINT = (
    "set them for every request on the shared httpx client instead "
    "(cx.client.get_httpx_client(), or get_async_httpx_client() for AsyncCloudCX)"
)


@define
class SharedAuthenticatedClient(AuthenticatedClient):
    """The generated `AuthenticatedClient`, bound to a CloudCX client's httpx client.

    Pass it to any generated operation (`client=cx.client`); its requests go through the CloudCX
    client's auth, retries and pool. Deriving a modified copy is refused: see the module text.
    """

    def with_headers(self, headers: dict[str, str]) -> NoReturn:
        """Refused: a copy would lose CloudCX's connection and auth (raises ConfigurationError)."""
        raise ConfigurationError(f"with_headers{_NOT_ON_CLOUDCX_CLIENT}{_SHARED_HINT}")

    def with_cookies(self, cookies: dict[str, str]) -> NoReturn:
        """Refused: a copy would lose CloudCX's connection and auth (raises ConfigurationError)."""
        raise ConfigurationError(f"with_cookies{_NOT_ON_CLOUDCX_CLIENT}{_SHARED_HINT}")

    def with_timeout(self, timeout: httpx.Timeout) -> NoReturn:
        """Refused: a copy would lose CloudCX's connection and auth (raises ConfigurationError).

        The generated method would also change the shared client's timeout under CloudCX.
        """
        raise ConfigurationError(f"with_timeout{_NOT_ON_CLOUDCX_CLIENT}{_TIMEOUT_HINT}")
