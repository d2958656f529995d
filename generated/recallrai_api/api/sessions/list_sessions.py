from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...models.session_status import SessionStatus
from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.session_list import SessionList
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    *,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
    user_metadata_filter: str | Unset = UNSET,
    status_filter: list[SessionStatus] | Unset = UNSET,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    params["metadata_filter"] = metadata_filter

    params["user_metadata_filter"] = user_metadata_filter

    json_status_filter: list[str] | Unset = UNSET
    if not isinstance(status_filter, Unset):
        json_status_filter = []
        for status_filter_item_data in status_filter:
            status_filter_item = status_filter_item_data.value
            json_status_filter.append(status_filter_item)

    params["status_filter"] = json_status_filter

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/sessions".format(
            user_id=quote(str(user_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | SessionList | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.session_list import SessionList
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = SessionList.from_dict(response.json())

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
) -> Response[ErrorDetail | SessionList | ValidationErrorList]:
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
    metadata_filter: str | Unset = UNSET,
    user_metadata_filter: str | Unset = UNSET,
    status_filter: list[SessionStatus] | Unset = UNSET,
) -> Response[ErrorDetail | SessionList | ValidationErrorList]:
    """List a user's sessions

     Lists the user's sessions, newest first, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        user_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        status_filter (list[SessionStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | SessionList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
        user_metadata_filter=user_metadata_filter,
        status_filter=status_filter,
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
    metadata_filter: str | Unset = UNSET,
    user_metadata_filter: str | Unset = UNSET,
    status_filter: list[SessionStatus] | Unset = UNSET,
) -> ErrorDetail | SessionList | ValidationErrorList | None:
    """List a user's sessions

     Lists the user's sessions, newest first, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        user_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        status_filter (list[SessionStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | SessionList | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
        user_metadata_filter=user_metadata_filter,
        status_filter=status_filter,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
    user_metadata_filter: str | Unset = UNSET,
    status_filter: list[SessionStatus] | Unset = UNSET,
) -> Response[ErrorDetail | SessionList | ValidationErrorList]:
    """List a user's sessions

     Lists the user's sessions, newest first, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        user_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        status_filter (list[SessionStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | SessionList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        metadata_filter=metadata_filter,
        user_metadata_filter=user_metadata_filter,
        status_filter=status_filter,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 10,
    metadata_filter: str | Unset = UNSET,
    user_metadata_filter: str | Unset = UNSET,
    status_filter: list[SessionStatus] | Unset = UNSET,
) -> ErrorDetail | SessionList | ValidationErrorList | None:
    """List a user's sessions

     Lists the user's sessions, newest first, one page at a time.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 10.
        metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query value.
            At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        user_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        status_filter (list[SessionStatus] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | SessionList | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            offset=offset,
            limit=limit,
            metadata_filter=metadata_filter,
            user_metadata_filter=user_metadata_filter,
            status_filter=status_filter,
        )
    ).parsed
