"""What every generated resource method runs: check the arguments, send, read, decode.

The generated resource classes hand each call's `operationId` and arguments to a runner, which
finds the operation's record (`cloudcx_openapi.operations`) and models on the first call, then
checks each argument against the spec's constraints (`ConfigurationError` naming it, never
quoting a secret), builds the request (an optional query parameter given as None or "" is left
out; `format: password` values are recorded so that no error quoting the server shows them),
sends it streamed within one call deadline, reads the body capped, maps transport failures to
the client's errors, and decodes the envelope (strict when the client was built so).
Retries, and the rule that a POST is not resent once it may have reached the server, live in
the transport.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Coroutine, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import quote
from uuid import UUID

import httpx

from .._config import resolve_timeout
from .._deadline import aread_capped, call_scope, read_capped
from .._exceptions import CloudCXError, ConfigurationError
from .._response import (
    ARGUMENT_SECRETS_EXTENSION,
    decode_envelope,
    decode_list_envelope,
    describe_path,
    load_fast_path,
    translate_body_error,
    translate_transport_error,
)
from .._secrets import Secret

if TYPE_CHECKING:
    from cloudcx_openapi.operations import Operation, Parameter

    from .._pagination import AsyncWalk, Page
    from .._response import Decodable

__all__ = ["AsyncRunner", "RawResponse", "SyncRunner", "Timeout", "check_argument"]

Timeout = float | httpx.Timeout | None
"""A call's `timeout=`: seconds, an `httpx.Timeout`, or None for the client's own."""

R_co = TypeVar("R_co", covariant=True)
Result = TypeVar("Result")
HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
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
        return f"<RawResponse [{self.status_code}] {request.method} {describe_path(request.url)}>"


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


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# A JSON type's Python check and its name in messages (integers and strings have their own).
_TYPE_CHECKS: dict[str, tuple[Callable[[object], bool], str]] = {
    "number": (lambda value: _is_int(value) or isinstance(value, float), "a number"),
    "boolean": (lambda value: isinstance(value, bool), "True or False"),
    "array": (lambda value: isinstance(value, list | tuple), "a list"),
    "object": (lambda value: isinstance(value, Mapping), "a mapping"),
}


def _check_type(parameter: Parameter, value: object) -> None:
    name, kind = parameter.python_name, parameter.json_type
    if kind == "integer" and not _is_int(value):
        minimum = parameter.minimum
        at_least = f" >= {_number_text(minimum)}" if minimum is not None else ""
        raise ConfigurationError(f"{name} must be an integer{at_least}{_got(parameter, value)}")
    if kind == "string" and not (parameter.format == "uuid" and isinstance(value, UUID)):
        if not isinstance(value, str):
            raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            # Not chained: the encoding error holds the whole string, which may be a secret.
            raise ConfigurationError(f"{name} must be encodable as UTF-8") from None
    check = _TYPE_CHECKS.get(kind)
    if check is not None and not check[0](value):
        raise ConfigurationError(f"{name} must be {check[1]}, got {type(value).__name__}")


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


def _plain_fit(parameter: Parameter) -> Callable[[object], bool] | None:
    """A quick test that passes only values `check_argument` accepts and sends as they are.

    An `int` within the parameter's bounds, or a non-empty ASCII `str` within its lengths: the
    usual arguments, which then skip the full check and `_wire_value`. Whatever it does not pass
    (None, "", a bool, a UUID, a list, text to encode, an enum) takes the full check. None: the
    parameter has no quick test.
    """
    if parameter.enum is not None:
        return None
    if parameter.json_type == "integer":
        low, high = _FORMAT_RANGES.get(parameter.format or "", (-math.inf, math.inf))
        if parameter.minimum is not None:
            low = max(low, parameter.minimum)
        if parameter.maximum is not None:
            high = min(high, parameter.maximum)
        return lambda value: type(value) is int and low <= value <= high
    if parameter.json_type == "string":
        shortest = max(1, parameter.min_length or 0)
        longest = math.inf if parameter.max_length is None else parameter.max_length
        return lambda value: (
            type(value) is str and value.isascii() and shortest <= len(value) <= longest
        )
    return None


if TYPE_CHECKING:
    # Each parameter of one location, with its quick test.
    _Checks = tuple[tuple[Parameter, Callable[[object], bool] | None], ...]


def _checked(
    checks: _Checks, arguments: Mapping[str, object]
) -> Iterator[tuple[Parameter, object]]:
    """Each parameter with its argument (None when not given), checked against the spec."""
    for parameter, fits in checks:
        value = arguments.get(parameter.python_name)
        if fits is None or not fits(value):
            check_argument(parameter, value)
        yield parameter, value


def _model(name: str | None) -> type[Decodable] | None:
    return getattr(importlib.import_module("cloudcx_openapi.models"), name) if name else None


class _Plan:
    """An operation prepared on its first call: its record, its models, where each argument goes."""

    __slots__ = (
        "fixed_path",
        "item_model",
        "model",
        "operation",
        "page_index",
        "parameters",
        "secret_names",
    )

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        self.model = _model(operation.data_model)
        self.item_model = _model(operation.item_model)
        self.parameters: dict[str, _Checks] = {
            where: tuple((p, _plain_fit(p)) for p in operation.parameters if p.location == where)
            for where in ("path", "query", "body")
        }
        self.page_index = next(
            (p.python_name for p in operation.parameters if p.name == "pageIndex"), None
        )
        self.secret_names = tuple(p.python_name for p in operation.parameters if p.secret)
        # Without path parameters every request of the operation has the same path.
        self.fixed_path = not self.parameters["path"]

    def request(self, arguments: Mapping[str, object], timeout: Timeout) -> dict[str, Any]:
        """Check `arguments` (by Python name) and build `httpx.Client.build_request`'s kwargs."""
        path = self.operation.path
        for parameter, value in _checked(self.parameters["path"], arguments):
            text = str(_wire_value(value, in_query=True))
            path = path.replace("{" + parameter.name + "}", quote(text, safe=""))
        params: dict[str, Any] = {}
        for parameter, fits in self.parameters["query"]:
            value = arguments.get(parameter.python_name)
            if fits is not None and fits(value):
                params[parameter.name] = value
                continue
            check_argument(parameter, value)
            if value is None or (value == "" and not parameter.required):
                continue  # absent: the server's default applies
            params[parameter.name] = _wire_value(value, in_query=True)
        method = self.operation.http_method
        kwargs: dict[str, Any] = {"method": method, "url": path, "params": params}
        if self.parameters["body"]:
            kwargs["json"] = {
                parameter.name: _wire_value(value)
                for parameter, value in _checked(self.parameters["body"], arguments)
                if value is not None
            }
        if timeout is not None:
            kwargs["timeout"] = resolve_timeout(timeout)
        if self.secret_names:
            secrets = tuple(
                Secret(str(value))
                for name in self.secret_names
                if (value := arguments.get(name)) is not None
            )
            kwargs["extensions"] = {ARGUMENT_SECRETS_EXTENSION: secrets}
        return kwargs

    def page(self, arguments: Mapping[str, object], index: int) -> dict[str, object]:
        """The arguments of page `index` of a walk."""
        if self.page_index is None:
            raise ConfigurationError(f"{self.operation.operation_id} is not a paged operation")
        return {**arguments, self.page_index: index}


