"""What a client needs once it is built: its httpx client with the send guards, its connection.

`cloudcx._client` imports this module when the first client is constructed, not with
`from cloudcx import CloudCX`: it brings in the auth and token machinery, the retrying
transports, the resource runner and the generated `AuthenticatedClient` (attrs), none of which
defining the client classes needs.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any, NoReturn, TypeVar

import httpx
from attrs import define

from cloudcx_openapi.client import AuthenticatedClient

from ._auth import LoopGuard
from ._config import check_connection
from ._deadline import CallLimits, aread_capped, bind_limits, call_scope, read_capped
from ._exceptions import ClientClosedError, ConfigurationError
from ._response import LOCAL_SEND_ERRORS, describe_url, raise_send_failure
from ._transport import (
    AsyncRetryTransport,
    Pools,
    ProxySetting,
    RetryPolicy,
    RetryTransport,
    Verify,
    build_transport,
)

__all__ = [
    "AsyncHttpClient",
    "Connection",
    "HttpClient",
    "Retrying",
    "SharedAuthenticatedClient",
    "open_http",
]

_NOT_ON_CLOUDCX_CLIENT = (
    "() is not available on CloudCX.client: the copy it returns would drop the CloudCX client's "
    "connection, auth and retries; "
)
_TIMEOUT_HINT = "set `timeout` when creating CloudCX, or pass `timeout=` to a resource call"
_SHARED_HINT = (
    "set them for every request on the shared httpx client instead "
    "(cx.client.get_httpx_client(), or get_async_httpx_client() for AsyncCloudCX)"
)


class _MaskedRequestLine(logging.Filter):
    """Masks the URL in httpx's own `HTTP Request: GET <url> "HTTP/1.1 200 OK"` INFO line.

    httpx logs every request's full URL; an application that turns on INFO logging everywhere
    would write a secret path segment or query value in clear. The URL is shown as in the
    client's own messages (`describe_url`). The filter runs only for records httpx creates,
    which it does only when its logger is enabled for INFO.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's URL argument; never drop the record."""
        args = record.args
        if isinstance(args, tuple) and len(args) > 1 and isinstance(args[1], httpx.URL):
            record.args = (args[0], describe_url(args[1]), *args[2:])
        return True


def _mask_httpx_request_lines() -> None:
    """Put the filter on httpx's logger, once per process."""
    httpx_log = logging.getLogger("httpx")
    if not any(isinstance(existing, _MaskedRequestLine) for existing in httpx_log.filters):
        httpx_log.addFilter(_MaskedRequestLine())


# Here, where the first client is built: before it sends anything, and not for `import cloudcx`.
_mask_httpx_request_lines()


