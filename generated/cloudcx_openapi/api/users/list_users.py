from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.user_page_envelope import UserPageEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    page_index: int | Unset = 1,
    page_size: int | Unset = 25,
    keywords: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["pageIndex"] = page_index

    params["pageSize"] = page_size

    params["keywords"] = keywords

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/openapi/v2/user/page",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | UserPageEnvelope | None:
    if response.status_code == 200:
        response_200 = UserPageEnvelope.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorEnvelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorEnvelope.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ErrorEnvelope.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorEnvelope.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorEnvelope.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | UserPageEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    page_index: int | Unset = 1,
    page_size: int | Unset = 25,
    keywords: str | Unset = UNSET,
) -> Response[ErrorEnvelope | UserPageEnvelope]:
    """List users, one page at a time

     Returns one page of the user directory, optionally filtered by `keywords`. Pages are
    requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
    example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
    success; any other code is an error whose `data` is `null`.

    Args:
        page_index (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 25.
        keywords (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UserPageEnvelope]
    """

    kwargs = _get_kwargs(
        page_index=page_index,
        page_size=page_size,
        keywords=keywords,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    page_index: int | Unset = 1,
    page_size: int | Unset = 25,
    keywords: str | Unset = UNSET,
) -> ErrorEnvelope | UserPageEnvelope | None:
    """List users, one page at a time

     Returns one page of the user directory, optionally filtered by `keywords`. Pages are
    requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
    example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
    success; any other code is an error whose `data` is `null`.

    Args:
        page_index (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 25.
        keywords (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UserPageEnvelope
    """

    return sync_detailed(
        client=client,
        page_index=page_index,
        page_size=page_size,
        keywords=keywords,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    page_index: int | Unset = 1,
    page_size: int | Unset = 25,
    keywords: str | Unset = UNSET,
) -> Response[ErrorEnvelope | UserPageEnvelope]:
    """List users, one page at a time

     Returns one page of the user directory, optionally filtered by `keywords`. Pages are
    requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
    example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
    success; any other code is an error whose `data` is `null`.

    Args:
        page_index (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 25.
        keywords (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | UserPageEnvelope]
    """

    kwargs = _get_kwargs(
        page_index=page_index,
        page_size=page_size,
        keywords=keywords,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    page_index: int | Unset = 1,
    page_size: int | Unset = 25,
    keywords: str | Unset = UNSET,
) -> ErrorEnvelope | UserPageEnvelope | None:
    """List users, one page at a time

     Returns one page of the user directory, optionally filtered by `keywords`. Pages are
    requested from 1 (`pageIndex`) but reported from 0 (`data.number`), as the vendor's
    example shows. The result is wrapped in the standard envelope: `code` `"0000"` means
    success; any other code is an error whose `data` is `null`.

    Args:
        page_index (int | Unset):  Default: 1.
        page_size (int | Unset):  Default: 25.
        keywords (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | UserPageEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            page_index=page_index,
            page_size=page_size,
            keywords=keywords,
        )
    ).parsed
