"""Every check of a client's arguments and settings, before any connection is opened.

The credentials and URLs: explicit arguments first, then `CLOUDCX_*` environment variables,
resolved into a frozen `ClientConfig` whose secrets are `Secret` values, so printing it shows no
credential. The connection settings: timeouts, retries and the retry policy's delays, proxies,
the body cap, TLS verification and the client's other options. Every error is a
`ConfigurationError` that names the setting (and the environment variable) the caller must fix,
never a secret's value.
"""

from __future__ import annotations

import inspect
import ipaddress
import math
import os
import ssl
import sys
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import httpx

from ._exceptions import ConfigurationError, InsecureTransportError
from ._secrets import Secret, header_safe

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "ENV_VARS",
    "MAX_TIMEOUT",
    "ClientConfig",
    "build_ssl_context",
    "check_body_cap",
    "check_connection",
    "check_credential_url",
    "check_max_retries",
    "check_proxied_credentials",
    "check_proxy",
    "check_retry_delays",
    "check_stored_token",
    "check_token_fields",
    "check_token_options",
    "check_token_store_path",
    "is_loopback_host",
    "overridden_by_explicit",
    "resolve_config",
    "resolve_timeout",
    "same_origin",
    "unproxied_origins",
]

ENV_VARS: Mapping[str, str] = {
    "base_url": "CLOUDCX_BASE_URL",
    "token_url": "CLOUDCX_TOKEN_URL",
    "api_key": "CLOUDCX_API_KEY",
    "client_id": "CLOUDCX_CLIENT_ID",
    "client_secret": "CLOUDCX_CLIENT_SECRET",
    "username": "CLOUDCX_USERNAME",
    "password": "CLOUDCX_PASSWORD",
}

TOKEN_PATH = "/oauth/token"

AuthMode = Literal["api_key", "password"]

#: The settings of the password grant; `api_key` is the other way to authenticate.
GRANT_SETTINGS = ("client_id", "client_secret", "username", "password")


def overridden_by_explicit(explicit: Collection[str], implicit: Collection[str]) -> tuple[str, ...]:
    """The implicit settings that explicit ones of the other way to authenticate override.

    Explicit beats the environment, per way to authenticate: an explicit API key sets aside
    password-grant settings that came only from the environment (or a config file), and any
    explicit password-grant setting sets aside an API key from there. Settings of one way given
    explicitly alongside the other's are not resolved here: that contradiction is an error.
    `explicit` and `implicit` are setting names (`api_key`, `client_id`, ...).
    """
    explicit_grant = any(name in explicit for name in GRANT_SETTINGS)
    if "api_key" in explicit and not explicit_grant:
        return tuple(name for name in GRANT_SETTINGS if name in implicit)
    if explicit_grant and "api_key" not in explicit and "api_key" in implicit:
        return ("api_key",)
    return ()


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """The validated settings a client runs with (`CloudCX.config`); secrets masked in its repr.

    Built by the client from its arguments and the `CLOUDCX_*` environment; read it to see
    what a client resolved (which URLs, which way to authenticate), not to configure one.

    Attributes:
        base_url: The API's base URL, without a trailing slash.
        token_url: The token endpoint's full URL.
        auth_mode: `"api_key"` or `"password"` (the password grant).
        api_key: The API key (API-key mode only).
        client_id: The OAuth client ID (password grant).
        client_secret: The client secret, `None` for a public client.
        username: The user the password grant signs in as.
        password: The password; `None` when a saved token stands in for it.
        allow_insecure_http: Whether plain http:// to a host that is not loopback is allowed.
        ignored_env_vars: The `CLOUDCX_*` variables set aside because explicit arguments chose
            the other way to authenticate (e.g. `CLOUDCX_PASSWORD` beside `api_key=`).
    """

    base_url: str
    token_url: str
    auth_mode: AuthMode
    api_key: Secret | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    username: str | None = None
    password: Secret | None = None
    allow_insecure_http: bool = False
    ignored_env_vars: tuple[str, ...] = ()


def _pick(name: str, explicit: object, environ: Mapping[str, str]) -> str | None:
    """The setting's value: the explicit argument, else the environment; "" counts as unset."""
    if explicit is not None:
        if not isinstance(explicit, str):
            raise ConfigurationError(
                f"{_describe(name)} must be a string, not {type(explicit).__name__}"
            )
        if explicit:
            return _encodable(name, explicit)
    value = environ.get(ENV_VARS[name])
    return _encodable(name, value) if value else None