_PLANS: dict[str, _Plan] = {}


def _plan(operation_id: str) -> _Plan:
    plan = _PLANS.get(operation_id)
    if plan is None:
        from cloudcx_openapi.operations import BY_ID

        plan = _PLANS[operation_id] = _Plan(BY_ID[operation_id])
    return plan


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
    response.stream = _DRAINED


# Every read response's stream: it holds no state, so one serves them all.
_DRAINED = httpx.ByteStream(b"")


class _Runner(Generic[HttpT]):
    def __init__(self, http: HttpT, *, strict: bool = False) -> None:
        self._http: HttpT = http
        self.strict = strict
        # By fixed path: the client's base URL and the two joined, as httpx joins them.
        self._absolute_urls: dict[str, tuple[httpx.URL, httpx.URL]] = {}
        load_fast_path()  # now, not in the first calls of many threads at once

    def _build_request(self, plan: _Plan, kwargs: dict[str, Any]) -> httpx.Request:
        """The request `plan.request` described, built by the httpx client.

        httpx parses a relative URL and then the URL it joins to its base URL on every request
        (about a tenth of a 25-user call's CPU); an absolute URL it takes as it is. So the
        joined URL of a fixed path is kept, computed by httpx itself, and renewed if the
        client's base URL is ever replaced.
        """
        if plan.fixed_path:
            path: str = kwargs["url"]
            base = self._http.base_url
            known = self._absolute_urls.get(path)
            if known is None or known[0] is not base:
                known = self._absolute_urls[path] = (base, self._http._merge_url(path))
            kwargs["url"] = known[1]
        return self._http.build_request(**kwargs)

    def _decode(self, plan: _Plan, response: httpx.Response) -> Any:
        nullable = plan.operation.data_nullable
        if plan.operation.data_list and plan.model is not None:
            return decode_list_envelope(response, plan.model, strict=self.strict, nullable=nullable)
        return decode_envelope(
            response, plan.model, strict=self.strict, item_model=plan.item_model, nullable=nullable
        )

    def _raw(self, plan: _Plan, response: httpx.Response) -> RawResponse[Any]:
        return RawResponse(response, lambda: self._decode(plan, response))

    @staticmethod
    def _walk(operation_id: str, arguments: Mapping[str, object], timeout: Timeout) -> _Plan:
        """The plan of a walk, its arguments checked at once (pages are fetched lazily)."""
        plan = _plan(operation_id)
        plan.request(plan.page(arguments, 1), timeout)
        return plan


