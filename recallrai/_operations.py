"""Every API operation as data: checks its input, then builds a ``Call``.

Paths, query names and body shapes come from the generated client's public request
builders (``recallrai_api.api.<tag>.<operation>.request_kwargs``) and its models, so
they follow the spec and mypy checks every argument. Each operation imports its own
endpoint module when first called: ``import recallrai`` loads none of them, and a
first ``get_user`` loads only that one. Both clients send the same ``Call``s; nothing
here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

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

if TYPE_CHECKING:
    from recallrai_api.models import Metadata
    from recallrai_api.types import RequestKwargs

_E = TypeVar("_E", bound=Enum)


def _call(
    op: str,
    built: RequestKwargs,
    *,
    idempotent: bool = False,
    repeat_statuses: frozenset[int] = frozenset(),
    repeat_errors: tuple[type[RecallrAIError], ...] = (),
    streamed: bool = False,
) -> Call:
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


def _metadata(name: str, value: Mapping[str, Any]) -> Metadata:
    from recallrai_api.models import Metadata

    return Metadata.from_dict(check.metadata(name, value))


def _page(offset: int, limit: int, max_limit: int) -> tuple[int, int]:
    return check.integer("offset", offset, 0), check.integer("limit", limit, 1, max_limit)


# Users ---------------------------------------------------------------------------------


def create_user(
    user_id: str, metadata: Mapping[str, Any] | None, merge_conflict_enabled: bool | None
) -> Call:
    from recallrai_api.api.users import create_user as endpoint
    from recallrai_api.models import CreateUserRequest
    from recallrai_api.types import UNSET

    body = CreateUserRequest(
        custom_user_id=check.identifier("user_id", user_id),
        metadata=_metadata("metadata", metadata or {}),
        merge_conflict_enabled=UNSET
        if merge_conflict_enabled is None
        else check.flag("merge_conflict_enabled", merge_conflict_enabled),
    )
    # A repeat of a create that had succeeded answers 409: that is success.
    return _call(
        "create_user", endpoint.request_kwargs(body=body), repeat_statuses=frozenset({409})
    )


def get_user(user_id: str) -> Call:
    from recallrai_api.api.users import get_user as endpoint

    built = endpoint.request_kwargs(check.identifier("user_id", user_id))
    return _call("get_user", built, idempotent=True)


def list_users(offset: int, limit: int, metadata_filter: Mapping[str, Any] | None) -> Call:
    from recallrai_api.api.users import list_users as endpoint
    from recallrai_api.types import UNSET

    offset, limit = _page(offset, limit, 100)
    encoded = check.json_filter("metadata_filter", metadata_filter)
    built = endpoint.request_kwargs(
        offset=offset, limit=limit, metadata_filter=UNSET if encoded is None else encoded
    )
    return _call("list_users", built, idempotent=True)


def update_user(
    user_id: str,
    new_metadata: Mapping[str, Any] | None,
    new_user_id: str | None,
    merge_conflict_enabled: bool | None,
) -> Call:
    from recallrai_api.api.users import update_user as endpoint
    from recallrai_api.models import UpdateUserRequest
    from recallrai_api.types import UNSET

    body = UpdateUserRequest(
        new_metadata=UNSET if new_metadata is None else _metadata("new_metadata", new_metadata),
        new_custom_user_id=UNSET
        if new_user_id is None
        else check.identifier("new_user_id", new_user_id),
        merge_conflict_enabled=UNSET
        if merge_conflict_enabled is None
        else check.flag("merge_conflict_enabled", merge_conflict_enabled),
    )
    built = endpoint.request_kwargs(check.identifier("user_id", user_id), body=body)
    # A rename is not repeatable: once applied, the old id no longer exists (404).
    return _call("update_user", built, idempotent=new_user_id is None)


def delete_user(user_id: str) -> Call:
    from recallrai_api.api.users import delete_user as endpoint

    built = endpoint.request_kwargs(check.identifier("user_id", user_id))
    return _call("delete_user", built, idempotent=True, repeat_statuses=frozenset({404}))


# Sessions ------------------------------------------------------------------------------


def create_session(
    user_id: str,
    auto_process_after_seconds: int,
    metadata: Mapping[str, Any] | None,
    custom_created_at_utc: datetime | None,
) -> Call:
    from recallrai_api.api.sessions import create_session as endpoint
    from recallrai_api.models import CreateSessionRequest
    from recallrai_api.types import UNSET

    body = CreateSessionRequest(
        auto_process_after_seconds=check.integer(
            "auto_process_after_seconds", auto_process_after_seconds, 600
        ),
        metadata=_metadata("metadata", metadata or {}),
        custom_created_at_utc=UNSET
        if custom_created_at_utc is None
        else check.utc_datetime("custom_created_at_utc", custom_created_at_utc),
    )
    built = endpoint.request_kwargs(check.identifier("user_id", user_id), body=body)
    return _call("create_session", built)


def list_sessions(
    user_id: str,
    offset: int,
    limit: int,
    metadata_filter: Mapping[str, Any] | None,
    user_metadata_filter: Mapping[str, Any] | None,
    status_filter: Sequence[SessionStatus | str] | None,
) -> Call:
    from recallrai_api.api.sessions import list_sessions as endpoint
    from recallrai_api.models import SessionStatus as WireSessionStatus
    from recallrai_api.types import UNSET

    offset, limit = _page(offset, limit, 100)
    metadata = check.json_filter("metadata_filter", metadata_filter)
    user_metadata = check.json_filter("user_metadata_filter", user_metadata_filter)
    statuses = (
        UNSET
        if status_filter is None
        else [
            WireSessionStatus(s.value)
            for s in check.members(SessionStatus, "status_filter", status_filter)
        ]
    )
    built = endpoint.request_kwargs(
        check.identifier("user_id", user_id),
        offset=offset,
        limit=limit,
        metadata_filter=UNSET if metadata is None else metadata,
        user_metadata_filter=UNSET if user_metadata is None else user_metadata,
        status_filter=statuses,
    )
    return _call("list_sessions", built, idempotent=True)


def _session_ids(user_id: str, session_id: str) -> tuple[str, str]:
    return check.identifier("user_id", user_id), check.identifier("session_id", session_id)


def get_session(user_id: str, session_id: str) -> Call:
    from recallrai_api.api.sessions import get_session as endpoint

    built = endpoint.request_kwargs(*_session_ids(user_id, session_id))
    return _call("get_session", built, idempotent=True)


def update_session(user_id: str, session_id: str, new_metadata: Mapping[str, Any]) -> Call:
    from recallrai_api.api.sessions import update_session as endpoint
    from recallrai_api.models import UpdateSessionRequest

    ids = _session_ids(user_id, session_id)
    body = UpdateSessionRequest(new_metadata=_metadata("new_metadata", new_metadata))
    return _call("update_session", endpoint.request_kwargs(*ids, body=body), idempotent=True)


def delete_session(user_id: str, session_id: str) -> Call:
    from recallrai_api.api.sessions import delete_session as endpoint

    built = endpoint.request_kwargs(*_session_ids(user_id, session_id))
    return _call("delete_session", built, idempotent=True, repeat_statuses=frozenset({404}))


def add_message(user_id: str, session_id: str, role: MessageRole | str, content: str) -> Call:
    from recallrai_api.api.messages import add_message as endpoint
    from recallrai_api.models import AddMessageRequest
    from recallrai_api.models import MessageRole as WireMessageRole

    ids = _session_ids(user_id, session_id)
    body = AddMessageRequest(
        message=check.text("content", content),
        role=WireMessageRole(check.member(MessageRole, "role", role).value),
    )
    # Never repeated once it may have reached the server: a message must not be stored twice.
    return _call("add_message", endpoint.request_kwargs(*ids, body=body))


def process_session(user_id: str, session_id: str) -> Call:
    from recallrai_api.api.sessions import process_session as endpoint

    built = endpoint.request_kwargs(*_session_ids(user_id, session_id))
    # A repeat of a process call that had started answers 400 (already processing): success.
    return _call("process_session", built, repeat_statuses=frozenset({400}))


def list_session_messages(user_id: str, session_id: str, offset: int, limit: int) -> Call:
    from recallrai_api.api.messages import list_session_messages as endpoint

    ids = _session_ids(user_id, session_id)
    offset, limit = _page(offset, limit, 200)
    built = endpoint.request_kwargs(*ids, offset=offset, limit=limit)
    return _call("list_session_messages", built, idempotent=True)


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
    from recallrai_api.api.sessions import get_context as endpoint
    from recallrai_api.models import RecallStrategy as WireRecallStrategy
    from recallrai_api.types import UNSET

    ids = _session_ids(user_id, session_id)
    strategy = check.member(RecallStrategy, "recall_strategy", recall_strategy)
    low = check.integer("min_top_k", min_top_k, 5, 50)
    high = check.integer("max_top_k", max_top_k, 10, 100)
    if low > high:
        raise ValidationError(
            f"min_top_k ({min_top_k}) must not be greater than max_top_k ({max_top_k})"
        )
    built = endpoint.request_kwargs(
        *ids,
        recall_strategy=WireRecallStrategy(strategy.value),
        min_top_k=low,
        max_top_k=high,
        memories_threshold=check.number("memories_threshold", memories_threshold, 0.2, 0.8),
        summaries_threshold=check.number("summaries_threshold", summaries_threshold, 0.2, 0.8),
        last_n_messages=UNSET
        if last_n_messages is None
        else check.integer("last_n_messages", last_n_messages, 1, 100),
        last_n_summaries=UNSET
        if last_n_summaries is None
        else check.integer("last_n_summaries", last_n_summaries, 1, 20),
        timezone=UNSET if timezone is None else check.identifier("timezone", timezone),
        include_system_prompt=check.flag("include_system_prompt", include_system_prompt),
        include_metadata_ids=check.flag("include_metadata_ids", include_metadata_ids),
        stream=stream,
    )
    return _call("get_context", built, idempotent=True, streamed=stream)


def get_system_prompt(strategy: RecallStrategy) -> Call:
    from recallrai_api.api.system import get_system_prompt as endpoint
    from recallrai_api.models import RecallStrategy as WireRecallStrategy

    built = endpoint.request_kwargs(recall_strategy=WireRecallStrategy(strategy.value))
    return _call("get_system_prompt", built, idempotent=True)


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
    from recallrai_api.api.memories import list_memories as endpoint
    from recallrai_api.types import UNSET

    checked_user_id = check.identifier("user_id", user_id)
    offset, limit = _page(offset, limit, 200)
    encoded = check.json_filter("session_metadata_filter", session_metadata_filter)
    built = endpoint.request_kwargs(
        checked_user_id,
        offset=offset,
        limit=limit,
        categories=UNSET if categories is None else check.strings("categories", categories),
        session_id_filter=UNSET
        if session_id_filter is None
        else check.strings("session_id_filter", session_id_filter),
        session_metadata_filter=UNSET if encoded is None else encoded,
        include_previous_versions=check.flag(
            "include_previous_versions", include_previous_versions
        ),
        include_connected_memories=check.flag(
            "include_connected_memories", include_connected_memories
        ),
    )
    return _call("list_memories", built, idempotent=True)


def get_memory(
    user_id: str, memory_id: str, include_previous_versions: bool, include_connected_memories: bool
) -> Call:
    from recallrai_api.api.memories import get_memory as endpoint

    built = endpoint.request_kwargs(
        check.identifier("user_id", user_id),
        check.identifier("memory_id", memory_id),
        include_previous_versions=check.flag(
            "include_previous_versions", include_previous_versions
        ),
        include_connected_memories=check.flag(
            "include_connected_memories", include_connected_memories
        ),
    )
    return _call("get_memory", built, idempotent=True)


def delete_memory(user_id: str, memory_id: str, delete_previous_versions: bool) -> Call:
    from recallrai_api.api.memories import delete_memory as endpoint

    built = endpoint.request_kwargs(
        check.identifier("user_id", user_id),
        check.identifier("memory_id", memory_id),
        delete_previous_versions=check.flag("delete_previous_versions", delete_previous_versions),
    )
    return _call("delete_memory", built, idempotent=True, repeat_statuses=frozenset({404}))


def get_last_messages(user_id: str, n: int) -> Call:
    from recallrai_api.api.messages import get_last_messages as endpoint

    built = endpoint.request_kwargs(
        check.identifier("user_id", user_id), limit=check.integer("n", n, 1, 100)
    )
    return _call("get_last_messages", built, idempotent=True)


# Merge conflicts -----------------------------------------------------------------------


def list_merge_conflicts(
    user_id: str,
    offset: int,
    limit: int,
    status: MergeConflictStatus | str | None,
    sort_by: str,
    sort_order: str,
) -> Call:
    from recallrai_api.api.merge_conflicts import list_merge_conflicts as endpoint
    from recallrai_api.models import MergeConflictSortBy, SortOrder
    from recallrai_api.models import MergeConflictStatus as WireMergeConflictStatus
    from recallrai_api.types import UNSET

    checked_user_id = check.identifier("user_id", user_id)
    offset, limit = _page(offset, limit, 100)
    wire_status = (
        UNSET
        if status is None
        else WireMergeConflictStatus(check.member(MergeConflictStatus, "status", status).value)
    )
    built = endpoint.request_kwargs(
        checked_user_id,
        offset=offset,
        limit=limit,
        status=wire_status,
        sort_by=_spec_enum(MergeConflictSortBy, "sort_by", sort_by),
        sort_order=_spec_enum(SortOrder, "sort_order", sort_order),
    )
    return _call("list_merge_conflicts", built, idempotent=True)


def _spec_enum(enum: type[_E], name: str, value: object) -> _E:
    """``value`` as a member of one of the spec's closed request enums, else ValidationError."""
    try:
        return enum(value)
    except ValueError:
        allowed = " or ".join(repr(member.value) for member in enum)
        raise ValidationError(f"{name} must be {allowed}, not {value!r}") from None


