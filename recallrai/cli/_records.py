"""SDK objects as plain JSON-ready dicts: what ``--json`` prints and ``export`` writes.

Field names follow the API's wire names where the SDK keeps them.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

_SCALARS = frozenset({str, int, float, bool, type(None)})


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields of a dataclass type (``None`` for other types), looked up once per type."""
    if cls not in _FIELDS:
        import dataclasses

        is_record = dataclasses.is_dataclass(cls)
        _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_record else None
    return _FIELDS[cls]


def plain(value: Any) -> Any:
    """``value`` with datetimes, enums and dataclasses turned into JSON types.

    Dispatches on the exact type first: an export converts every memory of every
    user, and the generic checks were most of its CPU time.
    """
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is datetime:
        return value.isoformat()
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if kind is dict:
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Enum):
        return value.value
    names = _field_names(kind)
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def user(u: Any) -> dict[str, Any]:
    return {
        "user_id": u.user_id,
        "metadata": plain(u.metadata or {}),
        "merge_conflict_enabled": u.merge_conflict_enabled,
        "created_at": plain(u.created_at),
        "last_active_at": plain(u.last_active_at),
    }


def session(s: Any) -> dict[str, Any]:
    return {
        "user_id": s.user_id,
        "session_id": s.session_id,
        "status": plain(s.status),
        "created_at": plain(s.created_at),
        "metadata": plain(s.metadata or {}),
    }


def message(user_id: str, session_id: str, m: Any) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "session_id": session_id,
        "role": plain(m.role),
        "content": m.content,
        "timestamp": plain(m.timestamp),
    }


def memory(user_id: str, m: Any) -> dict[str, Any]:
    return {"user_id": user_id, **plain(m)}


def conflict(c: Any) -> dict[str, Any]:
    return {
        "user_id": c.user_id,
        "conflict_id": c.conflict_id,
        "session_id": c.session_id,
        "status": plain(c.status),
        "proposed_memory_content": c.proposed_memory_content,
        "new_memories": plain(c.new_memories),
        "conflicting_memories": plain(c.conflicting_memories),
        "clarifying_questions": plain(c.clarifying_questions),
        "created_at": plain(c.created_at),
        "resolved_at": plain(c.resolved_at),
        "resolution_data": plain(c.resolution_data),
    }


def context(c: Any) -> dict[str, Any]:
    return plain(c)  # type: ignore[no-any-return]