class SyncRunner(_Runner[httpx.Client]):
    """Runs the operations of the synchronous client's resources over its `httpx.Client`."""

    def _send(
        self, plan: _Plan, arguments: Mapping[str, object], timeout: Timeout
    ) -> httpx.Response:
        kwargs = plan.request(arguments, timeout)
        request: httpx.Request | None = None
        # One deadline for the token request, this request, its resend after a 401 and the body.
        with call_scope(self._http):
            try:
                request = self._build_request(plan, kwargs)
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

    def call(self, operation_id: str, arguments: Mapping[str, object], timeout: Timeout) -> Any:
        """Run the operation and return its `data`, decoded (None when the spec says null)."""
        plan = _plan(operation_id)
        return self._decode(plan, self._send(plan, arguments, timeout))

    def raw(
        self, operation_id: str, arguments: Mapping[str, object], timeout: Timeout
    ) -> RawResponse[Any]:
        """Run the operation and return the raw response; its `parse()` decodes as `call`."""
        plan = _plan(operation_id)
        return self._raw(plan, self._send(plan, arguments, timeout))

    def pages(
        self, operation_id: str, arguments: Mapping[str, object], timeout: Timeout
    ) -> Iterator[Any]:
        """Walk every page of a paged operation (arguments checked now, pages fetched lazily)."""
        from .._pagination import sync_pages

        plan = self._walk(operation_id, arguments, timeout)
        return sync_pages(lambda page: self.call(operation_id, plan.page(arguments, page), timeout))

    @staticmethod
    def items(pages: Iterator[Page[Item]]) -> Iterator[Item]:
        """Every item of every page, in order."""
        from .._pagination import sync_items

        return sync_items(pages)


class AsyncRunner(_Runner[httpx.AsyncClient]):
    """Runs the operations of the asynchronous client's resources over its `httpx.AsyncClient`.

    `call` and `raw` hand back the coroutine of `_run` rather than awaiting it in one of their
    own: a frame fewer to resume each time the connection waits.
    """

    async def _run(
        self,
        plan: _Plan,
        arguments: Mapping[str, object],
        timeout: Timeout,
        finish: Callable[[_Plan, httpx.Response], Result],
    ) -> Result:
        """Send the request, read its body, and return `finish(plan, response)`."""
        kwargs = plan.request(arguments, timeout)
        request: httpx.Request | None = None
        # One deadline for the token request, this request, its resend after a 401 and the body.
        with call_scope(self._http):
            try:
                request = self._build_request(plan, kwargs)
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
        return finish(plan, response)

    def call(
        self, operation_id: str, arguments: Mapping[str, object], timeout: Timeout
    ) -> Coroutine[Any, Any, Any]:
        """Run the operation and return its `data`, decoded (None when the spec says null)."""
        return self._run(_plan(operation_id), arguments, timeout, self._decode)

    def raw(
        self, operation_id: str, arguments: Mapping[str, object], timeout: Timeout
    ) -> Coroutine[Any, Any, RawResponse[Any]]:
        """Run the operation and return the raw response; its `parse()` decodes as `call`."""
        return self._run(_plan(operation_id), arguments, timeout, self._raw)

    def pages(
        self,
        operation_id: str,
        arguments: Mapping[str, object],
        timeout: Timeout,
        concurrency: int,
    ) -> AsyncWalk[Any]:
        """Walk every page, up to `concurrency` in flight after the first (`async for`)."""
        from .._pagination import AsyncWalk, async_pages

        plan = self._walk(operation_id, arguments, timeout)
        _positive_int("concurrency", concurrency)

        async def fetch(index: int) -> Any:
            return await self.call(operation_id, plan.page(arguments, index), timeout)

        return AsyncWalk(async_pages(fetch, concurrency))

    @staticmethod
    def items(pages: AsyncWalk[Page[Item]]) -> AsyncWalk[Item]:
        """Every item of every page, in order (`async for`)."""
        from .._pagination import AsyncWalk, async_items

        return AsyncWalk(async_items(pages))
