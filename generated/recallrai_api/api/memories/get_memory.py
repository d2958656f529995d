from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.memory import Memory
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    memory_id: str,
    *,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["include_previous_versions"] = include_previous_versions

    params["include_connected_memories"] = include_connected_memories

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/memory/{memory_id}".format(
            user_id=quote(str(user_id), safe=""),
            memory_id=quote(str(memory_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | Memory | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.memory import Memory
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = Memory.from_dict(response.json())

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
) -> Response[ErrorDetail | Memory | ValidationErrorList]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> Response[ErrorDetail | Memory | ValidationErrorList]:
    """Get a memory

     Returns one memory. `memory_id` may be the id of **any** version of the memory (every
    version has its own id: `Memory.memory_id` is the latest one's, each
    `previous_versions[].memory_id` an earlier one's).

    What comes back for an earlier version's id is not settled by public evidence: 0.6.6
    documents `expired_at`/`expiration_reason` on the item as "set when viewing an expired /
    previous version" (recallrai/models/user.py:163-165), which suggests the service answers
    with that version; this project's local server answers with the memory as a whole (its
    latest version). Read `memory_id` and `version_number` from the answer rather than
    assuming either.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        memory_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Memory | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        memory_id=memory_id,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> ErrorDetail | Memory | ValidationErrorList | None:
    """Get a memory

     Returns one memory. `memory_id` may be the id of **any** version of the memory (every
    version has its own id: `Memory.memory_id` is the latest one's, each
    `previous_versions[].memory_id` an earlier one's).

    What comes back for an earlier version's id is not settled by public evidence: 0.6.6
    documents `expired_at`/`expiration_reason` on the item as "set when viewing an expired /
    previous version" (recallrai/models/user.py:163-165), which suggests the service answers
    with that version; this project's local server answers with the memory as a whole (its
    latest version). Read `memory_id` and `version_number` from the answer rather than
    assuming either.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        memory_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Memory | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        memory_id=memory_id,
        client=client,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> Response[ErrorDetail | Memory | ValidationErrorList]:
    """Get a memory

     Returns one memory. `memory_id` may be the id of **any** version of the memory (every
    version has its own id: `Memory.memory_id` is the latest one's, each
    `previous_versions[].memory_id` an earlier one's).

    What comes back for an earlier version's id is not settled by public evidence: 0.6.6
    documents `expired_at`/`expiration_reason` on the item as "set when viewing an expired /
    previous version" (recallrai/models/user.py:163-165), which suggests the service answers
    with that version; this project's local server answers with the memory as a whole (its
    latest version). Read `memory_id` and `version_number` from the answer rather than
    assuming either.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        memory_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Memory | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        memory_id=memory_id,
        include_previous_versions=include_previous_versions,
        include_connected_memories=include_connected_memories,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    include_previous_versions: bool | Unset = True,
    include_connected_memories: bool | Unset = True,
) -> ErrorDetail | Memory | ValidationErrorList | None:
    """Get a memory

     Returns one memory. `memory_id` may be the id of **any** version of the memory (every
    version has its own id: `Memory.memory_id` is the latest one's, each
    `previous_versions[].memory_id` an earlier one's).

    What comes back for an earlier version's id is not settled by public evidence: 0.6.6
    documents `expired_at`/`expiration_reason` on the item as "set when viewing an expired /
    previous version" (recallrai/models/user.py:163-165), which suggests the service answers
    with that version; this project's local server answers with the memory as a whole (its
    latest version). Read `memory_id` and `version_number` from the answer rather than
    assuming either.

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        memory_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        include_previous_versions (bool | Unset):  Default: True.
        include_connected_memories (bool | Unset):  Default: True.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Memory | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            memory_id=memory_id,
            client=client,
            include_previous_versions=include_previous_versions,
            include_connected_memories=include_connected_memories,
        )
    ).parsed
