"""What every generated resource method runs: check the arguments, send, read, decode.

The resource classes (`cloudcx_openapi.resources`, generated from the spec by `make generate`)
hold no logic of their own: each method hands its operation (a record of
`cloudcx_openapi.operations`), its arguments and its data model to a runner. The runner:

* checks each argument against the spec's constraints (type, enum, minimum/maximum, length)
  and raises `ConfigurationError` naming the argument, never quoting a secret's value;
* builds the request: path parameters quoted into the path, query parameters (an optional one
  given as None, or as an empty string, is left out), the JSON body from the body properties
  (None left out), and the call's `timeout`; the values of `format: password` arguments are
  recorded (`ARGUMENT_SECRETS_EXTENSION`) so that no error quoting the server shows them;
* sends it streamed (so that a body that breaks off is told apart from a lost request), reads
  it, closes it and releases its stream, mapping transport failures to the client's errors;
* checks the envelope and decodes `data` (`cloudcx._response.decode_envelope`), tolerant by
  default, strict when the client was built with `strict=True`.

Retries and their rule by HTTP method live in the transport (`cloudcx._retry`): a POST is not
resent once it may have reached the server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx

from cloudcx_openapi.operations import Operation, Parameter

from .._config import resolve_timeout
from .._deadline import aread_capped, call_scope, read_capped
from .._exceptions import CloudCXError, ConfigurationError
from .._pagination import AsyncWalk, Page, async_items, async_pages, sync_items, sync_pages
from .._response import ARGUMENT_SECRETS_EXTENSION, Decodable, decode_envelope, load_fast_path
from .._secrets import Secret
from .._transport_errors import translate_body_error, translate_transport_error

__all__ = ["AsyncRunner", "RawResponse", "SyncRunner", "Timeout"]

Timeout = float | httpx.Timeout | None
"""A call's `timeout=`: seconds, an `httpx.Timeout`, or None for the client's own."""

PAGE_INDEX = "pageIndex"


class DecodablePage(Decodable, Page[Any], Protocol):
    """A generated page model: decodable, with `content` and `total_pages`."""


M = TypeVar("M", bound=Decodable)
R_co = TypeVar("R_co", covariant=True)
PageT = TypeVar("PageT", bound=DecodablePage)
Item = TypeVar("Item")


class RawResponse(Generic[R_co]):
    """The HTTP response of a call, read in full, and the typed result on demand.

    `cx.<resource>.with_raw_response.<method>(...)` returns one instead of the result: the
    status, headers and body are those of the answer, whatever it is; `parse()` returns what the
    plain method returns, or raises the same typed errors.

    Attributes:
        http_response: The `httpx.Response` (its body already read).
    """

    def __init__(self, http_response: httpx.Response, parse: Callable[[], R_co]) -> None:
        self.http_response = http_response
        self._parse = parse

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    @property
    def content(self) -> bytes:
        """The body, as bytes."""
        return self.http_response.content

    @property
    def text(self) -> str:
        """The body, decoded as text."""
        return self.http_response.text

    def parse(self) -> R_co:
        """The typed result, as the plain method returns it (or its typed error)."""
        return self._parse()

    def __repr__(self) -> str:
        request = self.http_response.request
        return f"<RawResponse [{self.status_code}] {request.method} {request.url.path}>"


# --- arguments -----------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _shown(value: object) -> str:
    """`, got <value>` for a message, cut short; nothing for an int too long to print."""
    try:
        shown = repr(value)
    except ValueError:  # an int too long to print
        return ""
    return f", got {shown[:80]}"


def _got(parameter: Parameter, value: object) -> str:
    """`, got <value>` for a message, or nothing for a secret (its value is never shown)."""
    return "" if parameter.secret else _shown(value)


def _got_type(value: object) -> str:
    return f", got {type(value).__name__}"


def _check_type(parameter: Parameter, value: object) -> None:
    name = parameter.python_name
    kind = parameter.json_type
    if kind == "integer":
        if not _is_int(value):
            at_least = (
                f" >= {_number_text(parameter.minimum)}" if parameter.minimum is not None else ""
            )
            raise ConfigurationError(f"{name} must be an integer{at_least}{_got(parameter, value)}")
    elif kind == "number":
        if not (_is_int(value) or isinstance(value, float)):
            raise ConfigurationError(f"{name} must be a number{_got_type(value)}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise ConfigurationError(f"{name} must be True or False{_got_type(value)}")
    elif kind == "string":
        if parameter.format == "uuid" and isinstance(value, UUID):
            return
        if not isinstance(value, str):
            raise ConfigurationError(f"{name} must be a string{_got_type(value)}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Not chained: the encoding error holds the whole string, which may be a secret.
            raise ConfigurationError(f"{name} must be encodable as UTF-8") from None
    elif kind == "array":
        if not isinstance(value, list | tuple):
            raise ConfigurationError(f"{name} must be a list{_got_type(value)}")
    elif kind == "object" and not isinstance(value, Mapping):
        raise ConfigurationError(f"{name} must be a mapping{_got_type(value)}")


# The ranges of the spec's integer formats: beyond them the server cannot take the value (and
# no huge int reaches `str()`, which refuses past 4,300 digits).
_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


def _check_bounds(parameter: Parameter, value: object) -> None:
    name = parameter.python_name
    if isinstance(value, int) and parameter.format in _FORMAT_RANGES:
        low, high = _FORMAT_RANGES[parameter.format]
        if not low <= value <= high:  # (a bool, also an int, is always in range)
            raise ConfigurationError(f"{name} must fit in {parameter.format} ({low} to {high})")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if parameter.minimum is not None and value < parameter.minimum:
            minimum = _number_text(parameter.minimum)
            kind = "an integer " if parameter.json_type == "integer" else ""
            raise ConfigurationError(f"{name} must be {kind}>= {minimum}{_got(parameter, value)}")
        if parameter.maximum is not None and value > parameter.maximum:
            maximum = _number_text(parameter.maximum)
            raise ConfigurationError(f"{name} must be at most {maximum}{_got(parameter, value)}")
    if isinstance(value, str | list | tuple):
        size = len(value)
        unit = "characters" if isinstance(value, str) else "items"
        if parameter.max_length is not None and size > parameter.max_length:
            raise ConfigurationError(
                f"{name} must be at most {parameter.max_length} {unit} long, got {size}"
            )
        if parameter.min_length is not None and size < parameter.min_length:
            raise ConfigurationError(
                f"{name} must be at least {parameter.min_length} {unit} long, got {size}"
            )
    if parameter.enum is not None and value not in parameter.enum:
        allowed = ", ".join(repr(choice) for choice in parameter.enum)
        raise ConfigurationError(f"{name} must be one of {allowed}{_got(parameter, value)}")


def check_argument(parameter: Parameter, value: object) -> None:
    """Raise `ConfigurationError` (naming the argument) unless `value` fits the spec."""
    if value is None:
        if parameter.required and not parameter.nullable:
            raise ConfigurationError(f"{parameter.python_name} is required")
        return
    _check_type(parameter, value)
    _check_bounds(parameter, value)


def _wire_value(value: object, *, in_query: bool = False) -> object:
    """A checked argument as it travels: a UUID as its text; in a query, a boolean as JSON."""
    if isinstance(value, UUID):
        return str(value)
    if in_query and isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return [_wire_value(item, in_query=in_query) for item in value]
    return value


class _Plan:
    """An operation's request, prepared once: which argument goes where.

    A plain class, not a dataclass: building one at import costs more than it saves here.
    """

    __slots__ = (
        "body_parameters",
        "method",
        "page_index",
        "path",
        "path_parameters",
        "query_parameters",
        "secret_parameters",
    )

    def __init__(self, operation: Operation) -> None:
        def located(location: str) -> tuple[Parameter, ...]:
            return tuple(p for p in operation.parameters if p.location == location)

        self.method = operation.http_method
        self.path = operation.path
        self.path_parameters = located("path")
        self.query_parameters = located("query")
        self.body_parameters = located("body")
        self.page_index = next(
            (p.python_name for p in operation.parameters if p.name == PAGE_INDEX), None
        )
        self.secret_parameters = tuple(p.python_name for p in operation.parameters if p.secret)

    def request(self, arguments: Mapping[str, object], timeout: Timeout) -> dict[str, Any]:
        """Check `arguments` (by Python name) and build `httpx.Client.build_request`'s kwargs."""
        path = self.path
        for parameter in self.path_parameters:
            value = arguments.get(parameter.python_name)
            check_argument(parameter, value)
            text = str(_wire_value(value, in_query=True))
            path = path.replace("{" + parameter.name + "}", quote(text, safe=""))
        params: dict[str, Any] = {}
        for parameter in self.query_parameters:
            value = arguments.get(parameter.python_name)
            check_argument(parameter, value)
            if value is None or (value == "" and not parameter.required):
                continue  # absent: the server's default applies
            params[parameter.name] = _wire_value(value, in_query=True)
        kwargs: dict[str, Any] = {"method": self.method, "url": path, "params": params}
        if self.body_parameters:
            body: dict[str, Any] = {}
            for parameter in self.body_parameters:
                value = arguments.get(parameter.python_name)
                check_argument(parameter, value)
                if value is not None:
                    body[parameter.name] = _wire_value(value)
            kwargs["json"] = body
        if timeout is not None:
            kwargs["timeout"] = resolve_timeout(timeout)
        if self.secret_parameters:
            secrets = tuple(
                Secret(str(value))
                for name in self.secret_parameters
                if (value := arguments.get(name)) is not None
            )
            kwargs["extensions"] = {ARGUMENT_SECRETS_EXTENSION: secrets}
        return kwargs