def _utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _encodable(name: str, value: str) -> str:
    """Refuse a value that cannot be sent: a lone surrogate, or a NUL.

    A byte that is not UTF-8 in the environment arrives as a lone surrogate. The value, maybe a
    secret, is never quoted.
    """
    # Raised outside the `except`: the UnicodeEncodeError holds the whole value in `.object`,
    # and would stay reachable as `__context__` even `from None`.
    if not _utf8(value):
        raise ConfigurationError(
            f"{_describe(name)} holds a character that cannot be encoded as UTF-8 (a byte that "
            "is not UTF-8 in the environment?)"
        )
    if "\0" in value:
        raise ConfigurationError(f"{_describe(name)} holds a NUL character")
    return value


def _check_header_safe(name: str, value: str) -> None:
    """Refuse a value that cannot travel in an HTTP header (it is sent as `Bearer <value>`).

    A trailing newline, as `open(path).read()` leaves, would otherwise fail every call later.
    The value itself is never quoted.
    """
    if not header_safe(value):
        raise ConfigurationError(
            f"{_describe(name)} contains a space, a line break, or a character outside printable "
            "ASCII, which an HTTP header cannot carry (read from a file? strip the trailing "
            "newline)"
        )


def _describe(name: str) -> str:
    return f"`{name}` (or {ENV_VARS[name]})"


def is_loopback_host(host: str) -> bool:
    """True for `localhost` and any loopback address (127.0.0.0/8, ::1).

    Not `localhost.`: the fully qualified name skips the hosts file, so a resolver decides.
    """
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_credential_url(url: httpx.URL, *, allow_insecure_http: bool, setting: str) -> None:
    """Refuse to send credentials over plain http:// to a host that is not loopback.

    Called when the client is configured and again for every request that would carry a
    credential (the API request and the token request), so that an absolute URL passed to a
    generated function cannot bypass the check. Nothing has been sent when this raises.
    """
    if url.scheme == "http" and not allow_insecure_http and not is_loopback_host(url.host):
        raise InsecureTransportError(
            f"{setting} uses plain http:// to {url.host}, which would send credentials "
            "unencrypted; use https://, or pass allow_insecure_http=True to opt in"
        )


def _loopback_http(config: ClientConfig) -> list[httpx.URL]:
    """The plain-http URLs the client sends credentials to that the loopback exemption lets by."""
    urls = (httpx.URL(config.base_url), httpx.URL(config.token_url))
    return [url for url in urls if url.scheme == "http" and is_loopback_host(url.host)]


def check_proxied_credentials(config: ClientConfig, proxy: object) -> None:
    """Refuse an explicit proxy on the way to a plain-http loopback URL, unless opted in.

    Plain http:// is let by for loopback hosts because the traffic never leaves the machine;
    through a proxy it would, credentials and all.
    """
    if proxy is None or config.allow_insecure_http:
        return
    for url in _loopback_http(config):
        raise InsecureTransportError(
            f"plain http:// to {url.host} through the proxy would send credentials unencrypted "
            "to the proxy; use https://, no proxy, or pass allow_insecure_http=True to opt in"
        )


def unproxied_origins(config: ClientConfig) -> list[str]:
    """The mount patterns (httpx) of the plain-http loopback origins, kept off proxies.

    The environment's proxies (`HTTP_PROXY`) are bypassed for them, for the reason
    `check_proxied_credentials` gives.
    """
    patterns: list[str] = []
    if config.allow_insecure_http:  # plain http is opted into anywhere, proxies included
        return patterns
    for url in _loopback_http(config):
        host = f"[{url.host}]" if ":" in url.host else url.host
        patterns.append(f"http://{host}:{url.port or 80}")
    return patterns


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.scheme, url.host.lower(), url.port or default


def same_origin(first: httpx.URL, second: httpx.URL) -> bool:
    """True when both URLs share scheme, host and port (default ports made explicit)."""
    return _origin(first) == _origin(second)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _parsed_url(value: str) -> httpx.URL | None:
    """`value` parsed as a URL whose host the socket and TLS layers will take, else None."""
    try:
        url = httpx.URL(value)
        host = url.host  # decodes an IDNA A-label: an invalid one raises here
        # An empty or 64-byte label would otherwise fail only when the first request connects.
        if host and not _is_ip(host):
            url.raw_host.decode("ascii").encode("idna")
    except (httpx.InvalidURL, TypeError, ValueError):  # UnicodeError and IDNAError included
        return None
    return url


