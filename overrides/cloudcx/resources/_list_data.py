"""Decoding an envelope whose `data` is a list of records (the operation table's `data_list`).

The exact body the spec describes is decoded in C by the generated fast path
(`cloudcx_openapi.fast_path.FAST_LIST_DECODERS`), when the item's model has a fast decoder;
every other body (and every body of a model without one) goes to the usual decoder, which
gives the same result or the typed error. There each item is decoded by its generated model's
`from_dict`, tolerant or strict as the client was built, exactly as a single record is; a
`data` that is not a list, an item that is not an object, or an item that breaks its schema is
an `InvalidResponseError` naming where (`data`, `data[2]`, `data[2].name`), never a
`TypeError` or a `KeyError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .._exceptions import CloudCXError
from .._response import (
    _DECODE_ERRORS,
    Decodable,
    _envelope_body,
    _reason,
    invalid_response,
    server_text,
)

__all__ = ["decode_list_envelope"]

M = TypeVar("M", bound=Decodable)

_BROKEN = "the data breaks the API's schema"
_fast_list_decoders: Mapping[type[Any], Callable[[bytes], Any]] | None = None


def _fast_decoded_list(response: httpx.Response, item_model: type[M]) -> list[M] | None:
    """The list decoded in C by the generated fast path, or None: decode the usual way."""
    global _fast_list_decoders
    if _fast_list_decoders is None:  # imported on the first list, with msgspec
        from cloudcx_openapi.fast_path import FAST_LIST_DECODERS

        _fast_list_decoders = FAST_LIST_DECODERS
    decode = _fast_list_decoders.get(item_model)
    if decode is None or not 200 <= response.status_code < 300:
        return None
    if "html" in response.headers.get("content-type", "").lower():
        return None
    decoded: list[M] | None = decode(response.content)
    return decoded


def decode_list_envelope(
    response: httpx.Response, item_model: type[M], *, strict: bool = False
) -> list[M]:
    """Check a response's envelope and decode its `data`, a list, item by item into `item_model`.

    Raises the typed error for an error status or an error envelope, and
    `InvalidResponseError` for a `data` that is not a list of objects of the item's schema.
    """
    decoded = _decoded_list(response, item_model, strict)
    if isinstance(decoded, CloudCXError):
        raise decoded  # here, where no local holds the body (see `_response.status_error`)
    return decoded


def _decoded_list(
    response: httpx.Response, item_model: type[M], strict: bool
) -> list[M] | CloudCXError:
    """The decoded items, or the typed error (returned: see `_response.status_error`)."""
    fast = _fast_decoded_list(response, item_model)
    if fast is not None:
        return fast
    body = _envelope_body(response)
    if isinstance(body, CloudCXError):
        return body
    data: Any = body.get("data")
    if not isinstance(data, list):
        return invalid_response(response, f"{_BROKEN}: data is not a list")
    items: list[M] = []
    for index, item in enumerate(data):
        where = f"data[{index}]"
        if not isinstance(item, dict):
            return invalid_response(response, f"{_BROKEN}: {where} is not an object")
        problem: str | None = None
        try:
            items.append(item_model.from_dict(item, strict))
        except _DECODE_ERRORS as exc:
            problem = server_text(response, _reason(where, exc))
        if problem is not None:
            # Returned outside the `except`: the decoder's error may quote a value of the body.
            return invalid_response(response, f"{_BROKEN}: {problem}")
    return items
