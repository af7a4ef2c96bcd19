"""Proxies: an explicit `proxy=`, or the environment's, with every route in the retry policy.

httpx reads `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` only when it builds its own
transport; the clients hand it a retrying one, so they read the environment here instead, the
way httpx does, and mount a retrying transport per URL pattern:

* `proxy=` given: every request goes through it, and the environment is not read (as httpx).
* otherwise, with `trust_env` (the default): `http://` URLs use `HTTP_PROXY`, `https://` URLs
  `HTTPS_PROXY`, either falls back on `ALL_PROXY`; a host that `NO_PROXY` names (an address,
  `localhost`, a domain and its subdomains, `.domain` for subdomains only, or `*` for all) is
  reached directly. Lower-case names are read too.
* `trust_env=False`: no proxy.

A proxy changes the route, not the target: the plain-`http://` refusal for hosts that are not
loopback (`allow_insecure_http`) is decided on the API and token URLs all the same.
"""

from __future__ import annotations

import ipaddress
import ssl
import urllib.request
from collections.abc import Callable
from typing import TypeVar

import httpx

from ._exceptions import ConfigurationError
from ._retry import AsyncRetryTransport, RetryPolicy, RetryTransport

__all__ = ["ProxySetting", "environment_proxies", "transports"]

ProxySetting = str | httpx.URL | httpx.Proxy
"""What `proxy=` takes: a proxy URL (credentials in it are sent to the proxy), or a Proxy."""

_Transport = TypeVar("_Transport", RetryTransport, AsyncRetryTransport)


def _is_address(host: str, kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address]) -> bool:
    try:
        kind(host.split("/")[0])
    except ValueError:
        return False
    return True


def environment_proxies() -> dict[str, str | None]:
    """The proxy URL per httpx URL pattern from the environment; None means "go direct".

    The same map httpx builds for itself (`httpx._utils.get_environment_proxies`, which is
    private, hence these few lines; a test keeps the two in step).
    """
    found = urllib.request.getproxies()
    routes: dict[str, str | None] = {}
    for scheme in ("http", "https", "all"):
        url = found.get(scheme)
        if url:
            routes[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (part.strip() for part in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if not host:
            continue
        if "://" in host:
            routes[host] = None
        elif _is_address(host, ipaddress.IPv4Address):
            routes[f"all://{host}"] = None
        elif _is_address(host, ipaddress.IPv6Address):
            routes[f"all://[{host}]"] = None
        elif host.lower() == "localhost":
            routes[f"all://{host}"] = None
        else:
            # `example.com` covers the domain and its subdomains; `.example.com` only the latter.
            routes[f"all://*{host}"] = None
    return routes


def _proxy(value: object, where: str) -> httpx.Proxy:
    """Check one proxy setting; the message never quotes the URL (it may hold a password)."""
    if isinstance(value, httpx.Proxy):
        return value
    if not isinstance(value, (str, httpx.URL)):
        raise ConfigurationError(
            f"{where} must be a URL (str or httpx.URL) or an httpx.Proxy, "
            f"got {type(value).__name__}"
        )
    try:
        return httpx.Proxy(value)
    except (ValueError, httpx.InvalidURL):
        pass
    # Raised outside the `except`, so not even as `__context__`: httpx's message quotes the
    # URL, credentials and all.
    raise ConfigurationError(
        f"{where} is not a usable proxy URL: it must start with http://, https://, "
        "socks5:// or socks5h://"
    )


def _build(
    build: Callable[[httpx.Proxy | None], _Transport], proxy: ProxySetting, where: str
) -> _Transport:
    checked = _proxy(proxy, where)
    try:
        return build(checked)
    except ImportError:
        # httpx needs the optional `socksio` package for a SOCKS proxy.
        raise ConfigurationError(
            f"{where} is a SOCKS proxy, which needs httpx's extra: pip install 'httpx[socks]'"
        ) from None


def _routes(
    build: Callable[[httpx.Proxy | None], _Transport],
    proxy: ProxySetting | None,
    trust_env: bool,
) -> tuple[_Transport, dict[str, _Transport | None]]:
    """The default transport and the mounts: per URL pattern, a proxy's transport or None."""
    if not isinstance(trust_env, bool):
        raise ConfigurationError(f"trust_env must be True or False, got {trust_env!r}")
    if proxy is not None:
        return _build(build, proxy, "proxy"), {}
    mounts: dict[str, _Transport | None] = {}
    if trust_env:
        for pattern, url in environment_proxies().items():
            where = f"the environment's proxy for {pattern!r}"
            mounts[pattern] = None if url is None else _build(build, url, where)
    # A pattern mapped to None sends its requests to this default transport: direct.
    return build(None), mounts


def transports(
    factory: Callable[..., _Transport],
    *,
    verify: bool | ssl.SSLContext,
    max_retries: int,
    policy: RetryPolicy | None,
    token_url: str,
    proxy: ProxySetting | None,
    trust_env: bool,
) -> tuple[_Transport, dict[str, _Transport | None]]:
    """`transport=` and `mounts=` for an httpx client, every one of them retrying.

    Args:
        factory: `retry_transport` (sync client) or `async_retry_transport` (async client).
        verify: The TLS context (also for an `https://` proxy's own certificate).
        max_retries: Retries after the first attempt, on every route.
        policy: Backoff, caps and deadline, on every route.
        token_url: The token endpoint, whose POST is safe to resend.
        proxy: The explicit proxy, or None.
        trust_env: Whether the environment's proxy variables are read when `proxy` is None.
    """

    def build(through: httpx.Proxy | None) -> _Transport:
        return factory(
            verify=verify,
            max_retries=max_retries,
            policy=policy,
            token_url=token_url,
            proxy=through,
        )

    return _routes(build, proxy, trust_env)