def _check_url(name: str, value: str, *, allow_insecure_http: bool) -> str:
    """Validate one URL setting; return it without a trailing slash."""
    url = _parsed_url(value)
    if url is None:
        # Raised outside the parser's `except`: its message quotes the value, which would stay
        # reachable as `__context__`.
        raise ConfigurationError(f"{_describe(name)} is not a valid URL")
    host = url.host
    if url.scheme not in {"http", "https"} or not host:
        raise ConfigurationError(
            f"{_describe(name)} must be an absolute http(s) URL such as https://cx.example.net"
        )
    if url.userinfo:
        # A user name and password in the URL would show in every repr and hint, and httpx
        # would turn them into Basic auth on the token request. The message never echoes them.
        raise ConfigurationError(
            f"{_describe(name)} must not carry a user name or password (user:password@host): "
            "give the host alone; credentials go in their own settings"
        )
    if url.port is not None and not 1 <= url.port <= 65535:
        raise ConfigurationError(f"{_describe(name)} has port {url.port}, outside 1..65535")
    check_credential_url(url, allow_insecure_http=allow_insecure_http, setting=_describe(name))
    if name == "token_url" and url.path in {"", "/"}:
        # Completing it silently would hide a mistake (or a token endpoint really served at
        # the root); the hint gives the usual path instead.
        raise ConfigurationError(
            f"{_describe(name)} has no path: it is the token endpoint's full URL, usually "
            f"{str(url).rstrip('/')}{TOKEN_PATH}"
        )
    return str(url).rstrip("/")


def build_ssl_context(verify: bool | str | os.PathLike[str] | ssl.SSLContext) -> ssl.SSLContext:
    """The TLS context for `verify`: on by default, a CA bundle file or directory, or a context.

    `True` gives httpx's default (certifi's bundle, or `SSL_CERT_FILE`/`SSL_CERT_DIR`);
    `False` turns verification off, which only a test against a local server should do.
    """
    if isinstance(verify, ssl.SSLContext):
        return verify
    if isinstance(verify, bool):
        return httpx.create_ssl_context(verify=verify)
    if isinstance(verify, (str, os.PathLike)):
        path = os.fspath(verify)
        try:
            if os.path.isdir(path):
                return ssl.create_default_context(capath=path)
            return ssl.create_default_context(cafile=path)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(
                f"`verify` names a CA bundle that cannot be loaded: {path} ({type(exc).__name__})"
            ) from exc
        except ValueError:  # a NUL, or a character the file system cannot encode
            raise ConfigurationError(
                "`verify` is not a usable path: it holds a NUL or a character that cannot be "
                "encoded"
            ) from None
    raise ConfigurationError(
        "`verify` must be True, False, a CA bundle path or an ssl.SSLContext, "
        f"not {type(verify).__name__}"
    )


# --- The connection settings: timeouts, retries, proxies, body cap, options of the client ---

MAX_TIMEOUT = 86_400.0
"""The longest timeout accepted, in seconds (a day): far beyond any call, far below what
overflows a socket's timer (OverflowError on 1e300 s)."""

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The default cap on a response body's decoded size: 32 MiB, a thousand times a full page."""

_MAX_BODY_CAP = 1 << 40


