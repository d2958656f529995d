"""Public enums and data types, parsed from the wire.

Parsing is tolerant by design: a newer server may add fields (ignored) or enum
values (kept as a pseudo-member whose ``.value`` is the raw string), and neither
breaks this SDK. All datetimes are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Self

__all__ = [
    "ConnectedMemory",
    "Context",
    "ContextMetadata",
    "DateRangeFilter",
    "MemoryItem",
    "MemoryRelationship",
    "MemoryVersion",
    "MemoryVersionInfo",
    "MergeConflictAnswer",
    "MergeConflictConflictingMemory",
    "MergeConflictNewMemory",
    "MergeConflictQuestion",
    "MergeConflictStatus",
    "Message",
    "MessageRole",
    "RecallStrategy",
    "SessionStatus",
    "UserMessage",
]


class _OpenEnum(StrEnum):
    """A string enum that accepts values it does not know instead of raising."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return member


class MessageRole(_OpenEnum):
    """Who wrote a message."""

    USER = "user"
    ASSISTANT = "assistant"


class SessionStatus(_OpenEnum):
    """Lifecycle of a session."""

    PENDING = "pending"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"
    INSUFFICIENT_BALANCE = "insufficient_balance"


class RecallStrategy(_OpenEnum):
    """How hard the service searches memory for context."""

    LOW_LATENCY = "low_latency"
    BALANCED = "balanced"
    AGENTIC = "agentic"
    AUTO = "auto"
    DEEP = "agentic"  # the README's older name for AGENTIC; an alias, same wire value


class MergeConflictStatus(_OpenEnum):
    """Lifecycle of a merge conflict (upper case on the wire)."""

    PENDING = "PENDING"
    IN_QUEUE = "IN_QUEUE"
    RESOLVING = "RESOLVING"
    RESOLVED = "RESOLVED"
    FAILED = "FAILED"


def parse_datetime(value: Any) -> datetime | None:
    """Parse an ISO 8601 time from the wire into an aware UTC datetime."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00", 1))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _dict(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    """The items of a wire list, for iterating (a JSON array comes back as is)."""
    if type(value) is list:  # the common case, without the slower ABC check
        return value
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


def _str_list(value: Any) -> list[str]:
    return [str(item) for item in _list(value)]


@dataclass(slots=True)
class Message:
    """One message of a session."""

    role: MessageRole
    content: str
    timestamp: datetime | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            role=MessageRole(data.get("role", "")),
            content=str(data.get("content", "")),
            timestamp=parse_datetime(data.get("timestamp")),
        )


@dataclass(slots=True)
class UserMessage:
    """One of a user's recent messages, across sessions."""

    role: MessageRole
    content: str
    timestamp: datetime | None
    session_id: str

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            role=MessageRole(data.get("role", "")),
            content=str(data.get("content", "")),
            timestamp=parse_datetime(data.get("timestamp")),
            session_id=str(data.get("session_id", "")),
        )


@dataclass(slots=True)
class LastMessages:
    """The answer of ``User.get_last_n_messages``."""

    messages: list[UserMessage]

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(messages=[UserMessage.from_wire(m) for m in _list(data.get("messages"))])


@dataclass(slots=True)
class MemoryVersion:
    """An earlier version of a memory."""

    memory_id: str
    version_number: int
    content: str
    created_at: datetime | None
    expired_at: datetime | None
    expiration_reason: str | None
    event_date_start: datetime | None = None
    event_date_end: datetime | None = None
    merge_conflict_id: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            memory_id=str(data.get("memory_id", "")),
            version_number=int(data.get("version_number") or 0),
            content=str(data.get("content", "")),
            created_at=parse_datetime(data.get("created_at")),
            expired_at=parse_datetime(data.get("expired_at")),
            expiration_reason=data.get("expiration_reason"),
            event_date_start=parse_datetime(data.get("event_date_start")),
            event_date_end=parse_datetime(data.get("event_date_end")),
            merge_conflict_id=data.get("merge_conflict_id"),
        )


@dataclass(slots=True)
class ConnectedMemory:
    """A memory related to another one."""

    memory_id: str
    content: str

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(memory_id=str(data.get("memory_id", "")), content=str(data.get("content", "")))


MemoryVersionInfo = MemoryVersion  # the README's name
MemoryRelationship = ConnectedMemory  # the README's name


