"""Every mapping from httpx to the client's typed errors, and the decoding of the envelope.

The envelope's `data` is one model (`decode_envelope`), a page of items (the same, with its
item model) or a list of records (`decode_list_envelope`, for an operation whose `data` is an
array). The exact success body the spec describes is decoded in C by the generated fast path
(`cloudcx_openapi.fast_path`); every other body goes to the usual decoder, which gives the same
result or the typed error: a `data` that is not a list, an item that is not an object, or an
item that breaks its schema is an `InvalidResponseError` naming where (`data[2].name`), never a
`TypeError` or a `KeyError`.

A failed send or a broken body becomes an `APIConnectionError`, `APITimeoutError` or
`InvalidResponseError`; an error status or an error envelope becomes its `APIError`
subclass; a 401 from the API or a refused token request becomes an `AuthenticationError`
(from the RFC 6750 challenge or the RFC 6749 error object); a body that breaks the schema
becomes an `InvalidResponseError` naming the field.
Every server text an error quotes goes through `server_text`, which masks secrets.
"""

from __future__ import annotations

import email.utils
import math
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, Literal, NoReturn, Protocol, Self, TypeVar, overload
from urllib.parse import quote, unquote

import httpx

from cloudcx_openapi.models.o_auth_error import OAuthError

from ._deadline import deadline_caused_timeout, pool_wait_cut_by_deadline
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    CloudCXError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    request_id_from,
)
from ._secrets import REDACTED, Secret, redact

__all__ = [
    "ARGUMENT_SECRETS_EXTENSION",
    "ATTEMPTS_EXTENSION",
    "KNOWN_SECRETS_EXTENSION",
    "LOCAL_SEND_ERRORS",
    "Decodable",
    "api_refusal",
    "decode_envelope",
    "decode_list_envelope",
    "describe_path",
    "describe_url",
    "envelope_message",
    "invalid_response",
    "json_or_none",
    "load_fast_path",
    "mask_secrets",
    "parse_retry_after",
    "raise_send_failure",
    "redirect_error",
    "server_text",
    "status_error",
    "token_endpoint_error",
    "translate_body_error",
    "translate_transport_error",
]

KNOWN_SECRETS_EXTENSION = "cloudcx.known_secrets"
"""Request extension: the `Secret`s the auth flow or the token request sent (masked in errors)."""

ARGUMENT_SECRETS_EXTENSION = "cloudcx.argument_secrets"
"""Request extension: the call's `format: password` argument values, as `Secret`s (masked too)."""

ATTEMPTS_EXTENSION = "cloudcx.attempts"
"""The request extension where the transport records how many attempts a request took."""

SUCCESS_CODE = "0000"
_EXCERPT_CHARS = 200
# The part of a body masked before the excerpt is cut from it: a secret that begins inside the
# excerpt ends inside this window (even JSON-escaped), so the cut never leaves half of one.
_MASK_WINDOW = 64 * 1024
_SECRET_FIELDS_PATTERN = r"""(?ix)
    ("(?:access_token|refresh_token|id_token|password|client_secret|api_key|apikey|token)"
      \s*:\s*")[^"]*(")
    |((?:access_token|refresh_token|password|client_secret|api_key)=)[^&\s]*
    |(bearer\s+)[A-Za-z0-9._~+/=-]+
    """
_secret_fields: re.Pattern[str] | None = None
_SECRET_QUERY_KEYS = frozenset(
    {"access_token", "refresh_token", "password", "client_secret", "api_key", "apikey", "token"}
)
# Not secret, but personal: a search term may be a name; messages keep only that one was given.
_PERSONAL_QUERY_KEYS = frozenset({"keywords"})
_masked_query_keys: frozenset[str] | None = None
_secret_templates: tuple[tuple[str | bool, ...], ...] | None = None
# What decoding a body as JSON raises; RecursionError: a hostile body nested too deep.
_JSON_ERRORS = (ValueError, UnicodeDecodeError, RecursionError)


def _mask_match(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}***{match.group(2)}"
    if match.group(3) is not None:
        return f"{match.group(3)}***"
    return f"{match.group(4)}***"