def _finite(value: object) -> bool:
    """Whether `value` is a real, finite number (a bool is not one).

    An int is compared with the largest float rather than passed to `math.isfinite`, which
    raises OverflowError on one beyond a float's range (10**400).
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if isinstance(value, int):
        return abs(value) <= sys.float_info.max
    return math.isfinite(value)


def _timeout_seconds(value: object) -> bool:
    """Whether `value` is a usable timeout in seconds: finite, > 0, within what a socket takes."""
    return _finite(value) and 0 < value <= MAX_TIMEOUT  # type: ignore[operator]


def resolve_timeout(timeout: float | httpx.Timeout) -> httpx.Timeout:
    """Check a client's or a call's `timeout` (seconds for every phase, or an `httpx.Timeout`).

    A number must be finite, > 0 and at most `MAX_TIMEOUT`; so must each phase of an
    `httpx.Timeout`, or be None (no limit). Anything else is a `ConfigurationError`: a negative
    or infinite value would otherwise fail deep in the socket layer.
    """
    if isinstance(timeout, httpx.Timeout):
        phases = {
            "connect": timeout.connect,
            "read": timeout.read,
            "write": timeout.write,
            "pool": timeout.pool,
        }
        for name, value in phases.items():
            if value is not None and not _timeout_seconds(value):
                raise ConfigurationError(
                    f"timeout: the httpx.Timeout's {name} must be None or a number of seconds"
                    f" > 0 and <= {MAX_TIMEOUT:.0f}"
                )
        return timeout
    if not _timeout_seconds(timeout):
        raise ConfigurationError(
            f"timeout must be a number of seconds > 0 and <= {MAX_TIMEOUT:.0f}, or an httpx.Timeout"
        )
    return httpx.Timeout(float(timeout))


def check_retry_delays(
    *, base_delay: object, max_delay: object, max_retry_after: object, deadline: object
) -> None:
    """Check a `RetryPolicy`'s numbers: finite seconds >= 0, and a deadline > 0 or None.

    NaN passes every `< 0` test and poisons each comparison after it (a NaN deadline would
    shrink every timeout to 1 ms), and infinity makes a wait endless: only finite numbers. A
    value is never quoted: the repr of a 5,000-digit int raises ValueError.
    """
    delays = {"base_delay": base_delay, "max_delay": max_delay, "max_retry_after": max_retry_after}
    for name, value in delays.items():
        if not _finite(value) or value < 0:  # type: ignore[operator]
            raise ConfigurationError(f"RetryPolicy.{name} must be a finite number of seconds >= 0")
    if deadline is not None and (not _finite(deadline) or deadline <= 0):  # type: ignore[operator]
        raise ConfigurationError(
            "RetryPolicy.deadline must be a finite number of seconds > 0, or None"
        )


def check_max_retries(value: object) -> int:
    """Check `max_retries`: an integer >= 0 (retries after the first attempt)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ConfigurationError("max_retries must be an integer >= 0")
    return value


