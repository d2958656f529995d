from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import quote

from ...types import RequestKwargs

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.merge_conflict import MergeConflict
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    conflict_id: str,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/merge-conflicts/{conflict_id}".format(
            user_id=quote(str(user_id), safe=""),
            conflict_id=quote(str(conflict_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | MergeConflict | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.merge_conflict import MergeConflict
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = MergeConflict.from_dict(response.json())

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
) -> Response[ErrorDetail | MergeConflict | ValidationErrorList]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    conflict_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | MergeConflict | ValidationErrorList]:
    """Get a merge conflict

     Returns one merge conflict (a client should also accept
    `{"conflict": MergeConflict}`; see *Wrapped answers* in the API description).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        conflict_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F,
            U+007F), not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | MergeConflict | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        conflict_id=conflict_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    conflict_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | MergeConflict | ValidationErrorList | None:
    """Get a merge conflict

     Returns one merge conflict (a client should also accept
    `{"conflict": MergeConflict}`; see *Wrapped answers* in the API description).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        conflict_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F,
            U+007F), not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | MergeConflict | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        conflict_id=conflict_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    conflict_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[ErrorDetail | MergeConflict | ValidationErrorList]:
    """Get a merge conflict

     Returns one merge conflict (a client should also accept
    `{"conflict": MergeConflict}`; see *Wrapped answers* in the API description).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        conflict_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F,
            U+007F), not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | MergeConflict | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        conflict_id=conflict_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    conflict_id: str,
    *,
    client: AuthenticatedClient | Client,
) -> ErrorDetail | MergeConflict | ValidationErrorList | None:
    """Get a merge conflict

     Returns one merge conflict (a client should also accept
    `{"conflict": MergeConflict}`; see *Wrapped answers* in the API description).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        conflict_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F,
            U+007F), not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | MergeConflict | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            conflict_id=conflict_id,
            client=client,
        )
    ).parsed