_PLANS: dict[int, tuple[Operation, _Plan]] = {}


def _plan(operation: Operation) -> _Plan:
    # Keyed by identity: the table's records live as long as the process.
    known = _PLANS.get(id(operation))
    if known is None or known[0] is not operation:
        known = (operation, _Plan(operation))
        _PLANS[id(operation)] = known
    return known[1]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be an integer >= 1{_shown(value)}")
    return value


def _release_stream(response: httpx.Response) -> None:
    """Drop the closed body stream of a response whose body has been read (or has failed).

    httpx (0.28) wraps each body in a stream that points back at its response, to set
    `elapsed` on close; the cycle keeps every response and its body alive until the garbage
    collector runs, so a long walk piles up pages it no longer holds (encode/httpx#3733). Once
    the stream is closed nothing reads it again, and `response.content` keeps the body.
    """
    response.stream = httpx.ByteStream(b"")


def _page_arguments(
    operation: Operation, arguments: Mapping[str, object], index: int
) -> dict[str, object]:
    """The arguments of page `index` of a walk."""
    name = _plan(operation).page_index
    if name is None:
        raise ConfigurationError(f"{operation.operation_id} is not a paged operation")
    return {**arguments, name: index}


# --- runners -------------------------------------------------------------------------------


class _Runner:
    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        load_fast_path()  # now, not in the first calls of many threads at once

    def _raw_response(
        self,
        response: httpx.Response,
        model: type[M] | None,
        item_model: type[Decodable] | None,
    ) -> RawResponse[Any]:
        strict = self.strict

        def parse() -> M | None:
            return decode_envelope(response, model, strict=strict, item_model=item_model)

        return RawResponse(response, parse)