@dataclass(slots=True)
class MemoryItem:
    """A memory: its latest version, with its history and connections when asked for."""

    memory_id: str
    categories: list[str]
    content: str
    created_at: datetime | None
    session_id: str | None
    version_number: int
    total_versions: int
    has_previous_versions: bool
    merge_conflict_in_progress: bool
    previous_versions: list[MemoryVersion] | None = None
    connected_memories: list[ConnectedMemory] | None = None
    event_date_start: datetime | None = None
    event_date_end: datetime | None = None
    merge_conflict_id: str | None = None
    expired_at: datetime | None = None
    expiration_reason: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        get = data.get  # bound once: this runs for every memory of every page
        previous = get("previous_versions")
        connected = get("connected_memories")
        return cls(
            memory_id=str(get("memory_id", "")),
            categories=_str_list(get("categories")),
            content=str(get("content", "")),
            created_at=parse_datetime(get("created_at")),
            session_id=get("session_id"),
            version_number=int(get("version_number") or 1),
            total_versions=int(get("total_versions") or 1),
            has_previous_versions=bool(get("has_previous_versions", False)),
            merge_conflict_in_progress=bool(get("merge_conflict_in_progress", False)),
            previous_versions=None
            if previous is None
            else [MemoryVersion.from_wire(v) for v in _list(previous)],
            connected_memories=None
            if connected is None
            else [ConnectedMemory.from_wire(c) for c in _list(connected)],
            event_date_start=parse_datetime(get("event_date_start")),
            event_date_end=parse_datetime(get("event_date_end")),
            merge_conflict_id=get("merge_conflict_id"),
            expired_at=parse_datetime(get("expired_at")),
            expiration_reason=get("expiration_reason"),
        )


@dataclass(slots=True)
class DateRangeFilter:
    """A date range the service searched memories in."""

    filter_type: str
    start_date: datetime | None
    end_date: datetime | None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            filter_type=str(data.get("filter_type", "")),
            start_date=parse_datetime(data.get("start_date")),
            end_date=parse_datetime(data.get("end_date")),
        )


@dataclass(slots=True)
class ContextMetadata:
    """How a context was recalled."""

    recall_strategy_used: RecallStrategy | None = None
    memory_ids: list[str] | None = None
    session_ids: list[str] | None = None
    agent_reasoning: str | None = None
    vector_search_queries: list[str] | None = None
    keywords: list[str] | None = None
    session_summaries_search_queries: list[str] | None = None
    date_range_filters: list[DateRangeFilter] | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        def strings(key: str) -> list[str] | None:
            value = data.get(key)
            return None if value is None else _str_list(value)

        strategy = data.get("recall_strategy_used")
        ranges = data.get("date_range_filters")
        return cls(
            recall_strategy_used=None if strategy is None else RecallStrategy(strategy),
            memory_ids=strings("memory_ids"),
            session_ids=strings("session_ids"),
            agent_reasoning=data.get("agent_reasoning"),
            vector_search_queries=strings("vector_search_queries"),
            keywords=strings("keywords"),
            session_summaries_search_queries=strings("session_summaries_search_queries"),
            date_range_filters=None
            if ranges is None
            else [DateRangeFilter.from_wire(r) for r in _list(ranges)],
        )


@dataclass(slots=True)
class Context:
    """Recalled context for a prompt; also each event of a context stream."""

    context: str
    is_final: bool = True
    status_update_message: str | None = None
    error_message: str | None = None
    metadata: ContextMetadata | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        metadata = data.get("metadata")
        return cls(
            context=str(data.get("context") or ""),
            is_final=bool(data.get("is_final", True)),
            status_update_message=data.get("status_update_message"),
            error_message=data.get("error_message"),
            metadata=None if metadata is None else ContextMetadata.from_wire(_dict(metadata)),
        )


@dataclass(slots=True)
class MergeConflictQuestion:
    """A clarifying question and the answers it accepts."""

    question: str
    options: list[str]

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(question=str(data.get("question", "")), options=_str_list(data.get("options")))


@dataclass(slots=True)
class MergeConflictNewMemory:
    """A memory the conflicting information would create."""

    content: str
    memory_id: str | None = None
    event_date_start: datetime | None = None
    event_date_end: datetime | None = None
    created_at: datetime | None = None

    @classmethod
    def _extra_fields(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        """Fields a subclass adds to what ``from_wire`` reads."""
        return {}

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            content=str(data.get("content", "")),
            memory_id=data.get("memory_id"),
            event_date_start=parse_datetime(data.get("event_date_start")),
            event_date_end=parse_datetime(data.get("event_date_end")),
            created_at=parse_datetime(data.get("created_at")),
            **cls._extra_fields(data),
        )


@dataclass(slots=True)
class MergeConflictConflictingMemory(MergeConflictNewMemory):
    """An existing memory the new information conflicts with, and why."""

    reason: str | None = None

    @classmethod
    def _extra_fields(cls, data: Mapping[str, Any]) -> dict[str, Any]:
        return {"reason": data.get("reason")}


@dataclass(slots=True, frozen=True)
class MergeConflictAnswer:
    """An answer to one clarifying question, for ``MergeConflict.resolve``."""

    question: str
    answer: str
    message: str | None = field(default=None)

    def to_wire(self) -> dict[str, str]:
        data = {"question": self.question, "answer": self.answer}
        if self.message is not None:
            data["message"] = self.message
        return data


_PAGES = frozenset(
    {"Page", "UserList", "SessionList", "MessageList", "MemoryList", "MergeConflictList"}
)


def __getattr__(name: str) -> Any:
    """The page types (``UserList``, ``AsyncUserList``, …) live in ``recallrai.pagination``."""
    if name in _PAGES or (name.startswith("Async") and name[5:] in _PAGES):
        from . import pagination

        return getattr(pagination, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
