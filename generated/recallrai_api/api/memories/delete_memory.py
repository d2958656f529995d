from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    memory_id: str,
    *,
    delete_previous_versions: bool | Unset = False,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    params["delete_previous_versions"] = delete_previous_versions

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "delete",
        "url": "/api/v1/users/{user_id}/memory/{memory_id}".format(
            user_id=quote(str(user_id), safe=""),
            memory_id=quote(str(memory_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorDetail | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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
) -> Response[Any | ErrorDetail | ValidationErrorList]:
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
    delete_previous_versions: bool | Unset = False,
) -> Response[Any | ErrorDetail | ValidationErrorList]:
    """Delete a memory

     Deletes the version `memory_id`, which may be any version of the memory (0.6.6:
    "can be any version in the chain", recallrai/user.py:449). With
    `delete_previous_versions=true` it deletes that version **and every earlier version**
    of the chain; later versions are kept (recallrai/user.py:450-452). Given the latest
    version's id, that deletes the memory with its whole history.

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
        delete_previous_versions (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        memory_id=memory_id,
        delete_previous_versions=delete_previous_versions,
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
    delete_previous_versions: bool | Unset = False,
) -> Any | ErrorDetail | ValidationErrorList | None:
    """Delete a memory

     Deletes the version `memory_id`, which may be any version of the memory (0.6.6:
    "can be any version in the chain", recallrai/user.py:449). With
    `delete_previous_versions=true` it deletes that version **and every earlier version**
    of the chain; later versions are kept (recallrai/user.py:450-452). Given the latest
    version's id, that deletes the memory with its whole history.

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
        delete_previous_versions (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        memory_id=memory_id,
        client=client,
        delete_previous_versions=delete_previous_versions,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    delete_previous_versions: bool | Unset = False,
) -> Response[Any | ErrorDetail | ValidationErrorList]:
    """Delete a memory

     Deletes the version `memory_id`, which may be any version of the memory (0.6.6:
    "can be any version in the chain", recallrai/user.py:449). With
    `delete_previous_versions=true` it deletes that version **and every earlier version**
    of the chain; later versions are kept (recallrai/user.py:450-452). Given the latest
    version's id, that deletes the memory with its whole history.

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
        delete_previous_versions (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorDetail | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        memory_id=memory_id,
        delete_previous_versions=delete_previous_versions,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    memory_id: str,
    *,
    client: AuthenticatedClient | Client,
    delete_previous_versions: bool | Unset = False,
) -> Any | ErrorDetail | ValidationErrorList | None:
    """Delete a memory

     Deletes the version `memory_id`, which may be any version of the memory (0.6.6:
    "can be any version in the chain", recallrai/user.py:449). With
    `delete_previous_versions=true` it deletes that version **and every earlier version**
    of the chain; later versions are kept (recallrai/user.py:450-452). Given the latest
    version's id, that deletes the memory with its whole history.

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
        delete_previous_versions (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorDetail | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            memory_id=memory_id,
            client=client,
            delete_previous_versions=delete_previous_versions,
        )
    ).parsed
