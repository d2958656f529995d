from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.user_list import UserList
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    *,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    params["metadata_filter"] = metadata_filter

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | UserList | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.user_list import UserList
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = UserList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ValidationErrorList.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorDetail.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorDetail.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorDetail.from_dict(response.json())

        return response_502

    if response.status_code == 503:
        response_503 = ErrorDetail.from_dict(response.json())

        return response_503

    if response.status_code == 504:
        response_504 = ErrorDetail.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorDetail | UserList | ValidationErrorList]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
) -> Response[ErrorDetail | UserList | ValidationErrorList]:
    """List users

     Lists the project's users, newest first, one page at a time.

    Args:
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | UserList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
) -> ErrorDetail | UserList | ValidationErrorList | None:
    """List users

     Lists the project's users, newest first, one page at a time.

    Args:
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | UserList | ValidationErrorList
    """

    return sync_detailed(
        client=client,
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
) -> Response[ErrorDetail | UserList | ValidationErrorList]:
    """List users

     Lists the project's users, newest first, one page at a time.

    Args:
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | UserList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
) -> ErrorDetail | UserList | ValidationErrorList | None:
    """List users

     Lists the project's users, newest first, one page at a time.

    Args:
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | UserList | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            client=client,
            offset=offset,
            limit=limit,
            metadata_filter=metadata_filter,
        )
    ).parsed