class SyncRunner(_Runner):
    """Runs the operations of the synchronous client's resources over its `httpx.Client`."""

    def __init__(self, http: httpx.Client, *, strict: bool = False) -> None:
        super().__init__(strict=strict)
        self._http = http

    def send(
        self, operation: Operation, arguments: Mapping[str, object], timeout: Timeout
    ) -> httpx.Response:
        """Check the arguments, send the request and return the response, read and closed."""
        kwargs = _plan(operation).request(arguments, timeout)
        request: httpx.Request | None = None
        # One call deadline for the token request, this request, its resend after a 401 and the
        # body; the body read is capped at the client's `max_response_bytes` (decoded).
        with call_scope(self._http):
            try:
                request = self._http.build_request(**kwargs)
                response = self._http.send(request, stream=True)
            except CloudCXError:
                raise
            except httpx.HTTPError as exc:
                raise translate_transport_error(exc, request) from exc
            try:
                read_capped(response)
            except httpx.HTTPError as exc:
                raise translate_body_error(exc, response) from exc
            finally:
                response.close()
                _release_stream(response)
        return response

    def call(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[M],
        timeout: Timeout,
        item_model: type[Decodable] | None = None,
    ) -> M:
        """Run `operation` and return its `data`, decoded into `model`."""
        response = self.send(operation, arguments, timeout)
        return decode_envelope(response, model, strict=self.strict, item_model=item_model)

    def call_empty(
        self, operation: Operation, arguments: Mapping[str, object], timeout: Timeout
    ) -> None:
        """Run `operation`, whose `data` the spec says is always null."""
        response = self.send(operation, arguments, timeout)
        decode_envelope(response, None, strict=self.strict)

    def raw(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[M] | None,
        timeout: Timeout,
        item_model: type[Decodable] | None = None,
    ) -> RawResponse[Any]:
        """Run `operation` and return the raw response; its `parse()` decodes as `call`."""
        response = self.send(operation, arguments, timeout)
        return self._raw_response(response, model, item_model)

    def pages(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[PageT],
        timeout: Timeout,
        item_model: type[Decodable],
    ) -> Iterator[PageT]:
        """Walk every page of a paged operation (arguments checked now, pages fetched lazily)."""
        _plan(operation).request(_page_arguments(operation, arguments, 1), timeout)

        def fetch(index: int) -> PageT:
            walk = _page_arguments(operation, arguments, index)
            return self.call(operation, walk, model, timeout, item_model)

        return sync_pages(fetch)

    @staticmethod
    def items(pages: Iterator[Page[Item]]) -> Iterator[Item]:
        """Every item of every page, in order."""
        return sync_items(pages)