def _conflict_ids(user_id: str, conflict_id: str) -> tuple[str, str]:
    return check.identifier("user_id", user_id), check.identifier("conflict_id", conflict_id)


def get_merge_conflict(user_id: str, conflict_id: str) -> Call:
    from recallrai_api.api.merge_conflicts import get_merge_conflict as endpoint

    built = endpoint.request_kwargs(*_conflict_ids(user_id, conflict_id))
    return _call("get_merge_conflict", built, idempotent=True)


def resolve_merge_conflict(user_id: str, conflict_id: str, answers: object) -> Call:
    from recallrai_api.api.merge_conflicts import resolve_merge_conflict as endpoint
    from recallrai_api.models import (
        MergeConflictAnswers,
        QuestionAnswer,
        ResolveMergeConflictRequest,
    )

    if isinstance(answers, str | bytes | Mapping) or not isinstance(answers, list | tuple):
        raise ValidationError("answers must be a list of MergeConflictAnswer")
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
        wire.append(QuestionAnswer.from_dict(answer.to_wire()))
    body = ResolveMergeConflictRequest(answers=MergeConflictAnswers(question_answers=wire))
    built = endpoint.request_kwargs(*_conflict_ids(user_id, conflict_id), body=body)
    # A repeat of a resolve that had succeeded answers 400 "already resolved"; any other
    # 400 (an invalid answer, say) is the caller's error and is raised, not swallowed.
    return _call(
        "resolve_merge_conflict",
        built,
        repeat_statuses=frozenset({400}),
        repeat_errors=(MergeConflictAlreadyResolvedError,),
    )
