from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.invalid_categories_error import InvalidCategoriesError
    from ...models.memory_list import MemoryList
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    *,
    offset: int | Unset = 0,
    limit: int | Unset = 20,
    categories: list[str] | Unset = UNSET,
    session_id_filter: list[str] | Unset = UNSET,
    session_metadata_filter: str | Unset = UNSET,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["offset"] = offset

    params["limit"] = limit

    json_categories: list[str] | Unset = UNSET
    if not isinstance(categories, Unset):
        json_categories = categories

    params["categories"] = json_categories

    json_session_id_filter: list[str] | Unset = UNSET
    if not isinstance(session_id_filter, Unset):
        json_session_id_filter = session_id_filter

    params["session_id_filter"] = json_session_id_filter

    params["session_metadata_filter"] = session_metadata_filter

    params["include_previous_versions"] = include_previous_versions

    params["include_connected_memories"] = include_connected_memories

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/memories".format(
            user_id=quote(str(user_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.invalid_categories_error import InvalidCategoriesError
    from ...models.memory_list import MemoryList
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = MemoryList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = InvalidCategoriesError.from_dict(response.json())

        return response_400

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
) -> Response[ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList]:
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
    limit: int | Unset = 20,
    categories: list[str] | Unset = UNSET,
    session_id_filter: list[str] | Unset = UNSET,
    session_metadata_filter: str | Unset = UNSET,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> Response[ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList]:
    """List a user's memories

     Lists the user's current memories (latest versions), one page at a time. A category
    the project does not know gives `400` with `detail.invalid_categories`.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 20.
        categories (list[str] | Unset):
        session_id_filter (list[str] | Unset):
        session_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        categories=categories,
        session_id_filter=session_id_filter,
        session_metadata_filter=session_metadata_filter,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
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
    limit: int | Unset = 20,
    categories: list[str] | Unset = UNSET,
    session_id_filter: list[str] | Unset = UNSET,
    session_metadata_filter: str | Unset = UNSET,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList | None:
    """List a user's memories

     Lists the user's current memories (latest versions), one page at a time. A category
    the project does not know gives `400` with `detail.invalid_categories`.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 20.
        categories (list[str] | Unset):
        session_id_filter (list[str] | Unset):
        session_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        client=client,
        offset=offset,
        limit=limit,
        categories=categories,
        session_id_filter=session_id_filter,
        session_metadata_filter=session_metadata_filter,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 20,
    categories: list[str] | Unset = UNSET,
    session_id_filter: list[str] | Unset = UNSET,
    session_metadata_filter: str | Unset = UNSET,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> Response[ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList]:
    """List a user's memories

     Lists the user's current memories (latest versions), one page at a time. A category
    the project does not know gives `400` with `detail.invalid_categories`.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 20.
        categories (list[str] | Unset):
        session_id_filter (list[str] | Unset):
        session_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        offset=offset,
        limit=limit,
        categories=categories,
        session_id_filter=session_id_filter,
        session_metadata_filter=session_metadata_filter,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    *,
    client: AuthenticatedClient | Client,
    offset: int | Unset = 0,
    limit: int | Unset = 20,
    categories: list[str] | Unset = UNSET,
    session_id_filter: list[str] | Unset = UNSET,
    session_metadata_filter: str | Unset = UNSET,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList | None:
    """List a user's memories

     Lists the user's current memories (latest versions), one page at a time. A category
    the project does not know gives `400` with `detail.invalid_categories`.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        offset (int | Unset):  Default: 0.
        limit (int | Unset):  Default: 20.
        categories (list[str] | Unset):
        session_id_filter (list[str] | Unset):
        session_metadata_filter (str | Unset): A JSON object, encoded as compact JSON in one query
            value. At most 4,096 bytes as
            UTF-8 (`x-max-bytes`; `maxLength` can only bound characters) and 32 levels deep
            (`x-max-depth`): this project's extension.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | InvalidCategoriesError | MemoryList | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            client=client,
            offset=offset,
            limit=limit,
            categories=categories,
            session_id_filter=session_id_filter,
            session_metadata_filter=session_metadata_filter,
            include_previous_versions=include_previous_versions,
            include_connected_memories=include_connected_memories,
        )
    ).parsed
