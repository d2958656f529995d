from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from ...models.recall_strategy import RecallStrategy
from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.error_detail import ErrorDetail
    from ...models.system_prompt import SystemPrompt
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    *,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    json_recall_strategy: str | Unset = UNSET
    if not isinstance(recall_strategy, Unset):
        json_recall_strategy = recall_strategy.value

    params["recall_strategy"] = json_recall_strategy

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/system-prompt",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorDetail | SystemPrompt | ValidationErrorList | None:

    from ... import errors
    from ...models.error_detail import ErrorDetail
    from ...models.system_prompt import SystemPrompt
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = SystemPrompt.from_dict(response.json())

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
) -> Response[ErrorDetail | SystemPrompt | ValidationErrorList]:
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
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
) -> Response[ErrorDetail | SystemPrompt | ValidationErrorList]:
    """Get the default system prompt

     Returns RecallrAI's default system prompt for a recall strategy (tens of KB). It
    changes rarely; fetch it once, cache it, and request context with
    `include_system_prompt=false`.

    Args:
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | SystemPrompt | ValidationErrorList]
    """

    kwargs = request_kwargs(
        recall_strategy=recall_strategy,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
) -> ErrorDetail | SystemPrompt | ValidationErrorList | None:
    """Get the default system prompt

     Returns RecallrAI's default system prompt for a recall strategy (tens of KB). It
    changes rarely; fetch it once, cache it, and request context with
    `include_system_prompt=false`.

    Args:
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | SystemPrompt | ValidationErrorList
    """

    return sync_detailed(
        client=client,
        recall_strategy=recall_strategy,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
) -> Response[ErrorDetail | SystemPrompt | ValidationErrorList]:
    """Get the default system prompt

     Returns RecallrAI's default system prompt for a recall strategy (tens of KB). It
    changes rarely; fetch it once, cache it, and request context with
    `include_system_prompt=false`.

    Args:
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorDetail | SystemPrompt | ValidationErrorList]
    """

    kwargs = request_kwargs(
        recall_strategy=recall_strategy,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
) -> ErrorDetail | SystemPrompt | ValidationErrorList | None:
    """Get the default system prompt

     Returns RecallrAI's default system prompt for a recall strategy (tens of KB). It
    changes rarely; fetch it once, cache it, and request context with
    `include_system_prompt=false`.

    Args:
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorDetail | SystemPrompt | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            client=client,
            recall_strategy=recall_strategy,
        )
    ).parsed
