from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ...models.recall_strategy import RecallStrategy
from ...types import UNSET, RequestKwargs, Unset

if TYPE_CHECKING:
    import httpx

    from ...client import AuthenticatedClient, Client
    from ...models.context import Context
    from ...models.error_detail import ErrorDetail
    from ...models.validation_error_list import ValidationErrorList
    from ...types import Response


def request_kwargs(
    user_id: str,
    session_id: str,
    *,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
    min_top_k: int | Unset = 15,
    max_top_k: int | Unset = 50,
    memories_threshold: float | Unset = 0.6,
    summaries_threshold: float | Unset = 0.5,
    last_n_messages: int | Unset = UNSET,
    last_n_summaries: int | Unset = UNSET,
    timezone: str | Unset = UNSET,
    include_system_prompt: bool | Unset = True,
    include_metadata_ids: bool | Unset = False,
    stream: bool | Unset = False,
) -> RequestKwargs:
    """The keyword arguments of ``httpx.Client.request`` for this operation."""

    params: dict[str, Any] = {}

    json_recall_strategy: str | Unset = UNSET
    if not isinstance(recall_strategy, Unset):
        json_recall_strategy = recall_strategy.value

    params["recall_strategy"] = json_recall_strategy

    params["min_top_k"] = min_top_k

    params["max_top_k"] = max_top_k

    params["memories_threshold"] = memories_threshold

    params["summaries_threshold"] = summaries_threshold

    params["last_n_messages"] = last_n_messages

    params["last_n_summaries"] = last_n_summaries

    params["timezone"] = timezone

    params["include_system_prompt"] = include_system_prompt

    params["include_metadata_ids"] = include_metadata_ids

    params["stream"] = stream

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: RequestKwargs = {
        "method": "get",
        "url": "/api/v1/users/{user_id}/sessions/{session_id}/context".format(
            user_id=quote(str(user_id), safe=""),
            session_id=quote(str(session_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Context | ErrorDetail | ValidationErrorList | None:

    from ... import errors
    from ...models.context import Context
    from ...models.error_detail import ErrorDetail
    from ...models.validation_error_list import ValidationErrorList

    if response.status_code == 200:
        response_200 = Context.from_dict(response.json())

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
) -> Response[Context | ErrorDetail | ValidationErrorList]:
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
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
    min_top_k: int | Unset = 15,
    max_top_k: int | Unset = 50,
    memories_threshold: float | Unset = 0.6,
    summaries_threshold: float | Unset = 0.5,
    last_n_messages: int | Unset = UNSET,
    last_n_summaries: int | Unset = UNSET,
    timezone: str | Unset = UNSET,
    include_system_prompt: bool | Unset = True,
    include_metadata_ids: bool | Unset = False,
    stream: bool | Unset = False,
) -> Response[Context | ErrorDetail | ValidationErrorList]:
    """Get the memory context for a session

     Retrieves the user's memories (and session summaries) relevant to the session's
    recent messages, formatted as text for a system prompt.

    With `stream=false` (default) the response is one `Context` as JSON. With
    `stream=true` it is `text/event-stream`: status events first, the final `Context`
    (with `is_final: true`) last.

    The default system prompt is large; a client can fetch it once with
    `getSystemPrompt`, cache it, ask for context with `include_system_prompt=false`,
    and prepend the prompt itself (prompt + three newlines + context) for the strategy
    in `metadata.recall_strategy_used`.

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
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.
        min_top_k (int | Unset):  Default: 15.
        max_top_k (int | Unset):  Default: 50.
        memories_threshold (float | Unset):  Default: 0.6.
        summaries_threshold (float | Unset):  Default: 0.5.
        last_n_messages (int | Unset):
        last_n_summaries (int | Unset):
        timezone (str | Unset):
        include_system_prompt (bool | Unset):  Default: True.
        include_metadata_ids (bool | Unset):  Default: False.
        stream (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Context | ErrorDetail | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        session_id=session_id,
        recall_strategy=recall_strategy,
        min_top_k=min_top_k,
        max_top_k=max_top_k,
        memories_threshold=memories_threshold,
        summaries_threshold=summaries_threshold,
        last_n_messages=last_n_messages,
        last_n_summaries=last_n_summaries,
        timezone=timezone,
        include_system_prompt=include_system_prompt,
        include_metadata_ids=include_metadata_ids,
        stream=stream,
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
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
    min_top_k: int | Unset = 15,
    max_top_k: int | Unset = 50,
    memories_threshold: float | Unset = 0.6,
    summaries_threshold: float | Unset = 0.5,
    last_n_messages: int | Unset = UNSET,
    last_n_summaries: int | Unset = UNSET,
    timezone: str | Unset = UNSET,
    include_system_prompt: bool | Unset = True,
    include_metadata_ids: bool | Unset = False,
    stream: bool | Unset = False,
) -> Context | ErrorDetail | ValidationErrorList | None:
    """Get the memory context for a session

     Retrieves the user's memories (and session summaries) relevant to the session's
    recent messages, formatted as text for a system prompt.

    With `stream=false` (default) the response is one `Context` as JSON. With
    `stream=true` it is `text/event-stream`: status events first, the final `Context`
    (with `is_final: true`) last.

    The default system prompt is large; a client can fetch it once with
    `getSystemPrompt`, cache it, ask for context with `include_system_prompt=false`,
    and prepend the prompt itself (prompt + three newlines + context) for the strategy
    in `metadata.recall_strategy_used`.

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
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.
        min_top_k (int | Unset):  Default: 15.
        max_top_k (int | Unset):  Default: 50.
        memories_threshold (float | Unset):  Default: 0.6.
        summaries_threshold (float | Unset):  Default: 0.5.
        last_n_messages (int | Unset):
        last_n_summaries (int | Unset):
        timezone (str | Unset):
        include_system_prompt (bool | Unset):  Default: True.
        include_metadata_ids (bool | Unset):  Default: False.
        stream (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Context | ErrorDetail | ValidationErrorList
    """

    return sync_detailed(
        user_id=user_id,
        session_id=session_id,
        client=client,
        recall_strategy=recall_strategy,
        min_top_k=min_top_k,
        max_top_k=max_top_k,
        memories_threshold=memories_threshold,
        summaries_threshold=summaries_threshold,
        last_n_messages=last_n_messages,
        last_n_summaries=last_n_summaries,
        timezone=timezone,
        include_system_prompt=include_system_prompt,
        include_metadata_ids=include_metadata_ids,
        stream=stream,
    ).parsed


async def asyncio_detailed(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
    min_top_k: int | Unset = 15,
    max_top_k: int | Unset = 50,
    memories_threshold: float | Unset = 0.6,
    summaries_threshold: float | Unset = 0.5,
    last_n_messages: int | Unset = UNSET,
    last_n_summaries: int | Unset = UNSET,
    timezone: str | Unset = UNSET,
    include_system_prompt: bool | Unset = True,
    include_metadata_ids: bool | Unset = False,
    stream: bool | Unset = False,
) -> Response[Context | ErrorDetail | ValidationErrorList]:
    """Get the memory context for a session

     Retrieves the user's memories (and session summaries) relevant to the session's
    recent messages, formatted as text for a system prompt.

    With `stream=false` (default) the response is one `Context` as JSON. With
    `stream=true` it is `text/event-stream`: status events first, the final `Context`
    (with `is_final: true`) last.

    The default system prompt is large; a client can fetch it once with
    `getSystemPrompt`, cache it, ask for context with `include_system_prompt=false`,
    and prepend the prompt itself (prompt + three newlines + context) for the strategy
    in `metadata.recall_strategy_used`.

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
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.
        min_top_k (int | Unset):  Default: 15.
        max_top_k (int | Unset):  Default: 50.
        memories_threshold (float | Unset):  Default: 0.6.
        summaries_threshold (float | Unset):  Default: 0.5.
        last_n_messages (int | Unset):
        last_n_summaries (int | Unset):
        timezone (str | Unset):
        include_system_prompt (bool | Unset):  Default: True.
        include_metadata_ids (bool | Unset):  Default: False.
        stream (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Context | ErrorDetail | ValidationErrorList]
    """

    kwargs = request_kwargs(
        user_id=user_id,
        session_id=session_id,
        recall_strategy=recall_strategy,
        min_top_k=min_top_k,
        max_top_k=max_top_k,
        memories_threshold=memories_threshold,
        summaries_threshold=summaries_threshold,
        last_n_messages=last_n_messages,
        last_n_summaries=last_n_summaries,
        timezone=timezone,
        include_system_prompt=include_system_prompt,
        include_metadata_ids=include_metadata_ids,
        stream=stream,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    user_id: str,
    session_id: str,
    *,
    client: AuthenticatedClient | Client,
    recall_strategy: RecallStrategy | Unset = RecallStrategy.BALANCED,
    min_top_k: int | Unset = 15,
    max_top_k: int | Unset = 50,
    memories_threshold: float | Unset = 0.6,
    summaries_threshold: float | Unset = 0.5,
    last_n_messages: int | Unset = UNSET,
    last_n_summaries: int | Unset = UNSET,
    timezone: str | Unset = UNSET,
    include_system_prompt: bool | Unset = True,
    include_metadata_ids: bool | Unset = False,
    stream: bool | Unset = False,
) -> Context | ErrorDetail | ValidationErrorList | None:
    """Get the memory context for a session

     Retrieves the user's memories (and session summaries) relevant to the session's
    recent messages, formatted as text for a system prompt.

    With `stream=false` (default) the response is one `Context` as JSON. With
    `stream=true` it is `text/event-stream`: status events first, the final `Context`
    (with `is_final: true`) last.

    The default system prompt is large; a client can fetch it once with
    `getSystemPrompt`, cache it, ask for context with `include_system_prompt=false`,
    and prepend the prompt itself (prompt + three newlines + context) for the strategy
    in `metadata.recall_strategy_used`.

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
        recall_strategy (RecallStrategy | Unset): Speed/quality trade-off of context retrieval:
            `low_latency` (fastest),
            `balanced` (default), `agentic` (thorough, multi-step; formerly called "deep"),
            `auto` (the service picks one; the one used is reported in
            `ContextMetadata.recall_strategy_used`).
             Default: RecallStrategy.BALANCED.
        min_top_k (int | Unset):  Default: 15.
        max_top_k (int | Unset):  Default: 50.
        memories_threshold (float | Unset):  Default: 0.6.
        summaries_threshold (float | Unset):  Default: 0.5.
        last_n_messages (int | Unset):
        last_n_summaries (int | Unset):
        timezone (str | Unset):
        include_system_prompt (bool | Unset):  Default: True.
        include_metadata_ids (bool | Unset):  Default: False.
        stream (bool | Unset):  Default: False.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Context | ErrorDetail | ValidationErrorList
    """

    return (
        await asyncio_detailed(
            user_id=user_id,
            session_id=session_id,
            client=client,
            recall_strategy=recall_strategy,
            min_top_k=min_top_k,
            max_top_k=max_top_k,
            memories_threshold=memories_threshold,
            summaries_threshold=summaries_threshold,
            last_n_messages=last_n_messages,
            last_n_summaries=last_n_summaries,
            timezone=timezone,
            include_system_prompt=include_system_prompt,
            include_metadata_ids=include_metadata_ids,
            stream=stream,
        )
    ).parsed
