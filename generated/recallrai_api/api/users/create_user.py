from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ...models.create_user_request import CreateUserRequest
from ...types import RequestKwargs

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.user import User
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    *,
    body: CreateUserRequest,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""
    headers: dict[str, Any] = {}

    _kwargs: RequestKwargs = {
        "method": "post",
        "url": "/api/v1/users",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | User | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.user import User
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 201:
        response_201 = User.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorDetail.from_dict(response.json())

        return response_401

    if response.status_code == 409:
        response_409 = ErrorDetail.from_dict(response.json())

        return response_409

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
) -> Response[ErrorDetail | User | ValidationErrorList]:
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
    body: CreateUserRequest,
) -> Response[ErrorDetail | User | ValidationErrorList]:
    """Create a user

     Creates a user with your own id string. The response is the `User`; a client
    should also accept it wrapped as `{"user": User}` (see *Wrapped answers* in the API
    description).

    Args:
        body (CreateUserRequest): An absent `metadata` means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | User | ValidationErrorList]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> ErrorDetail | User | ValidationErrorList | None:
    """Create a user

     Creates a user with your own id string. The response is the `User`; a client
    should also accept it wrapped as `{"user": User}` (see *Wrapped answers* in the API
    description).

    Args:
        body (CreateUserRequest): An absent `metadata` means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | User | ValidationErrorList
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> Response[ErrorDetail | User | ValidationErrorList]:
    """Create a user

     Creates a user with your own id string. The response is the `User`; a client
    should also accept it wrapped as `{"user": User}` (see *Wrapped answers* in the API
    description).

    Args:
        body (CreateUserRequest): An absent `metadata` means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | User | ValidationErrorList]
    """

    kwargs = request_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: CreateUserRequest,
) -> ErrorDetail | User | ValidationErrorList | None:
    """Create a user

     Creates a user with your own id string. The response is the `User`; a client
    should also accept it wrapped as `{"user": User}` (see *Wrapped answers* in the API
    description).

    Args:
        body (CreateUserRequest): An absent `metadata` means `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | User | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