class AsyncRunner(_Runner):
    """Runs the operations of the asynchronous client's resources over its `httpx.AsyncClient`."""

    def __init__(self, http: httpx.AsyncClient, *, strict: bool = False) -> None:
        super().__init__(strict=strict)
        self._http = http

    async def send(
        self, operation: Operation, arguments: Mapping[str, object], timeout: Timeout
    ) -> httpx.Response:
        """Check the arguments, send the request and return the response, read and closed."""
        kwargs = _plan(operation).request(arguments, timeout)
        request: httpx.Request | None = None
        # One call deadline for the token request, this request, its resend after a 401 and the
        # body; the body read is capped at the client's `max_response_bytes` (decoded).
        with call_scope(self._http):
            try:
                request = self._http.build_request(**kwargs)
                response = await self._http.send(request, stream=True)
            except CloudCXError:
                raise
            except httpx.HTTPError as exc:
                raise translate_transport_error(exc, request) from exc
            try:
                await aread_capped(response)
            except httpx.HTTPError as exc:
                raise translate_body_error(exc, response) from exc
            finally:
                await response.aclose()
                _release_stream(response)
        return response

    async def call(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[M],
        timeout: Timeout,
        item_model: type[Decodable] | None = None,
    ) -> M:
        """Run `operation` and return its `data`, decoded into `model`."""
        response = await self.send(operation, arguments, timeout)
        return decode_envelope(response, model, strict=self.strict, item_model=item_model)

    async def call_empty(
        self, operation: Operation, arguments: Mapping[str, object], timeout: Timeout
    ) -> None:
        """Run `operation`, whose `data` the spec says is always null."""
        response = await self.send(operation, arguments, timeout)
        decode_envelope(response, None, strict=self.strict)

    async def raw(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[M] | None,
        timeout: Timeout,
        item_model: type[Decodable] | None = None,
    ) -> RawResponse[Any]:
        """Run `operation` and return the raw response; its `parse()` decodes as `call`."""
        response = await self.send(operation, arguments, timeout)
        return self._raw_response(response, model, item_model)

    def pages(
        self,
        operation: Operation,
        arguments: Mapping[str, object],
        model: type[PageT],
        timeout: Timeout,
        item_model: type[Decodable],
        concurrency: int,
    ) -> AsyncWalk[PageT]:
        """Walk every page, up to `concurrency` in flight after the first (`async for`)."""
        _plan(operation).request(_page_arguments(operation, arguments, 1), timeout)
        _positive_int("concurrency", concurrency)

        async def fetch(index: int) -> PageT:
            walk = _page_arguments(operation, arguments, index)
            return await self.call(operation, walk, model, timeout, item_model)

        return AsyncWalk(async_pages(fetch, concurrency))

    @staticmethod
    def items(pages: AsyncWalk[Page[Item]]) -> AsyncWalk[Item]:
        """Every item of every page, in order (`async for`)."""
        return AsyncWalk(async_items(pages))