def mask_secrets(text: str) -> str:
    """Mask values that look like credentials: token fields, form secrets, bearer values."""
    global _secret_fields
    if _secret_fields is None:  # compiled on first use: most clients never quote a server
        _secret_fields = re.compile(_SECRET_FIELDS_PATTERN)
    return _secret_fields.sub(_mask_match, text)


def _known_secrets(response: httpx.Response, *extensions: str) -> list[Secret]:
    found = response.request.extensions
    return [s for name in extensions for s in found.get(name, ()) if isinstance(s, Secret)]


def server_text(response: httpx.Response, text: str) -> str:
    """Server text fit to quote in an error: credential-shaped values and known secrets masked.

    The one place every quoted server text goes through (OAuth `error_description`, envelope
    messages, body excerpts): the secrets the client sent with `response`'s request (see
    `KNOWN_SECRETS_EXTENSION`) are replaced by `***` wherever they appear.
    """
    secrets = _known_secrets(response, KNOWN_SECRETS_EXTENSION, ARGUMENT_SECRETS_EXTENSION)
    return mask_secrets(redact(text, secrets))


def json_or_none(response: httpx.Response) -> Any:
    """The response's body as JSON, or `None` when it is not JSON (read it first).

    The decoding error is dropped on purpose: a `JSONDecodeError` keeps the whole body, which
    may hold a credential, in its `doc`.
    """
    try:
        return response.json()
    except _JSON_ERRORS:
        return None


def _masked_keys() -> frozenset[str]:
    """The query keys whose values messages mask, with every `format: password` query parameter."""
    global _masked_query_keys
    if _masked_query_keys is None:  # the operation table is read when a URL with a query is shown
        from cloudcx_openapi.operations import OPERATIONS

        _masked_query_keys = (
            _SECRET_QUERY_KEYS
            | _PERSONAL_QUERY_KEYS
            | {
                parameter.name.lower()
                for operation in OPERATIONS
                for parameter in operation.parameters
                if parameter.secret and parameter.location == "query"
            }
        )
    return _masked_query_keys


def _secret_path_templates() -> tuple[tuple[str | bool, ...], ...]:
    """The path templates of the operations with a secret path parameter, split in segments.

    A segment is its literal text, or, for one with a parameter in it, whether it holds a
    secret one. Read from the operation table when a URL is first shown: the spec decides.
    """
    global _secret_templates
    if _secret_templates is None:
        from cloudcx_openapi.operations import OPERATIONS

        templates = []
        for operation in OPERATIONS:
            secret = {
                "{" + parameter.name + "}"
                for parameter in operation.parameters
                if parameter.secret and parameter.location == "path"
            }
            if secret:
                # Only the leading slash goes: a trailing one is a segment the path ends with.
                segments = operation.path.lstrip("/").split("/")
                templates.append(
                    tuple(
                        any(name in part for name in secret) if "{" in part else part
                        for part in segments
                    )
                )
        _secret_templates = tuple(templates)
    return _secret_templates


def _masked_path(raw_path: str) -> str:
    """`raw_path` (percent-encoded, no query) with every segment a secret parameter fills masked.

    A template is matched against the path's last segments, so that a base URL with a path of
    its own (`https://host/cx`) changes nothing; a parameter's value is one encoded segment.
    """
    templates = _secret_path_templates()
    if not templates:
        return raw_path
    segments = raw_path.split("/")
    for template in templates:
        start = len(segments) - len(template)
        if start < 1:
            continue
        tail = segments[start:]
        if all(
            isinstance(part, bool) or part == seen
            for part, seen in zip(template, tail, strict=True)
        ):
            segments[start:] = [
                REDACTED if part is True else seen
                for part, seen in zip(template, tail, strict=True)
            ]
    return "/".join(segments)


def describe_path(url: httpx.URL) -> str:
    """The URL's path for messages and log lines (percent-encoded), secret parameters masked."""
    return _masked_path(url.raw_path.decode("ascii").partition("?")[0])


