from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...models.merge_conflict_sort_by import MergeConflictSortBy
from ...models.merge_conflict_status import MergeConflictStatus
from ...models.sort_order import SortOrder
from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.merge_conflict_list import MergeConflictList
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    *,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    status: MergeConflictStatus | Unset = UNSET,
    sort_by: MergeConflictSortBy | Unset = MergeConflictSortBy.CREATED_AT,
    sort_order: SortOrder | Unset = SortOrder.DESC,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    json_status: str | Unset = UNSET
    if not isinstance(status, Unset):
        json_status = status.value

    params["status"] = json_status

    json_sort_by: str | Unset = UNSET
    if not isinstance(sort_by, Unset):
        json_sort_by = sort_by.value

    params["sort_by"] = json_sort_by

    json_sort_order: str | Unset = UNSET
    if not isinstance(sort_order, Unset):
        json_sort_order = sort_order.value

    params["sort_order"] = json_sort_order

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/merge-conflicts".format(
            user_id=quote(str(user_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | MergeConflictList | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.merge_conflict_list import MergeConflictList
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = MergeConflictList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorDetail.from_dict(response.json())

        return response_404

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
) -> Response[ErrorDetail | MergeConflictList | ValidationErrorList]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    status: MergeConflictStatus | Unset = UNSET,
    sort_by: MergeConflictSortBy | Unset = MergeConflictSortBy.CREATED_AT,
    sort_order: SortOrder | Unset = SortOrder.DESC,
) -> Response[ErrorDetail | MergeConflictList | ValidationErrorList]:
    """List a user's merge conflicts

     Lists the user's merge conflicts, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        status (MergeConflictStatus | Unset): `PENDING` (awaiting answers), `IN_QUEUE` (queued for
            automatic resolution),
            `RESOLVING`, `RESOLVED`, `FAILED`. Upper case on the wire.
        sort_by (MergeConflictSortBy | Unset):  Default: MergeConflictSortBy.CREATED_AT.
        sort_order (SortOrder | Unset):  Default: SortOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | MergeConflictList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        status=status,
        sort_by=sort_by,
        sort_order=sort_order,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    status: MergeConflictStatus | Unset = UNSET,
    sort_by: MergeConflictSortBy | Unset = MergeConflictSortBy.CREATED_AT,
    sort_order: SortOrder | Unset = SortOrder.DESC,
) -> ErrorDetail | MergeConflictList | ValidationErrorList | None:
    """List a user's merge conflicts

     Lists the user's merge conflicts, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        status (MergeConflictStatus | Unset): `PENDING` (awaiting answers), `IN_QUEUE` (queued for
            automatic resolution),
            `RESOLVING`, `RESOLVED`, `FAILED`. Upper case on the wire.
        sort_by (MergeConflictSortBy | Unset):  Default: MergeConflictSortBy.CREATED_AT.
        sort_order (SortOrder | Unset):  Default: SortOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | MergeConflictList | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        offset=offset,
        limit=limit,
        status=status,
        sort_by=sort_by,
        sort_order=sort_order,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    status: MergeConflictStatus | Unset = UNSET,
    sort_by: MergeConflictSortBy | Unset = MergeConflictSortBy.CREATED_AT,
    sort_order: SortOrder | Unset = SortOrder.DESC,
) -> Response[ErrorDetail | MergeConflictList | ValidationErrorList]:
    """List a user's merge conflicts

     Lists the user's merge conflicts, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        status (MergeConflictStatus | Unset): `PENDING` (awaiting answers), `IN_QUEUE` (queued for
            automatic resolution),
            `RESOLVING`, `RESOLVED`, `FAILED`. Upper case on the wire.
        sort_by (MergeConflictSortBy | Unset):  Default: MergeConflictSortBy.CREATED_AT.
        sort_order (SortOrder | Unset):  Default: SortOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | MergeConflictList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        status=status,
        sort_by=sort_by,
        sort_order=sort_order,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    status: MergeConflictStatus | Unset = UNSET,
    sort_by: MergeConflictSortBy | Unset = MergeConflictSortBy.CREATED_AT,
    sort_order: SortOrder | Unset = SortOrder.DESC,
) -> ErrorDetail | MergeConflictList | ValidationErrorList | None:
    """List a user's merge conflicts

     Lists the user's merge conflicts, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        status (MergeConflictStatus | Unset): `PENDING` (awaiting answers), `IN_QUEUE` (queued for
            automatic resolution),
            `RESOLVING`, `RESOLVED`, `FAILED`. Upper case on the wire.
        sort_by (MergeConflictSortBy | Unset):  Default: MergeConflictSortBy.CREATED_AT.
        sort_order (SortOrder | Unset):  Default: SortOrder.DESC.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | MergeConflictList | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            offset=offset,
            limit=limit,
            status=status,
            sort_by=sort_by,
            sort_order=sort_order,
        )
    ).parsed