@define
class SharedAuthenticatedClient(AuthenticatedClient):
    """The generated `AuthenticatedClient`, bound to a CloudCX client's httpx client.

    Pass it to any generated operation (`client=cx.client`); its requests go through the CloudCX
    client's auth, retries and pool. The generated `with_timeout`/`with_headers`/`with_cookies`
    return an attrs copy without that httpx client: it would build a bare one of its own,
    without CloudCX's auth (sending `Bearer ` with an empty token), retries or credential
    checks, and `with_timeout` would also change the shared client's timeout. Here they refuse.
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


@dataclass(frozen=True, slots=True)
class Connection:
    """How a client reaches the server: what `with_options` copies, changing some of it.

    The credentials are not here: they live in the resolved `ClientConfig` and the auth, which
    a copy shares. `validated` checks every field before any pool exists.
    """

    timeout: float | httpx.Timeout
    max_retries: int
    retry_policy: RetryPolicy | None
    verify: Verify
    proxy: ProxySetting | None
    trust_env: bool
    http_client: httpx.Client | httpx.AsyncClient | None
    strict: bool
    max_response_bytes: int

    def validated(self, client_type: type[httpx.Client | httpx.AsyncClient]) -> Connection:
        """These options, checked (the timeout resolved); `ConfigurationError` otherwise."""
        timeout = check_connection(
            timeout=self.timeout,
            strict=self.strict,
            trust_env=self.trust_env,
            max_retries=self.max_retries,
            max_response_bytes=self.max_response_bytes,
            http_client=self.http_client,
            client_type=client_type,
            proxy=self.proxy,
            verify=self.verify,
        )
        return dataclasses.replace(self, timeout=timeout)

    def changed(self, **changes: Any) -> Connection:
        """A copy with the given fields changed; a field given as None keeps its value."""
        kept = {name: value for name, value in changes.items() if value is not None}
        return dataclasses.replace(self, **kept)

    def limits(self) -> CallLimits:
        """The bounds every public call through the client opens its scope with."""
        policy = self.retry_policy or RetryPolicy()
        return CallLimits(policy.deadline, policy.clock, self.max_response_bytes)


def _closed_error(request: httpx.Request) -> ClientClosedError:
    return ClientClosedError(
        f"the client is closed (request {request.method} {describe_url(request.url)}): "
        "create a new one, or use it inside its `with` block"
    )


class HttpClient(httpx.Client):
    """httpx's client with the send guards; every request goes through `send`.

    The resources', the generated functions' and the token requests alike. Two failures that
    happen before anything is sent are reported as the client's own errors: a closed client
    (httpx raises RuntimeError), and a local protocol error (an illegal header value), whose
    httpx message may quote a credential and so is not chained. Every send runs in a call scope
    (the call deadline; see `cloudcx._deadline`), and a body read here is capped at
    `max_response_bytes`.
    """

    #: The client whose pool this one borrows (a `with_options` copy), if any.
    owner: httpx.Client | httpx.AsyncClient | None = None

    @property
    def unusable(self) -> bool:
        """Closed, or borrowing the pool of a client that is closed."""
        return self.is_closed or (self.owner is not None and self.owner.is_closed)

    def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.unusable:
            raise _closed_error(request)
        with call_scope(self):
            try:
                response = super().send(request, stream=True, **kwargs)
            except LOCAL_SEND_ERRORS as exc:
                raise_send_failure(exc, request)
            if not stream:
                read_capped(response)
            return response


class AsyncHttpClient(httpx.AsyncClient):
    """The async twin of `HttpClient`; a second event loop is refused at once, not left to hang."""

    owner: httpx.Client | httpx.AsyncClient | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._loops = LoopGuard()

    @property
    def unusable(self) -> bool:
        """Closed, or borrowing the pool of a client that is closed."""
        return self.is_closed or (self.owner is not None and self.owner.is_closed)

    async def send(
        self, request: httpx.Request, *, stream: bool = False, **kwargs: Any
    ) -> httpx.Response:
        if self.unusable:
            raise _closed_error(request)
        with self._loops, call_scope(self):
            try:
                response = await super().send(request, stream=True, **kwargs)
            except LOCAL_SEND_ERRORS as exc:
                raise_send_failure(exc, request)
            if not stream:
                await aread_capped(response)
            return response


Retrying = TypeVar("Retrying", RetryTransport, AsyncRetryTransport)
"""The retrying transport of a sync or an async client."""


def open_http(
    http_type: Callable[..., HttpClient | AsyncHttpClient],
    kind: type[Retrying],
    *,
    base_url: str,
    token_url: str,
    headers: dict[str, str],
    auth: httpx.Auth,
    connection: Connection,
    borrow: tuple[Pools, HttpClient | AsyncHttpClient] | None,
    unproxied: Collection[str] = (),
) -> tuple[HttpClient | AsyncHttpClient, Pools]:
    """An httpx client of `http_type` on new pools, or on `borrow`'s (pools, client)."""
    routes, pools = build_transport(
        kind,
        max_retries=connection.max_retries,
        policy=connection.retry_policy,
        token_url=token_url,
        verify=connection.verify,
        proxy=connection.proxy,
        trust_env=connection.trust_env,
        http_client=connection.http_client,
        borrow=None if borrow is None else borrow[0],
        unproxied=unproxied,
    )
    http = http_type(
        base_url=base_url,
        timeout=connection.timeout,
        # Never follow redirects: a redirect to another origin must not carry credentials,
        # and the API has no redirecting endpoints.
        follow_redirects=False,
        headers=headers,
        transport=routes.default,
        mounts=routes.mounts,
        auth=auth,
    )
    http.owner = None if borrow is None else (borrow[1].owner or borrow[1])
    bind_limits(http, connection.limits())
    return http, pools