def _url_for_messages(url: httpx.URL) -> httpx.URL:
    """`url` without user-info, with its secret path segments and query values masked."""
    clean = url.copy_with(username=None, password=None) if url.userinfo else url
    raw_path, mark, query = clean.raw_path.decode("ascii").partition("?")
    masked_path = _masked_path(raw_path)
    if masked_path != raw_path:
        clean = clean.copy_with(raw_path=f"{masked_path}{mark}{query}".encode("ascii"))
    if not clean.query:
        return clean
    masked = _masked_keys()
    params = [
        (key, REDACTED if key.lower() in masked else value)
        for key, value in clean.params.multi_items()
    ]
    return clean.copy_with(params=params)


def describe_url(url: httpx.URL) -> str:
    """The URL for messages: no user-info; secrets in the path and the query masked.

    Masked: the path segments a `format: password` parameter fills, and the values of secret
    query parameters (the spec's and the credential-looking ones) and of `keywords`.
    """
    return str(_url_for_messages(url))


def _fields(response: httpx.Response) -> dict[str, Any]:
    """An error's fields for `response`: status, method, described URL, the server's request id."""
    return {
        "status_code": response.status_code,
        "method": response.request.method,
        "url": describe_url(response.request.url),
        "request_id": request_id_from(response.headers),
    }


def invalid_response(
    response: httpx.Response, reason: str, *, mask_body: bool = False
) -> InvalidResponseError:
    """Build an `InvalidResponseError` describing `response`, its body excerpt masked.

    With `mask_body`, the excerpt is withheld entirely (for token responses, whose body may hold
    a credential in a shape no pattern anticipates).
    """
    try:
        raw = response.content[:_MASK_WINDOW]
    except httpx.ResponseNotRead:
        raw = b""
    # Masked first, cut after: a cut first could leave the head of a secret unmasked.
    text = "" if mask_body else server_text(response, raw.decode("utf-8", errors="replace"))
    return InvalidResponseError(
        reason,
        content_type=response.headers.get("content-type"),
        body_excerpt=text[:_EXCERPT_CHARS],
        **_fields(response),
    )


def envelope_message(body: Any) -> tuple[str | None, str | None]:
    """The envelope's `code` and `message`, each `None` unless it is a string."""
    if not isinstance(body, dict):
        return None, None
    code, message = body.get("code"), body.get("message")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) else None,
    )


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Parse a `Retry-After` header (seconds, or an HTTP date) into seconds from now."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


# Every API path in the spec starts here; what precedes it in a URL is the base URL's path.
_API_PREFIX = "/openapi/"
# What a URL keeps unencoded when a masked target is encoded again.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%"


def _suggested_base(request_url: httpx.URL, target: httpx.URL) -> str | None:
    """The base URL the target implies: its address up to the API path, if it has one."""
    path = target.path
    cut = path.find(_API_PREFIX)
    if cut < 0 or _API_PREFIX not in request_url.path:
        return None
    base = target.copy_with(path=path[:cut] or "/", query=None, fragment=None)
    return describe_url(base).rstrip("/")


def _masked_url(response: httpx.Response, url: httpx.URL) -> str:
    """A server-given URL fit to quote: every secret masked in its path, query and fragment.

    The server may percent-encode an echoed secret any way it likes: the secrets are looked for
    in the decoded form too, and if one is found the decoded, masked form is encoded again.
    """
    described = describe_url(url)
    decoded = unquote(described)
    secrets = _known_secrets(response, KNOWN_SECRETS_EXTENSION, ARGUMENT_SECRETS_EXTENSION)
    masked = redact(decoded, secrets)
    if masked != decoded:
        described = quote(masked, safe=_URL_SAFE)
    return server_text(response, described)


def redirect_error(response: httpx.Response, setting: str, *, endpoint: bool = True) -> APIError:
    """The error for a 3xx: redirects are not followed, so name the target and the setting.

    Following one could carry credentials to another address; if the service has moved, the
    caller points `setting` at it. With `endpoint`, the setting is a base URL, and the
    suggestion drops the endpoint's path from the target.
    """
    status = response.status_code
    location = response.headers.get("location")
    suggestion = "the new address"
    try:
        target = response.request.url.join(location) if location else None
    except (httpx.InvalidURL, ValueError, TypeError):
        target = None
    if target is not None:
        suggestion = _masked_url(response, target)
        detail = f"redirected to {suggestion}"
        if endpoint:
            suggested = _suggested_base(response.request.url, target)
            suggestion = (
                _masked_url(response, httpx.URL(suggested)) if suggested else "the new address"
            )
    else:
        detail = "redirected to an invalid Location" if location else "redirected without Location"
    return APIError(
        f"the server answered HTTP {status}, {detail}; redirects are not followed (they could "
        f"carry credentials elsewhere): if the service has moved, set {setting} to {suggestion}",
        **_fields(response),
    )


def _envelope_error(response: httpx.Response, body: Any, default: str) -> APIError:
    """The `APIError` (of the status's subclass) an error body describes; server text masked."""
    status = response.status_code
    code, message = envelope_message(body)
    text = server_text(response, message) if message else ""
    kwargs: dict[str, Any] = {
        "code": code and server_text(response, code),
        **_fields(response),
    }
    error_type = APIError
    if status == 403:
        error_type = PermissionDeniedError
    elif status == 404:
        error_type = NotFoundError
    elif status == 429:
        error_type = RateLimitError
        kwargs["retry_after"] = parse_retry_after(response.headers.get("retry-after"))
    elif status >= 500:
        error_type = ServerError
    return error_type(text or default, **kwargs)


def status_error(response: httpx.Response) -> CloudCXError | None:
    """The typed error for a non-2xx response; None for a 2xx.

    Returned, not raised: a raising frame keeps the body in the locals a traceback can render
    (`capture_locals`), and the body may echo a secret.

    A 401 never reaches here: the auth flows raise `AuthenticationError` for it (at once for
    an API key, after one renewal for a token), so it is left to the generic `APIError`.
    """
    status = response.status_code
    if 200 <= status < 300:
        return None
    if 300 <= status < 400:
        return redirect_error(response, "base_url (or CLOUDCX_BASE_URL)")
    body = json_or_none(response)
    if body is None and status < 400:
        return invalid_response(response, f"unexpected HTTP status {status}")
    return _envelope_error(response, body, f"HTTP {status} {response.reason_phrase}".strip())


def _json(response: httpx.Response) -> Any:
    """The body as JSON, or the `InvalidResponseError` saying why it is not."""
    if "html" in response.headers.get("content-type", "").lower():
        return invalid_response(response, "the server answered with an HTML page, not JSON")
    try:
        return response.json()
    except _JSON_ERRORS:
        pass
    # Built outside the `except`, so not even chained as `__context__`: a JSONDecodeError
    # keeps the whole body (and any secret the server echoed) in its `doc`.
    return invalid_response(response, "the body is not valid JSON")


def _envelope_body(response: httpx.Response) -> dict[str, Any] | CloudCXError:
    """The body of a successful envelope, or the typed error (returned: see `status_error`)."""
    body = _json(response) if 200 <= response.status_code < 300 else None
    if isinstance(body, CloudCXError):
        return body
    if body is None:
        return status_error(response) or invalid_response(response, "the body is empty")
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return invalid_response(response, "the body is not a CloudCX envelope (no string `code`)")
    if body["code"] != SUCCESS_CODE:
        return _envelope_error(response, body, "the API reported an error")
    return body


# --- 401 answers of the API (RFC 6750) and answers of the token endpoint (RFC 6749)

_SPACE = " \t"


def _skip(text: str, index: int, chars: str) -> int:
    while index < len(text) and text[index] in chars:
        index += 1
    return index


# The plain run of a quoted-string: one greedy class, matched from a given position (linear).
_QUOTED_RUN = re.compile(r'[^"\\]*')


def _quoted(text: str, index: int) -> tuple[str, int]:
    """The quoted-string opening at `index` (unescaped), and the index after it."""
    parts: list[str] = []
    index += 1
    while index < len(text):
        stop = _QUOTED_RUN.match(text, index).end()  # type: ignore[union-attr]  # `*` matches
        parts.append(text[index:stop])
        if stop >= len(text) or text[stop] == '"':
            return "".join(parts), stop + 1
        parts.append(text[stop + 1 : stop + 2])  # a quoted-pair: the escaped character
        index = stop + 2
    return "".join(parts), index


def _challenge_params(text: str) -> dict[str, str]:
    """The `name=value` parameters of one challenge (RFC 7235 §2.1), in one linear scan.

    A hand-rolled scanner, not a regex: the header is the server's, and a regex that retries
    from every position took quadratic time on a long one (16 KB: seconds).
    """
    params: dict[str, str] = {}
    index = 0
    while index < len(text):
        index = _skip(text, index, _SPACE + ",")
        start = index
        while index < len(text) and text[index] not in _SPACE + ',="':
            index += 1
        name = text[start:index]
        index = _skip(text, index, _SPACE)
        if index >= len(text) or text[index] != "=" or not name:
            # Not a parameter (a token68, or junk): skip to the next comma, a quoted part whole.
            while index < len(text) and text[index] != ",":
                index = _quoted(text, index)[1] if text[index] == '"' else index + 1
            continue
        index = _skip(text, index + 1, _SPACE)
        if index < len(text) and text[index] == '"':
            value, index = _quoted(text, index)
        else:
            start = index
            while index < len(text) and text[index] not in _SPACE + ",":
                index += 1
            value = text[start:index]
        params[name.lower()] = value
    return params


def _bearer_challenge(response: httpx.Response) -> dict[str, str]:
    """The parameters of the `WWW-Authenticate: Bearer ...` challenge, if the API sent one."""
    for header in response.headers.get_list("www-authenticate"):
        scheme, _, params = header.strip().partition(" ")
        if scheme.lower() != "bearer":
            continue
        return _challenge_params(params)
    return {}


def api_refusal(response: httpx.Response, reason: str) -> AuthenticationError:
    """The `AuthenticationError` for a 401 from the API.

    `error` and `error_description` come from the RFC 6750 challenge when there is one; the
    envelope's `code` stays in `code`, its `message` stands in for a missing description.
    """
    code, message = envelope_message(json_or_none(response))
    code = code and server_text(response, code)  # server text, like the message
    challenge = _bearer_challenge(response)
    error = server_text(response, challenge["error"]) if challenge.get("error") else None
    raw_detail = challenge.get("error_description") or message
    detail = server_text(response, raw_detail) if raw_detail else None
    return AuthenticationError(
        f"{reason}: {detail}" if detail else reason,
        error=error,
        error_description=detail,
        code=code,
        **_fields(response),
    )


def _token_refusal(response: httpx.Response) -> AuthenticationError:
    error: str | None = None
    description: str | None = None
    body = json_or_none(response)
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        parsed = OAuthError.from_dict(body)
        # Server text, masked: it may echo the password or the client secret.
        error = server_text(response, parsed.error)
        detail = parsed.error_description
        description = server_text(response, detail) if isinstance(detail, str) and detail else None
    message = f"the token request was refused ({error or f'HTTP {response.status_code}'})"
    if description:
        message += f": {description}"
    return AuthenticationError(
        message,
        error=error,
        error_description=description,
        **_fields(response),
    )


def token_endpoint_error(response: httpx.Response) -> CloudCXError:
    """The typed error for the token endpoint's answer other than 200; its body never quoted."""
    status = response.status_code
    if status in (400, 401, 403):
        return _token_refusal(response)
    if 300 <= status < 400:
        return redirect_error(response, "token_url (or CLOUDCX_TOKEN_URL)", endpoint=False)
    if status == 429:
        return RateLimitError(
            "the token endpoint is rate limiting",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
            **_fields(response),
        )
    if status >= 500:
        return ServerError(f"the token endpoint failed (HTTP {status})", **_fields(response))
    return invalid_response(
        response, f"unexpected HTTP {status} from the token endpoint", mask_body=True
    )


class Decodable(Protocol):
    """A generated model: `from_dict(data, strict)` decodes it (see generator/templates/)."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], strict: bool = False) -> Self:
        """Decode the model from its JSON object."""
        ...


M = TypeVar("M", bound=Decodable)

# A page's counts (by the Python names of the generated page models): `minimum: 0` is the one
# constraint the generated checks do not carry.
_PAGE_COUNTS = {
    "total_pages": "totalPages",
    "total_elements": "totalElements",
    "size": "size",
    "number": "number",
    "number_of_elements": "numberOfElements",
}
# What a generated `from_dict` raises on a body that breaks the schema: a missing field
# (KeyError), a wrong-typed one (TypeError) or a malformed UUID (ValueError).
_DECODE_ERRORS = (KeyError, TypeError, ValueError)
_fast_decoders: Mapping[type[Any], Callable[[bytes], Any]] | None = None
_fast_list_decoders: Mapping[type[Any], Callable[[bytes], Any]] | None = None
_BROKEN = "the data breaks the API's schema"


def load_fast_path() -> Mapping[type[Any], Callable[[bytes], Any]]:
    """The generated fast decoders by data model, imported (with msgspec) on the first call.

    The decoders of list data (by item model) are loaded with them.

    The clients call it when they are built, so that the import (about 5 ms) does not stall
    the first calls of many threads at once; `import cloudcx` alone does not pay for it.
    """
    global _fast_decoders, _fast_list_decoders
    if _fast_decoders is None:
        from cloudcx_openapi.fast_path import FAST_DECODERS, FAST_LIST_DECODERS

        _fast_list_decoders = FAST_LIST_DECODERS
        _fast_decoders = FAST_DECODERS
    return _fast_decoders


def _fast_decoded(response: httpx.Response, model: type[M]) -> M | None:
    """`model` decoded in C by the generated fast path, or None: decode the usual way.

    The fast path takes only a success body with every field of the spec, no other field and
    each value in range; every other body goes through the tolerant (or strict) decoder, which
    gives the same result for it or the typed error (tests/errors/test_fast_path_agrees.py).
    """
    decoded: M | None = _fast_path((_fast_decoders or load_fast_path()).get(model), response)
    return decoded


def _fast_path(decode: Callable[[bytes], Any] | None, response: httpx.Response) -> Any:
    """What a generated fast decoder makes of a success body, or None (also when none exists)."""
    if decode is None or not 200 <= response.status_code < 300:
        return None
    if "html" in response.headers.get("content-type", "").lower():
        return None
    return decode(response.content)


def _reason(where: str, exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{where}.{exc.args[0]} is missing"
    return f"{where}: {exc}"


def _broken_item(
    items: list[Any], item_model: type[Decodable], strict: bool, where: str
) -> str | None:
    """Where the first item of `items` (at `where`) breaks `item_model`'s schema, if one does."""
    for index, item in enumerate(items):
        at = f"{where}[{index}]"
        if not isinstance(item, dict):
            return f"{at} is not an object"
        try:
            item_model.from_dict(item, strict)
        except _DECODE_ERRORS as exc:
            return _reason(at, exc)
    return None


def _shape_error(
    data: dict[str, Any], exc: Exception, item_model: type[Decodable] | None, strict: bool
) -> str:
    """Say where `data` breaks its schema, once the generated decoder has refused it.

    The generated `from_dict` names the field, but not which item of a page it was in; finding
    that again costs nothing on the success path.
    """
    content = data.get("content")
    if item_model is not None and isinstance(content, list):
        broken = _broken_item(content, item_model, strict, "data.content")
        if broken is not None:
            return broken
    return _reason("data", exc)


@overload
def decode_envelope(
    response: httpx.Response,
    model: type[M],
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
    nullable: Literal[False] = False,
) -> M: ...
@overload
def decode_envelope(
    response: httpx.Response,
    model: type[M] | None,
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
    nullable: bool,
) -> M | None: ...
@overload
def decode_envelope(
    response: httpx.Response,
    model: None,
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
    nullable: bool = False,
) -> None: ...
def decode_envelope(
    response: httpx.Response,
    model: type[M] | None,
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
    nullable: bool = False,
) -> M | None:
    """Check a response's envelope and decode its `data` into `model` (None: data is null).

    Raises the typed error for an error status or an error envelope, and
    `InvalidResponseError` naming the field for a body that breaks the schema. By default the
    decoding is tolerant (a nullable field that is missing reads as null; extra fields are
    kept); `strict` requires every field the spec lists. `item_model` is a page's item model,
    used only to name the failing item. `nullable`: the spec lets `data` be null, which then
    decodes to None (in either mode); otherwise a null `data` is refused.
    """
    decoded = _decoded(response, model, strict, item_model, nullable)
    if isinstance(decoded, CloudCXError):
        raise decoded  # here, where no local holds the body (see `status_error`)
    return decoded


def _decoded(
    response: httpx.Response,
    model: type[M] | None,
    strict: bool,
    item_model: type[Decodable] | None,
    nullable: bool = False,
) -> M | CloudCXError | None:
    """The decoded `data`, or the typed error (returned: see `status_error`)."""
    if model is not None:
        fast = _fast_decoded(response, model)
        if fast is not None:
            return fast
    body = _envelope_body(response)
    if isinstance(body, CloudCXError):
        return body
    data = body.get("data")
    if nullable and _null_data(body, strict):
        return None
    noun = "page" if item_model is not None else "data"
    if model is None:
        if strict and data is not None:
            return invalid_response(response, f"{_BROKEN}: data is not null")
        return None
    # The envelope's own generated decoder would swallow a broken page and keep the raw dict,
    # so the data is decoded directly by its generated `from_dict`, which checks each field.
    if not isinstance(data, dict):
        return invalid_response(
            response, f"the {noun} breaks the API's schema: data is not an object"
        )
    problem: str | None = None
    try:
        decoded = model.from_dict(data, strict)
    except _DECODE_ERRORS as exc:
        problem = server_text(response, _shape_error(data, exc, item_model, strict))
    if problem is not None:
        # Returned outside the `except`: the decoder's error may quote a value of the body.
        return invalid_response(response, f"the {noun} breaks the API's schema: {problem}")
    if item_model is not None:
        for name, wire in _PAGE_COUNTS.items():
            count = getattr(decoded, name, 0)
            if isinstance(count, int) and count < 0:
                return invalid_response(
                    response,
                    f"the page breaks the API's schema: data.{wire} is not a non-negative integer",
                )
    return decoded


def _null_data(body: Mapping[str, Any], strict: bool) -> bool:
    """Whether a nullable `data` is null: given as null, or (tolerant only) left out."""
    return body.get("data") is None and ("data" in body or not strict)


def _fast_decoded_list(response: httpx.Response, item_model: type[M]) -> list[M] | None:
    """The list decoded in C by the generated fast path, or None: decode the usual way."""
    if _fast_list_decoders is None:
        load_fast_path()
    decoders = _fast_list_decoders or {}
    decoded: list[M] | None = _fast_path(decoders.get(item_model), response)
    return decoded


@overload
def decode_list_envelope(
    response: httpx.Response,
    item_model: type[M],
    *,
    strict: bool = False,
    nullable: Literal[False] = False,
) -> list[M]: ...
@overload
def decode_list_envelope(
    response: httpx.Response, item_model: type[M], *, strict: bool = False, nullable: bool
) -> list[M] | None: ...
def decode_list_envelope(
    response: httpx.Response, item_model: type[M], *, strict: bool = False, nullable: bool = False
) -> list[M] | None:
    """Check a response's envelope and decode its `data`, a list, item by item into `item_model`.

    Raises the typed error for an error status or an error envelope, and
    `InvalidResponseError` for a `data` that is not a list of objects of the item's schema.
    `nullable`: the spec lets `data` be null, which then decodes to None (in either mode).
    """
    decoded = _decoded_list(response, item_model, strict, nullable)
    if isinstance(decoded, CloudCXError):
        raise decoded  # here, where no local holds the body (see `_response.status_error`)
    return decoded


def _decoded_list(
    response: httpx.Response, item_model: type[M], strict: bool, nullable: bool
) -> list[M] | CloudCXError | None:
    """The decoded items, or the typed error (returned: see `_response.status_error`)."""
    fast = _fast_decoded_list(response, item_model)
    if fast is not None:
        return fast
    body = _envelope_body(response)
    if isinstance(body, CloudCXError):
        return body
    data: Any = body.get("data")
    if nullable and _null_data(body, strict):
        return None
    if not isinstance(data, list):
        return invalid_response(response, f"{_BROKEN}: data is not a list")
    if all(isinstance(item, dict) for item in data):
        try:
            return [item_model.from_dict(item, strict) for item in data]
        except _DECODE_ERRORS:
            pass  # named below, outside the `except`: the decoder's error may quote the body
    # As for a page (`_shape_error`): finding the broken item again costs nothing on success.
    broken = _broken_item(data, item_model, strict, "data") or "data breaks the item's schema"
    return invalid_response(response, f"{_BROKEN}: {server_text(response, broken)}")


def _scrub_request(request: httpx.Request | None) -> None:
    """Take the credentials off a request that failed for good.

    The httpx exception chained to the client's error keeps the request (`exc.request`), and a
    traceback keeps it in its frames: without this, its `Authorization` header, a secret
    parameter in its URL, or a token request's form with the password and the client secret,
    would ride along in clear.
    """
    if request is None:
        return
    request.headers.pop("Authorization", None)
    # Its URL may carry a secret parameter, in the path or the query.
    request.url = _url_for_messages(request.url)
    if request.extensions.get(KNOWN_SECRETS_EXTENSION) and request.method == "POST":
        request.stream = httpx.ByteStream(b"")
        request._content = b""


def _deadline_caused(exc: httpx.TimeoutException, request: httpx.Request | None) -> bool:
    """Whether the call deadline, not one of the request's own timeouts, ended the wait."""
    if isinstance(exc, httpx.PoolTimeout) and request is not None:
        return pool_wait_cut_by_deadline(request)
    return deadline_caused_timeout()


def translate_transport_error(exc: httpx.HTTPError, request: httpx.Request | None) -> CloudCXError:
    """Map an httpx exception raised while sending `request` to a `CloudCXError`.

    The request's credentials are scrubbed: it is not sent again.
    """
    _scrub_request(request)
    method = request.method if request is not None else None
    url = describe_url(request.url) if request is not None else None
    count = request.extensions.get(ATTEMPTS_EXTENSION) if request is not None else None
    tries = f" after {count} attempts" if isinstance(count, int) and count >= 2 else ""
    name = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            f"the request timed out ({name}){tries}",
            method=method,
            url=url,
            deadline_passed=_deadline_caused(exc, request),
        )
    if isinstance(exc, httpx.TransportError):
        return APIConnectionError(f"the connection failed ({name}){tries}", method=method, url=url)
    # Not a network failure: a redirect loop, a stream used twice, a URL httpx refused.
    return APIConnectionError(f"the request could not be sent ({name})", method=method, url=url)


def translate_body_error(exc: httpx.HTTPError, response: httpx.Response) -> CloudCXError:
    """Map an httpx exception raised while reading `response`'s body to a `CloudCXError`.

    A timeout is a timeout; anything else means the body broke off before its end (a
    truncated body), which is an answer that cannot be understood, not a lost request.
    """
    if isinstance(exc, httpx.TimeoutException):
        return translate_transport_error(exc, response.request)
    _scrub_request(response.request)
    return invalid_response(
        response, f"the body broke off before its end, truncated ({type(exc).__name__})"
    )


LOCAL_SEND_ERRORS = (httpx.LocalProtocolError, httpx.UnsupportedProtocol)
"""httpx errors raised before anything is sent, whose message may quote a header value."""


def raise_send_failure(exc: httpx.HTTPError, request: httpx.Request | None) -> NoReturn:
    """Raise the `CloudCXError` for a failed send, chaining `exc` only if it is safe to show.

    A local protocol error (an illegal header value...) may quote the header, so it is dropped
    from the chain (`from None`): no traceback can print a credential.
    """
    error = translate_transport_error(exc, request)
    if not isinstance(exc, LOCAL_SEND_ERRORS):
        raise error from exc
    try:
        raise error from None
    finally:
        # Not even as `__context__` (which `from None` only hides): it quotes the header.
        error.__context__ = None
