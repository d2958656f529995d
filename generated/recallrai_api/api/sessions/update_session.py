from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...models.update_session_request import UpdateSessionRequest
from ...types import RequestKwargs

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.session import Session
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    session_id: str,
    *,
    body: UpdateSessionRequest,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""
    headers: dict[str, Any] = {}

    _kwargs: RequestKwargs = {
        "method": "put",
        "url": "/api/v1/users/{user_id}/sessions/{session_id}".format(
            user_id=quote(str(user_id), safe=""),
            session_id=quote(str(session_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | Session | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.session import Session
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = Session.from_dict(response.json())

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
) -> Response[ErrorDetail | Session | ValidationErrorList]:
    from ...types import Response

    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateSessionRequest,
) -> Response[ErrorDetail | Session | ValidationErrorList]:
    """Update a session

     Replaces the session's metadata. The response is the updated session (a client
    should also accept `{"session": Session}`; see *Wrapped answers*).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        session_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        body (UpdateSessionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Session | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        session_id=session_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateSessionRequest,
) -> ErrorDetail | Session | ValidationErrorList | None:
    """Update a session

     Replaces the session's metadata. The response is the updated session (a client
    should also accept `{"session": Session}`; see *Wrapped answers*).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        session_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        body (UpdateSessionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Session | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        session_id=session_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateSessionRequest,
) -> Response[ErrorDetail | Session | ValidationErrorList]:
    """Update a session

     Replaces the session's metadata. The response is the updated session (a client
    should also accept `{"session": Session}`; see *Wrapped answers*).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        session_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        body (UpdateSessionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | Session | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        session_id=session_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateSessionRequest,
) -> ErrorDetail | Session | ValidationErrorList | None:
    """Update a session

     Replaces the session's metadata. The response is the updated session (a client
    should also accept `{"session": Session}`; see *Wrapped answers*).

    Args:
        user_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        session_id (str): An id: 1..255 characters, no control characters (U+0000-U+001F, U+007F),
            not only
            whitespace (`x-not-blank`), valid Unicode (no lone surrogates). These bounds are this
            project's extension (the local server answers `422` beyond them); the service
            documents none.
        body (UpdateSessionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | Session | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            session_id=session_id,
            client=client,
            body=body,
        )
    ).parsed