def check_body_cap(value: object) -> int:
    """Check `max_response_bytes`: an integer of bytes, >= 1 (the value is never quoted)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_BODY_CAP:
        raise ConfigurationError(
            f"max_response_bytes must be an integer number of bytes from 1 to {_MAX_BODY_CAP}"
        )
    return value


def check_proxy(value: object, where: str) -> httpx.Proxy:
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


def check_connection(
    *,
    timeout: float | httpx.Timeout,
    strict: object,
    trust_env: object,
    max_retries: object,
    max_response_bytes: object,
    http_client: object,
    client_type: type[httpx.Client | httpx.AsyncClient],
    proxy: object,
    verify: object,
) -> httpx.Timeout:
    """Check a client's connection options before any pool exists; return the timeout resolved.

    `client_type` is the httpx client `http_client` must be (`httpx.Client` for `CloudCX`,
    `httpx.AsyncClient` for `AsyncCloudCX`); with one, `proxy` and `verify` are refused, as
    they are the caller's client's to set.
    """
    if not isinstance(strict, bool):
        raise ConfigurationError("strict must be True or False")
    check_body_cap(max_response_bytes)
    if http_client is not None:
        if not isinstance(http_client, client_type):
            raise ConfigurationError(
                f"http_client must be an {client_type.__module__}.{client_type.__name__}, "
                f"not {type(http_client).__name__}"
            )
        if proxy is not None or verify is not True:
            raise ConfigurationError(
                "proxy and verify do not apply with http_client: configure them on it"
            )
    resolved = resolve_timeout(timeout)
    check_max_retries(max_retries)
    if not isinstance(trust_env, bool):
        raise ConfigurationError(f"trust_env must be True or False, got {trust_env!r}")
    return resolved


def resolve_config(
    *,
    base_url: str | None = None,
    token_url: str | None = None,
    api_key: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    username: str | None = None,
    password: str | None = None,
    allow_insecure_http: bool = False,
    password_optional: bool = False,
    environ: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Merge explicit arguments with the environment and validate the result.

    Explicit arguments win over environment variables; an empty string counts as not given,
    as an empty variable does. That holds per way to authenticate too: an explicit `api_key`
    sets aside password-grant variables from the environment, and an explicit password-grant
    argument sets aside `CLOUDCX_API_KEY` (the variables set aside are listed in
    `ClientConfig.ignored_env_vars`). Exactly one way to authenticate must result: an API key,
    or the password grant (client ID, username and password; the client secret is optional, for
    public OAuth clients). With `password_optional` (a client given `token=` or
    `token_store=`), the password grant may lack the password: a token request that needs it
    then raises `ConfigurationError`.

    `token_url` defaults to `base_url` + `/oauth/token`; given, it must be the token
    endpoint's full URL: one with no path (`https://cx.example.net:9001`) is refused with
    that hint rather than completed, so that a wrong guess never goes unnoticed.

    Raises:
        ConfigurationError: a setting is missing, contradictory, of the wrong type or
            malformed; the message names the setting and where its value came from (argument
            or environment variable), never a secret's value.
    """
    if not isinstance(allow_insecure_http, bool):
        raise ConfigurationError("allow_insecure_http must be True or False")
    env = os.environ if environ is None else environ
    arguments = {
        "base_url": base_url,
        "token_url": token_url,
        "api_key": api_key,
        "client_id": client_id,
        "client_secret": client_secret,
        "username": username,
        "password": password,
    }
    values = {name: _pick(name, value, env) for name, value in arguments.items()}
    explicit = {name for name, value in arguments.items() if value}
    ignored = overridden_by_explicit(explicit, {n for n in values if values[n] is not None})
    for name in ignored:
        values[name] = None
    if values["base_url"] is None:
        raise ConfigurationError(f"no API host configured: pass {_describe('base_url')}")
    resolved_base = _check_url(
        "base_url", values["base_url"], allow_insecure_http=allow_insecure_http
    )
    resolved_token = _check_url(
        "token_url",
        values["token_url"] or resolved_base + TOKEN_PATH,
        allow_insecure_http=allow_insecure_http,
    )

    grant_fields = ("client_id", "username", "password")
    given_grant = [name for name in GRANT_SETTINGS if values[name] is not None]
    ignored_env_vars = tuple(ENV_VARS[name] for name in ignored)

    def source(name: str) -> str:
        return f"`{name}` argument" if name in explicit else ENV_VARS[name]

    if values["api_key"] is not None:
        if given_grant:
            raise ConfigurationError(
                f"both an API key ({source('api_key')}) and password-grant credentials "
                f"({', '.join(source(name) for name in given_grant)}) are configured: "
                "choose one way to authenticate"
            )
        _check_header_safe("api_key", values["api_key"])
        return ClientConfig(
            base_url=resolved_base,
            token_url=resolved_token,
            auth_mode="api_key",
            api_key=Secret(values["api_key"]),
            allow_insecure_http=allow_insecure_http,
            ignored_env_vars=ignored_env_vars,
        )
    if not given_grant:
        raise ConfigurationError(
            f"no credentials configured: pass {_describe('api_key')}, or "
            f"{', '.join(_describe(name) for name in grant_fields)} for the password grant"
        )
    required = ("client_id", "username") if password_optional else grant_fields
    missing = [name for name in required if values[name] is None]
    if missing:
        raise ConfigurationError(
            "incomplete password-grant credentials: missing "
            + ", ".join(_describe(name) for name in missing)
        )
    secret, password_value = values["client_secret"], values["password"]
    return ClientConfig(
        base_url=resolved_base,
        token_url=resolved_token,
        auth_mode="password",
        client_id=values["client_id"],
        client_secret=Secret(secret) if secret is not None else None,
        username=values["username"],
        password=Secret(password_value) if password_value is not None else None,
        allow_insecure_http=allow_insecure_http,
        ignored_env_vars=ignored_env_vars,
    )


# --- token options: the password grant's token cache, `Token` values, token store paths ---

# A week: far beyond any token's lifetime, far within a float's (and a clock's) range.
_MAX_SKEW = 7 * 24 * 3600.0


