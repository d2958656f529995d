"""A merge conflict: new information that contradicts a user's memories, to be resolved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .. import _operations as ops
from .._core import reading, unwrap
from ..models import (
    MergeConflictAnswer,
    MergeConflictConflictingMemory,
    MergeConflictNewMemory,
    MergeConflictQuestion,
    MergeConflictStatus,
    parse_datetime,
)
from ._api import AsyncAPI


class AsyncMergeConflict:
    """A merge conflict; its attributes are as of the last answer from the server."""

    conflict_id: str
    user_id: str
    session_id: str | None
    status: MergeConflictStatus
    proposed_memory_content: str | None
    new_memories: list[MergeConflictNewMemory]
    conflicting_memories: list[MergeConflictConflictingMemory]
    clarifying_questions: list[MergeConflictQuestion]
    created_at: datetime | None
    resolved_at: datetime | None
    resolution_data: dict[str, Any] | None

    def __init__(self, api: AsyncAPI, user_id: str, data: Mapping[str, Any]) -> None:
        self._api = api
        self.user_id = user_id
        self._apply(data)

    def _apply(self, data: Mapping[str, Any]) -> None:
        with reading("merge conflict"):
            body = unwrap(data, "conflict")
            self.conflict_id = str(body.get("id") or body.get("conflict_id") or "")
            self.session_id = body.get("project_user_session_id")
            self.status = MergeConflictStatus(body.get("status") or "PENDING")
            self.proposed_memory_content = body.get("proposed_memory_content")
            self.new_memories = [
                MergeConflictNewMemory.from_wire(m) for m in _objects(body, "new_memories")
            ]
            self.conflicting_memories = [
                MergeConflictConflictingMemory.from_wire(m)
                for m in _objects(body, "conflicting_memories")
            ]
            self.clarifying_questions = [
                MergeConflictQuestion.from_wire(q) for q in _objects(body, "clarifying_questions")
            ]
            self.created_at = parse_datetime(body.get("created_at"))
            self.resolved_at = parse_datetime(body.get("resolved_at"))
            resolution = body.get("resolution_data")
            self.resolution_data = dict(resolution) if isinstance(resolution, Mapping) else None

    @property
    def new_memory_content(self) -> str | None:
        """The README's name for ``proposed_memory_content``."""
        return self.proposed_memory_content

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(conflict_id={self.conflict_id!r}, status={self.status.value!r})"
        )

    async def resolve(self, answers: Sequence[MergeConflictAnswer]) -> None:
        """Answer the clarifying questions; this object is updated in place."""
        reply = await self._api.send(
            ops.resolve_merge_conflict(self.user_id, self.conflict_id, answers)
        )
        if reply.recovered:  # an earlier attempt went through; the repeat found it resolved
            await self.refresh()
        else:
            self._apply(reply.data)

    async def refresh(self) -> None:
        """Reload this conflict from the server."""
        reply = await self._api.send(ops.get_merge_conflict(self.user_id, self.conflict_id))
        self._apply(reply.data)


def _objects(body: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = body.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []
