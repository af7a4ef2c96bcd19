"""From an HTTP response to a typed result or a typed error.

The generated models check the shape the spec promises (required fields present, each of its
type: see generator/templates/); this module turns their refusal into an `InvalidResponseError`
that names the field, instead of a `KeyError` deep inside, or a wrong-typed value that fails
later in the caller's code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol, Self, TypeVar, overload
from urllib.parse import quote, unquote

import httpx

from cloudcx_openapi.operations import OPERATIONS

from ._exceptions import (
    APIError,
    CloudCXError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    request_id_from,
)
from ._secrets import REDACTED, Secret, redact
from ._transport import parse_retry_after

__all__ = [
    "ARGUMENT_SECRETS_EXTENSION",
    "KNOWN_SECRETS_EXTENSION",
    "Decodable",
    "decode_envelope",
    "describe_url",
    "envelope_message",
    "invalid_response",
    "json_or_none",
    "load_fast_path",
    "mask_secrets",
    "redirect_error",
    "server_text",
    "status_error",
]

KNOWN_SECRETS_EXTENSION = "cloudcx.known_secrets"
"""Request extension holding the `Secret`s the client sent or holds for that request.

Set by the auth flow and the token request; `server_text` masks these exact values in any
server text an error quotes, whatever shape the server echoed them in.
"""

ARGUMENT_SECRETS_EXTENSION = "cloudcx.argument_secrets"
"""Request extension holding, as `Secret`s, the values of the call's `format: password` arguments.

Set by the resources' runner (the auth flow owns `KNOWN_SECRETS_EXTENSION`); `server_text`
masks these too.
"""

SUCCESS_CODE = "0000"
_EXCERPT_CHARS = 200
# The part of a body masked before the excerpt is cut from it: a secret that begins inside the
# excerpt ends inside this window (even JSON-escaped), so the cut never leaves half of one.
_MASK_WINDOW = 64 * 1024
_SECRET_FIELDS = re.compile(
    r"""(?ix)
    ("(?:access_token|refresh_token|id_token|password|client_secret|api_key|apikey|token)"
      \s*:\s*")[^"]*(")
    |((?:access_token|refresh_token|password|client_secret|api_key)=)[^&\s]*
    |(bearer\s+)[A-Za-z0-9._~+/=-]+
    """
)
_SECRET_QUERY_KEYS = frozenset(
    {"access_token", "refresh_token", "password", "client_secret", "api_key", "apikey", "token"}
)
# Not secret, but personal: a search term may be a name; messages keep only that one was given.
_PERSONAL_QUERY_KEYS = frozenset({"keywords"})
# What decoding a body as JSON raises; RecursionError: a hostile body nested too deep.
_JSON_ERRORS = (ValueError, UnicodeDecodeError, RecursionError)
# And every query parameter the spec marks `format: password`, in any operation.
_SPEC_SECRET_QUERY_KEYS = frozenset(
    parameter.name.lower()
    for operation in OPERATIONS
    for parameter in operation.parameters
    if parameter.secret and parameter.location == "query"
)
_MASKED_QUERY_KEYS = _SECRET_QUERY_KEYS | _PERSONAL_QUERY_KEYS | _SPEC_SECRET_QUERY_KEYS


def _mask_match(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return f"{match.group(1)}***{match.group(2)}"
    if match.group(3) is not None:
        return f"{match.group(3)}***"
    return f"{match.group(4)}***"


def mask_secrets(text: str) -> str:
    """Mask values that look like credentials: token fields, form secrets, bearer values."""
    return _SECRET_FIELDS.sub(_mask_match, text)


def server_text(response: httpx.Response, text: str) -> str:
    """Server text fit to quote in an error: credential-shaped values and known secrets masked.

    The one place every quoted server text goes through (OAuth `error_description`, envelope
    messages, body excerpts): the secrets the client sent with `response`'s request (see
    `KNOWN_SECRETS_EXTENSION`) are replaced by `***` wherever they appear.
    """
    extensions = response.request.extensions
    known = (
        *extensions.get(KNOWN_SECRETS_EXTENSION, ()),
        *extensions.get(ARGUMENT_SECRETS_EXTENSION, ()),
    )
    secrets = [secret for secret in known if isinstance(secret, Secret)]
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


def describe_url(url: httpx.URL) -> str:
    """The URL for messages: no user-info; secret-looking and `keywords` query values masked."""
    clean = url.copy_with(username=None, password=None) if url.userinfo else url
    if not clean.query:
        return str(clean)
    params = [
        (key, REDACTED if key.lower() in _MASKED_QUERY_KEYS else value)
        for key, value in clean.params.multi_items()
    ]
    return str(clean.copy_with(params=params))


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
    excerpt = text[:_EXCERPT_CHARS]
    return InvalidResponseError(
        reason,
        status_code=response.status_code,
        content_type=response.headers.get("content-type"),
        body_excerpt=excerpt,
        method=response.request.method,
        url=describe_url(response.request.url),
        request_id=request_id_from(response.headers),
    )


def _json(response: httpx.Response) -> Any:
    """The body as JSON, or the `InvalidResponseError` saying why it is not."""
    content_type = response.headers.get("content-type", "")
    if "html" in content_type.lower():
        return invalid_response(response, "the server answered with an HTML page, not JSON")
    try:
        return response.json()
    except _JSON_ERRORS:
        pass
    # Built outside the `except`, so not even chained as `__context__`: a JSONDecodeError
    # keeps the whole body (and any secret the server echoed) in its `doc`.
    return invalid_response(response, "the body is not valid JSON")


def envelope_message(body: Any) -> tuple[str | None, str | None]:
    """The envelope's `code` and `message`, each `None` unless it is a string."""
    if not isinstance(body, dict):
        return None, None
    code, message = body.get("code"), body.get("message")
    return (
        code if isinstance(code, str) else None,
        message if isinstance(message, str) else None,
    )


def _retry_after(response: httpx.Response) -> float | None:
    return parse_retry_after(response.headers.get("retry-after"))


# Every API path in the spec starts here; what precedes it in a URL is the base URL's path.
_API_PREFIX = "/openapi/"


def _suggested_base(request_url: httpx.URL, target: httpx.URL) -> str | None:
    """The base URL the target implies: its address up to the API path, if it has one."""
    path = target.path
    cut = path.find(_API_PREFIX)
    if cut < 0 or _API_PREFIX not in request_url.path:
        return None
    base = target.copy_with(path=path[:cut] or "/", query=None, fragment=None)
    return describe_url(base).rstrip("/")


# What a URL keeps unencoded when a masked target is encoded again.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%"


def _masked_url(response: httpx.Response, url: httpx.URL) -> str:
    """A server-given URL fit to quote: every secret masked in its path, query and fragment.

    The server may percent-encode an echoed secret any way it likes: the secrets are looked for
    in the decoded form too, and if one is found the decoded, masked form is encoded again.
    """
    described = describe_url(url)
    decoded = unquote(described)
    known = response.request.extensions.get(KNOWN_SECRETS_EXTENSION, ())
    secrets = [secret for secret in known if isinstance(secret, Secret)]
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
        status_code=status,
        method=response.request.method,
        url=describe_url(response.request.url),
        request_id=request_id_from(response.headers),
    )


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
    code, message = envelope_message(body)
    code = code and server_text(response, code)  # server text, like the message
    where = {
        "method": response.request.method,
        "url": describe_url(response.request.url),
        "request_id": request_id_from(response.headers),
    }
    text = server_text(response, message) if message else ""
    text = text or f"HTTP {status} {response.reason_phrase}".strip()
    if status == 403:
        return PermissionDeniedError(text, code=code, status_code=status, **where)
    if status == 404:
        return NotFoundError(text, code=code, status_code=status, **where)
    if status == 429:
        return RateLimitError(
            text, retry_after=_retry_after(response), code=code, status_code=status, **where
        )
    if status >= 500:
        return ServerError(text, code=code, status_code=status, **where)
    if body is None and not (400 <= status < 500):
        return invalid_response(response, f"unexpected HTTP status {status}")
    return APIError(text, code=code, status_code=status, **where)


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


def load_fast_path() -> Mapping[type[Any], Callable[[bytes], Any]]:
    """The generated fast decoders by data model, imported (with msgspec) on the first call.

    The clients call it when they are built, so that the import (about 5 ms) does not stall
    the first calls of many threads at once; `import cloudcx` alone does not pay for it.
    """
    global _fast_decoders
    if _fast_decoders is None:
        from cloudcx_openapi.fast_path import FAST_DECODERS

        _fast_decoders = FAST_DECODERS
    return _fast_decoders


def _fast_decoded(response: httpx.Response, model: type[M]) -> M | None:
    """`model` decoded in C by the generated fast path, or None: decode the usual way.

    The fast path (`cloudcx_openapi.fast_path`) takes only a success body with every field of
    the spec, no other field and each value in range; every other body goes through the
    tolerant (or strict) decoder, which gives the same result for it or the typed error. The
    two agree (tests/errors/test_fast_path_agrees.py); msgspec is loaded on the first call.
    """
    decode = (_fast_decoders or load_fast_path()).get(model)
    if decode is None or not 200 <= response.status_code < 300:
        return None
    if "html" in response.headers.get("content-type", "").lower():
        return None
    decoded: M | None = decode(response.content)
    return decoded


def _reason(where: str, exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"{where}.{exc.args[0]} is missing"
    return f"{where}: {exc}"


def _shape_error(
    data: dict[str, Any], exc: Exception, item_model: type[Decodable] | None, strict: bool
) -> str:
    """Say where `data` breaks its schema, once the generated decoder has refused it.

    The generated `from_dict` checks every field (required, typed) and names the field, but not
    which item of a page it was in; finding that again costs nothing on the success path.
    """
    content = data.get("content")
    if item_model is not None and isinstance(content, list):
        for index, item in enumerate(content):
            where = f"data.content[{index}]"
            if not isinstance(item, dict):
                return f"{where} is not an object"
            try:
                item_model.from_dict(item, strict)
            except _DECODE_ERRORS as item_exc:
                return _reason(where, item_exc)
    return _reason("data", exc)


def _envelope_body(response: httpx.Response) -> dict[str, Any] | CloudCXError:
    """The body of a successful envelope, or the typed error (returned: see `status_error`)."""
    status = response.status_code
    body = _json(response) if 200 <= status < 300 else None
    if isinstance(body, CloudCXError):
        return body
    if body is None:
        return status_error(response) or invalid_response(response, "the body is empty")
    if not isinstance(body, dict) or not isinstance(body.get("code"), str):
        return invalid_response(response, "the body is not a CloudCX envelope (no string `code`)")
    if body["code"] != SUCCESS_CODE:
        code, message = envelope_message(body)
        code = code and server_text(response, code)  # server text, like the message
        return APIError(
            server_text(response, message) if message else "the API reported an error",
            code=code,
            status_code=status,
            method=response.request.method,
            url=describe_url(response.request.url),
            request_id=request_id_from(response.headers),
        )
    return body


@overload
def decode_envelope(
    response: httpx.Response,
    model: type[M],
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
) -> M: ...
@overload
def decode_envelope(
    response: httpx.Response,
    model: None,
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
) -> None: ...
def decode_envelope(
    response: httpx.Response,
    model: type[M] | None,
    *,
    strict: bool = False,
    item_model: type[Decodable] | None = None,
) -> M | None:
    """Check a response's envelope and decode its `data` into `model` (None: data is null).

    Raises the typed error for an error status or an error envelope, and
    `InvalidResponseError` naming the field for a body that breaks the schema. By default the
    decoding is tolerant (a nullable field that is missing reads as null; extra fields are
    kept); `strict` requires every field the spec lists. `item_model` is a page's item model,
    used only to name the failing item.
    """
    decoded = _decoded(response, model, strict, item_model)
    if isinstance(decoded, CloudCXError):
        raise decoded  # here, where no local holds the body (see `status_error`)
    return decoded


def _decoded(
    response: httpx.Response,
    model: type[M] | None,
    strict: bool,
    item_model: type[Decodable] | None,
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
    noun = "page" if item_model is not None else "data"
    if model is None:
        if strict and data is not None:
            return invalid_response(response, "the data breaks the API's schema: data is not null")
        return None
    # The envelope's own generated decoder would swallow a broken page and keep the raw dict,
    # so the data is decoded directly: its generated `from_dict` checks each field (see
    # generator/templates/cloudcx_from_dict.jinja).
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
