"""SDK objects as the JSON the inspector page reads (plain dicts, ISO 8601 UTC times)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from recallrai.merge_conflict import MergeConflict
    from recallrai.models import Context, MemoryItem, Message
    from recallrai.session import Session
    from recallrai.user import User


def plain(value: Any) -> Any:
    """``value`` with datetimes, enums and dataclasses turned into JSON types."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _object(value: Any) -> dict[str, Any]:
    result = plain(value)
    assert isinstance(result, dict)
    return result


def user(u: User) -> dict[str, Any]:
    return _object(
        {
            "user_id": u.user_id,
            "metadata": u.metadata,
            "merge_conflict_enabled": u.merge_conflict_enabled,
            "created_at": u.created_at,
            "last_active_at": u.last_active_at,
        }
    )


def session(s: Session, message_count: int | None = None) -> dict[str, Any]:
    return _object(
        {
            "session_id": s.session_id,
            "user_id": s.user_id,
            "status": s.status,
            "created_at": s.created_at,
            "metadata": s.metadata,
            "message_count": message_count,
        }
    )


def message(m: Message) -> dict[str, Any]:
    return _object(m)


def memory(m: MemoryItem) -> dict[str, Any]:
    return _object(m)


def conflict(c: MergeConflict) -> dict[str, Any]:
    return _object(
        {
            "conflict_id": c.conflict_id,
            "user_id": c.user_id,
            "session_id": c.session_id,
            "status": c.status,
            "proposed_memory_content": c.proposed_memory_content,
            "new_memories": c.new_memories,
            "conflicting_memories": c.conflicting_memories,
            "clarifying_questions": c.clarifying_questions,
            "created_at": c.created_at,
            "resolved_at": c.resolved_at,
            "resolution_data": c.resolution_data,
        }
    )


def context(c: Context) -> dict[str, Any]:
    return {"context": c.context, "metadata": plain(c.metadata)}


def page(
    items: list[dict[str, Any]], *, total: int, offset: int, limit: int, has_more: bool
) -> dict[str, Any]:
    return {"items": items, "total": total, "offset": offset, "limit": limit, "has_more": has_more}