def check_token_options(
    config: ClientConfig,
    *,
    token: object,
    on_token: object,
    token_store: object,
    refresh_skew: object,
    asynchronous: bool,
) -> float:
    """Check a client's token options; return `refresh_skew` in seconds.

    Raises:
        ConfigurationError: an option is of the wrong type, an async `on_token` hook is given to
            a sync client, or a token option is given with an API key.
    """
    from ._oauth import Token  # imported here: `_oauth` reads `ClientConfig`
    from ._token_store import TokenStore

    if not asynchronous and on_token is not None and inspect.iscoroutinefunction(on_token):
        raise ConfigurationError("an async on_token hook needs AsyncCloudCX")
    if isinstance(refresh_skew, bool) or not isinstance(refresh_skew, (int, float)):
        raise ConfigurationError(
            f"refresh_skew must be a number, not {type(refresh_skew).__name__}"
        )
    # Compared, not passed to math.isfinite, which raises OverflowError on 10**400.
    if not 0 <= refresh_skew <= _MAX_SKEW or refresh_skew != refresh_skew:
        raise ConfigurationError(
            f"refresh_skew must be a finite number of seconds from 0 to {_MAX_SKEW:.0f}"
        )
    if token is not None and not isinstance(token, Token):
        raise ConfigurationError(f"token must be a cloudcx.Token, not {type(token).__name__}")
    if on_token is not None and not callable(on_token):
        raise ConfigurationError("on_token must be a callable taking the new Token")
    if token_store is not None and not isinstance(token_store, TokenStore):
        raise ConfigurationError("token_store must have load(key), save(key, token), delete(key)")
    if config.auth_mode == "api_key":
        options = {"token": token, "on_token": on_token, "store": token_store}
        given = [name for name, value in options.items() if value is not None]
        if given:
            raise ConfigurationError(
                f"{', '.join(given)} only apply to the password grant; an API key is sent as is"
            )
    return float(refresh_skew)


def check_token_fields(
    access_token: object,
    token_type: object,
    expires_at: object,
    refresh_token: object,
    scope: object,
) -> datetime | None:
    """Check the fields of a `Token`; return `expires_at` in UTC.

    Raises:
        ConfigurationError: a field is of the wrong type, or the access token cannot go in a
            header (the message names the field, never its value).
    """
    if not isinstance(access_token, Secret) or not access_token:
        raise ConfigurationError("Token.access_token must be a non-empty Secret")
    if not header_safe(access_token.get_secret_value()):
        raise ConfigurationError(
            "Token.access_token holds a space, a line break or a character outside "
            "printable ASCII, which an HTTP header cannot carry"
        )
    if refresh_token is not None and not isinstance(refresh_token, Secret):
        raise ConfigurationError("Token.refresh_token must be a Secret or None")
    if not isinstance(token_type, str) or not token_type:
        raise ConfigurationError("Token.token_type must be a non-empty string")
    if scope is not None and not isinstance(scope, str):
        raise ConfigurationError("Token.scope must be a string or None")
    if expires_at is None:
        return None
    if not isinstance(expires_at, datetime) or expires_at.tzinfo is None:
        raise ConfigurationError("Token.expires_at must be an aware datetime or None")
    try:
        return expires_at.astimezone(UTC)
    except OverflowError:
        raise ConfigurationError("Token.expires_at is out of range") from None


def check_token_store_path(path: object) -> Path:
    """Check a `FileTokenStore` path; return it as a `Path`.

    Raises:
        ConfigurationError: the path is not a str or path, or the file system cannot hold it.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ConfigurationError(f"path must be a str or a path, not {type(path).__name__}")
    checked = Path(path)
    try:
        os.fsencode(checked)
    except UnicodeEncodeError:
        raise ConfigurationError("path holds a character the file system cannot encode") from None
    if "\0" in str(checked):
        raise ConfigurationError("path holds a NUL character")
    return checked


def check_stored_token(
    data: object,
) -> tuple[str, str, datetime | None, str | None, str | None]:
    """Check a stored token (`Token.to_dict()` output); return its fields, `expires_at` in UTC.

    Raises:
        ConfigurationError: a field is missing or of the wrong type (the message names the
            field, never its value).
    """
    if not isinstance(data, Mapping):
        raise ConfigurationError("a stored token must be a JSON object")
    access = data.get("access_token")
    if not isinstance(access, str) or not access:
        raise ConfigurationError("a stored token has no access_token")
    token_type = data.get("token_type", "Bearer")
    if not isinstance(token_type, str):
        raise ConfigurationError("a stored token's token_type is not a string")
    refresh = data.get("refresh_token")
    if refresh is not None and (not isinstance(refresh, str) or not refresh):
        raise ConfigurationError("a stored token's refresh_token is not a string")
    scope = data.get("scope")
    if scope is not None and not isinstance(scope, str):
        raise ConfigurationError("a stored token's scope is not a string")
    return access, token_type, _stored_expiry(data.get("expires_at")), refresh, scope


def _stored_expiry(value: object) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigurationError("a stored token's expires_at is not a string")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise ConfigurationError("a stored token's expires_at is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise ConfigurationError("a stored token's expires_at has no time zone")
    try:
        return when.astimezone(UTC)
    except OverflowError:  # year 1 in a zone east of UTC, or year 9999 west of it
        raise ConfigurationError("a stored token's expires_at is out of range") from None
