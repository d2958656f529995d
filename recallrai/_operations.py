"""Every API operation as data: checks its input, then builds a ``Call``.

Paths, query names and body shapes come from the generated client's request
builders (``recallrai_api.api.<tag>.<operation>._get_kwargs``), so they follow the
spec. The generated package is imported on first use, not with ``recallrai``.
Both clients send the same ``Call``s; nothing here does I/O.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from types import ModuleType
from typing import Any

from . import _validation as check
from ._core import Call
from .exceptions import MergeConflictAlreadyResolvedError, RecallrAIError, ValidationError
from .models import (
    MergeConflictAnswer,
    MergeConflictStatus,
    MessageRole,
    RecallStrategy,
    SessionStatus,
)


@cache
def _endpoint(name: str) -> ModuleType:
    return importlib.import_module(f"recallrai_api.api.{name}")


@cache
def _models() -> ModuleType:
    return importlib.import_module("recallrai_api.models")


def _unset() -> Any:
    return importlib.import_module("recallrai_api.types").UNSET


def _call(
    op: str,
    endpoint: str,
    *,
    idempotent: bool = False,
    repeat_statuses: frozenset[int] = frozenset(),
    repeat_errors: tuple[type[RecallrAIError], ...] = (),
    streamed: bool = False,
    **kwargs: Any,
) -> Call:
    built: dict[str, Any] = _endpoint(endpoint)._get_kwargs(**kwargs)
    return Call(
        op=op,
        method=built["method"].upper(),
        path=_dot_safe(built["url"]),
        params=built.get("params") or None,
        json=built.get("json"),
        idempotent=idempotent,
        repeat_statuses=repeat_statuses,
        repeat_errors=repeat_errors,
        stream=streamed,
    )


def _dot_safe(path: str) -> str:
    """Encode path segments ``.`` and ``..``, which URL normalisation would otherwise remove."""
    if "/." not in path:
        return path
    return "/".join(
        seg.replace(".", "%2E") if seg in (".", "..") else seg for seg in path.split("/")
    )


def _metadata(name: str, value: Mapping[str, Any]) -> Any:
    return _models().Metadata.from_dict(check.metadata(name, value))


def _page(offset: int, limit: int, max_limit: int) -> dict[str, Any]:
    return {
        "offset": check.integer("offset", offset, 0),
        "limit": check.integer("limit", limit, 1, max_limit),
    }


# Users ---------------------------------------------------------------------------------


def create_user(
    user_id: str, metadata: Mapping[str, Any] | None, merge_conflict_enabled: bool | None
) -> Call:
    m = _models()
    body = m.CreateUserRequest(
        custom_user_id=check.identifier("user_id", user_id),
        metadata=_metadata("metadata", metadata or {}),
        merge_conflict_enabled=_unset()
        if merge_conflict_enabled is None
        else check.flag("merge_conflict_enabled", merge_conflict_enabled),
    )
    # A repeat of a create that had succeeded answers 409: that is success.
    return _call("create_user", "users.create_user", body=body, repeat_statuses=frozenset({409}))


def get_user(user_id: str) -> Call:
    return _call(
        "get_user", "users.get_user", idempotent=True, user_id=check.identifier("user_id", user_id)
    )


def list_users(offset: int, limit: int, metadata_filter: Mapping[str, Any] | None) -> Call:
    params: dict[str, Any] = _page(offset, limit, 100)
    encoded = check.json_filter("metadata_filter", metadata_filter)
    if encoded is not None:
        params["metadata_filter"] = encoded
    return _call("list_users", "users.list_users", idempotent=True, **params)


def update_user(
    user_id: str,
    new_metadata: Mapping[str, Any] | None,
    new_user_id: str | None,
    merge_conflict_enabled: bool | None,
) -> Call:
    m = _models()
    unset = _unset()
    body = m.UpdateUserRequest(
        new_metadata=unset if new_metadata is None else _metadata("new_metadata", new_metadata),
        new_custom_user_id=unset
        if new_user_id is None
        else check.identifier("new_user_id", new_user_id),
        merge_conflict_enabled=unset
        if merge_conflict_enabled is None
        else check.flag("merge_conflict_enabled", merge_conflict_enabled),
    )
    # A rename is not repeatable: once applied, the old id no longer exists (404).
    return _call(
        "update_user",
        "users.update_user",
        idempotent=new_user_id is None,
        user_id=check.identifier("user_id", user_id),
        body=body,
    )


def delete_user(user_id: str) -> Call:
    return _call(
        "delete_user",
        "users.delete_user",
        idempotent=True,
        repeat_statuses=frozenset({404}),
        user_id=check.identifier("user_id", user_id),
    )


# Sessions ------------------------------------------------------------------------------


def create_session(
    user_id: str,
    auto_process_after_seconds: int,
    metadata: Mapping[str, Any] | None,
    custom_created_at_utc: datetime | None,
) -> Call:
    m = _models()
    body = m.CreateSessionRequest(
        auto_process_after_seconds=check.integer(
            "auto_process_after_seconds", auto_process_after_seconds, 600
        ),
        metadata=_metadata("metadata", metadata or {}),
        custom_created_at_utc=_unset()
        if custom_created_at_utc is None
        else check.utc_datetime("custom_created_at_utc", custom_created_at_utc),
    )
    return _call(
        "create_session",
        "sessions.create_session",
        user_id=check.identifier("user_id", user_id),
        body=body,
    )


def list_sessions(
    user_id: str,
    offset: int,
    limit: int,
    metadata_filter: Mapping[str, Any] | None,
    user_metadata_filter: Mapping[str, Any] | None,
    status_filter: Sequence[SessionStatus | str] | None,
) -> Call:
    params: dict[str, Any] = _page(offset, limit, 100)
    for name, value in (
        ("metadata_filter", metadata_filter),
        ("user_metadata_filter", user_metadata_filter),
    ):
        encoded = check.json_filter(name, value)
        if encoded is not None:
            params[name] = encoded
    if status_filter is not None:
        wire = _models().SessionStatus
        params["status_filter"] = [
            wire(s.value) for s in check.members(SessionStatus, "status_filter", status_filter)
        ]
    return _call(
        "list_sessions",
        "sessions.list_sessions",
        idempotent=True,
        user_id=check.identifier("user_id", user_id),
        **params,
    )


def _session_ids(user_id: str, session_id: str) -> dict[str, Any]:
    return {
        "user_id": check.identifier("user_id", user_id),
        "session_id": check.identifier("session_id", session_id),
    }


def get_session(user_id: str, session_id: str) -> Call:
    return _call(
        "get_session", "sessions.get_session", idempotent=True, **_session_ids(user_id, session_id)
    )


def update_session(user_id: str, session_id: str, new_metadata: Mapping[str, Any]) -> Call:
    body = _models().UpdateSessionRequest(new_metadata=_metadata("new_metadata", new_metadata))
    return _call(
        "update_session",
        "sessions.update_session",
        idempotent=True,
        body=body,
        **_session_ids(user_id, session_id),
    )


def delete_session(user_id: str, session_id: str) -> Call:
    return _call(
        "delete_session",
        "sessions.delete_session",
        idempotent=True,
        repeat_statuses=frozenset({404}),
        **_session_ids(user_id, session_id),
    )


def add_message(user_id: str, session_id: str, role: MessageRole | str, content: str) -> Call:
    m = _models()
    body = m.AddMessageRequest(
        message=check.text("content", content),
        role=m.MessageRole(check.member(MessageRole, "role", role).value),
    )
    # Never repeated once it may have reached the server: a message must not be stored twice.
    return _call(
        "add_message", "messages.add_message", body=body, **_session_ids(user_id, session_id)
    )


def process_session(user_id: str, session_id: str) -> Call:
    # A repeat of a process call that had started answers 400 (already processing): success.
    return _call(
        "process_session",
        "sessions.process_session",
        repeat_statuses=frozenset({400}),
        **_session_ids(user_id, session_id),
    )


def list_session_messages(user_id: str, session_id: str, offset: int, limit: int) -> Call:
    return _call(
        "list_session_messages",
        "messages.list_session_messages",
        idempotent=True,
        **_session_ids(user_id, session_id),
        **_page(offset, limit, 200),
    )


def get_context(
    user_id: str,
    session_id: str,
    *,
    recall_strategy: RecallStrategy | str,
    min_top_k: int,
    max_top_k: int,
    memories_threshold: float,
    summaries_threshold: float,
    last_n_messages: int | None,
    last_n_summaries: int | None,
    timezone: str | None,
    include_system_prompt: bool,
    include_metadata_ids: bool,
    stream: bool,
) -> Call:
    strategy = check.member(RecallStrategy, "recall_strategy", recall_strategy)
    params: dict[str, Any] = {
        "recall_strategy": _models().RecallStrategy(strategy.value),
        "min_top_k": check.integer("min_top_k", min_top_k, 5, 50),
        "max_top_k": check.integer("max_top_k", max_top_k, 10, 100),
        "memories_threshold": check.number("memories_threshold", memories_threshold, 0.2, 0.8),
        "summaries_threshold": check.number("summaries_threshold", summaries_threshold, 0.2, 0.8),
        "include_system_prompt": check.flag("include_system_prompt", include_system_prompt),
        "include_metadata_ids": check.flag("include_metadata_ids", include_metadata_ids),
        "stream": stream,
    }
    if params["min_top_k"] > params["max_top_k"]:
        raise ValidationError(
            f"min_top_k ({min_top_k}) must not be greater than max_top_k ({max_top_k})"
        )
    if last_n_messages is not None:
        params["last_n_messages"] = check.integer("last_n_messages", last_n_messages, 1, 100)
    if last_n_summaries is not None:
        params["last_n_summaries"] = check.integer("last_n_summaries", last_n_summaries, 1, 20)
    if timezone is not None:
        params["timezone"] = check.identifier("timezone", timezone)
    return _call(
        "get_context",
        "sessions.get_context",
        idempotent=True,
        streamed=stream,
        **_session_ids(user_id, session_id),
        **params,
    )


def get_system_prompt(strategy: RecallStrategy) -> Call:
    return _call(
        "get_system_prompt",
        "system.get_system_prompt",
        idempotent=True,
        recall_strategy=_models().RecallStrategy(strategy.value),
    )


# Memories and messages across sessions -------------------------------------------------


def list_memories(
    user_id: str,
    *,
    offset: int,
    limit: int,
    categories: Sequence[str] | None,
    session_id_filter: Sequence[str] | None,
    session_metadata_filter: Mapping[str, Any] | None,
    include_previous_versions: bool,
    include_connected_memories: bool,
) -> Call:
    params: dict[str, Any] = _page(offset, limit, 200)
    if categories is not None:
        params["categories"] = check.strings("categories", categories)
    if session_id_filter is not None:
        params["session_id_filter"] = check.strings("session_id_filter", session_id_filter)
    encoded = check.json_filter("session_metadata_filter", session_metadata_filter)
    if encoded is not None:
        params["session_metadata_filter"] = encoded
    params["include_previous_versions"] = check.flag(
        "include_previous_versions", include_previous_versions
    )
    params["include_connected_memories"] = check.flag(
        "include_connected_memories", include_connected_memories
    )
    return _call(
        "list_memories",
        "memories.list_memories",
        idempotent=True,
        user_id=check.identifier("user_id", user_id),
        **params,
    )


def get_memory(
    user_id: str, memory_id: str, include_previous_versions: bool, include_connected_memories: bool
) -> Call:
    return _call(
        "get_memory",
        "memories.get_memory",
        idempotent=True,
        user_id=check.identifier("user_id", user_id),
        memory_id=check.identifier("memory_id", memory_id),
        include_previous_versions=check.flag(
            "include_previous_versions", include_previous_versions
        ),
        include_connected_memories=check.flag(
            "include_connected_memories", include_connected_memories
        ),
    )


def delete_memory(user_id: str, memory_id: str, delete_previous_versions: bool) -> Call:
    return _call(
        "delete_memory",
        "memories.delete_memory",
        idempotent=True,
        repeat_statuses=frozenset({404}),
        user_id=check.identifier("user_id", user_id),
        memory_id=check.identifier("memory_id", memory_id),
        delete_previous_versions=check.flag("delete_previous_versions", delete_previous_versions),
    )


def get_last_messages(user_id: str, n: int) -> Call:
    return _call(
        "get_last_messages",
        "messages.get_last_messages",
        idempotent=True,
        user_id=check.identifier("user_id", user_id),
        limit=check.integer("n", n, 1, 100),
    )


# Merge conflicts -----------------------------------------------------------------------


def list_merge_conflicts(
    user_id: str,
    offset: int,
    limit: int,
    status: MergeConflictStatus | str | None,
    sort_by: str,
    sort_order: str,
) -> Call:
    params: dict[str, Any] = _page(offset, limit, 100)
    m = _models()
    if status is not None:
        params["status"] = m.MergeConflictStatus(
            check.member(MergeConflictStatus, "status", status).value
        )
    if sort_by not in ("created_at", "resolved_at"):
        raise ValidationError(f"sort_by must be 'created_at' or 'resolved_at', not {sort_by!r}")
    if sort_order not in ("asc", "desc"):
        raise ValidationError(f"sort_order must be 'asc' or 'desc', not {sort_order!r}")
    return _call(
        "list_merge_conflicts",
        "merge_conflicts.list_merge_conflicts",
        idempotent=True,
        user_id=check.identifier("user_id", user_id),
        sort_by=m.MergeConflictSortBy(sort_by),
        sort_order=m.SortOrder(sort_order),
        **params,
    )


def _conflict_ids(user_id: str, conflict_id: str) -> dict[str, Any]:
    return {
        "user_id": check.identifier("user_id", user_id),
        "conflict_id": check.identifier("conflict_id", conflict_id),
    }


def get_merge_conflict(user_id: str, conflict_id: str) -> Call:
    return _call(
        "get_merge_conflict",
        "merge_conflicts.get_merge_conflict",
        idempotent=True,
        **_conflict_ids(user_id, conflict_id),
    )


def resolve_merge_conflict(user_id: str, conflict_id: str, answers: object) -> Call:
    if isinstance(answers, str | bytes | Mapping) or not isinstance(answers, list | tuple):
        raise ValidationError("answers must be a list of MergeConflictAnswer")
    m = _models()
    wire = []
    for answer in answers:
        if not isinstance(answer, MergeConflictAnswer):
            raise ValidationError(
                f"answers must be a list of MergeConflictAnswer, found {type(answer).__name__}"
            )
        check.text("question", answer.question)
        check.text("answer", answer.answer)
        if answer.message is not None:
            check.text("message", answer.message)
        wire.append(m.QuestionAnswer.from_dict(answer.to_wire()))
    body = m.ResolveMergeConflictRequest(answers=m.MergeConflictAnswers(question_answers=wire))
    # A repeat of a resolve that had succeeded answers 400 "already resolved"; any other
    # 400 (an invalid answer, say) is the caller's error and is raised, not swallowed.
    return _call(
        "resolve_merge_conflict",
        "merge_conflicts.resolve_merge_conflict",
        repeat_statuses=frozenset({400}),
        repeat_errors=(MergeConflictAlreadyResolvedError,),
        body=body,
        **_conflict_ids(user_id, conflict_id),
    )
