# Derived from recallrai/_async by scripts/unasync. Do not edit: edit the async source.
"""A user of your application, and everything the service remembers about them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .. import _operations as ops
from .. import _validation as check
from .._core import page_fields, reading, unwrap
from ..models import (
    LastMessages,
    MemoryItem,
    MergeConflictStatus,
    SessionStatus,
    parse_datetime,
)
from ._api import SyncAPI
from .merge_conflict import MergeConflict
from .pagination import MemoryList, MergeConflictList, SessionList
from .session import Session


class User:
    """A user; its attributes are as of the last answer from the server.

    A user made with ``get_user(user_id, validate=False)`` has only ``user_id``
    until ``refresh()``.
    """

    user_id: str
    metadata: dict[str, Any] | None
    merge_conflict_enabled: bool | None
    created_at: datetime | None
    last_active_at: datetime | None

    def __init__(
        self, api: SyncAPI, data: Mapping[str, Any] | None = None, *, user_id: str = ""
    ) -> None:
        self._api = api
        self.user_id = user_id
        self.metadata = None
        self.merge_conflict_enabled = None
        self.created_at = None
        self.last_active_at = None
        if data is not None:
            self._apply(data)

    def _apply(self, data: Mapping[str, Any]) -> None:
        with reading("user"):
            body = unwrap(data, "user")
            self.user_id = str(body.get("custom_user_id", body.get("user_id", self.user_id)))
            metadata = body.get("metadata")
            self.metadata = dict(metadata) if isinstance(metadata, Mapping) else {}
            enabled = body.get("merge_conflict_enabled")
            self.merge_conflict_enabled = enabled if isinstance(enabled, bool) else None
            self.created_at = parse_datetime(body.get("created_at"))
            self.last_active_at = parse_datetime(body.get("last_active_at"))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(user_id={self.user_id!r})"

    def update(
        self,
        new_metadata: Mapping[str, Any] | None = None,
        new_user_id: str | None = None,
        merge_conflict_enabled: bool | None = None,
    ) -> None:
        """Change metadata, id or merge-conflict setting; this object is updated in place."""
        reply = self._api.send(
            ops.update_user(self.user_id, new_metadata, new_user_id, merge_conflict_enabled)
        )
        self._apply(reply.data)

    def refresh(self) -> None:
        """Reload this user from the server."""
        self._apply((self._api.send(ops.get_user(self.user_id))).data)

    def delete(self) -> None:
        """Delete the user and all their sessions, messages and memories."""
        self._api.send(ops.delete_user(self.user_id))

    # Sessions ------------------------------------------------------------------------

    def create_session(
        self,
        auto_process_after_seconds: int = 600,
        metadata: Mapping[str, Any] | None = None,
        custom_created_at_utc: datetime | None = None,
    ) -> Session:
        """Start a session; it is processed by itself after this many idle seconds (>= 600)."""
        reply = self._api.send(
            ops.create_session(
                self.user_id, auto_process_after_seconds, metadata, custom_created_at_utc
            )
        )
        return Session(self._api, self.user_id, reply.data)

    def get_session(self, session_id: str, validate: bool = True) -> Session:
        """A session by id; ``validate=False`` skips the lookup request for a trusted id."""
        if not validate:
            return Session(
                self._api, self.user_id, session_id=check.identifier("session_id", session_id)
            )
        reply = self._api.send(ops.get_session(self.user_id, session_id))
        return Session(self._api, self.user_id, reply.data)

    def list_sessions(
        self,
        offset: int = 0,
        limit: int = 10,
        metadata_filter: Mapping[str, Any] | None = None,
        user_metadata_filter: Mapping[str, Any] | None = None,
        status_filter: Sequence[SessionStatus | str] | None = None,
    ) -> SessionList:
        """A page of this user's sessions; iterate it to walk all of them."""
        reply = self._api.send(
            ops.list_sessions(
                self.user_id,
                offset,
                limit,
                metadata_filter,
                user_metadata_filter,
                status_filter,
            )
        )
        items, total, has_more = page_fields(reply.data, "sessions")
        return SessionList(
            [Session(self._api, self.user_id, s) for s in items],
            total=total,
            has_more=has_more,
            offset=offset,
            fetch=lambda next_offset: self.list_sessions(
                next_offset, limit, metadata_filter, user_metadata_filter, status_filter
            ),
        )

    # Memories and messages -------------------------------------------------------------

    def list_memories(
        self,
        categories: Sequence[str] | None = None,
        offset: int = 0,
        limit: int = 20,
        include_previous_versions: bool = True,
        include_connected_memories: bool = True,
        session_id_filter: Sequence[str] | None = None,
        session_metadata_filter: Mapping[str, Any] | None = None,
    ) -> MemoryList:
        """A page of this user's memories (limit up to 200); iterate it to walk all of them."""
        reply = self._api.send(
            ops.list_memories(
                self.user_id,
                offset=offset,
                limit=limit,
                categories=categories,
                session_id_filter=session_id_filter,
                session_metadata_filter=session_metadata_filter,
                include_previous_versions=include_previous_versions,
                include_connected_memories=include_connected_memories,
            )
        )
        items, total, has_more = page_fields(reply.data, "items")
        with reading("memories"):
            memories = [MemoryItem.from_wire(m) for m in items]
        return MemoryList(
            memories,
            total=total,
            has_more=has_more,
            offset=offset,
            fetch=lambda next_offset: self.list_memories(
                categories,
                next_offset,
                limit,
                include_previous_versions,
                include_connected_memories,
                session_id_filter,
                session_metadata_filter,
            ),
        )

    def get_memory(
        self,
        memory_id: str,
        include_previous_versions: bool = True,
        include_connected_memories: bool = True,
    ) -> MemoryItem:
        """One memory by the id of any of its versions."""
        reply = self._api.send(
            ops.get_memory(
                self.user_id, memory_id, include_previous_versions, include_connected_memories
            )
        )
        with reading("memory"):
            return MemoryItem.from_wire(unwrap(reply.data, "memory"))

    def delete_memory(self, memory_id: str, delete_previous_versions: bool = False) -> None:
        """Delete a memory, and its earlier versions if asked."""
        self._api.send(ops.delete_memory(self.user_id, memory_id, delete_previous_versions))

    def get_last_n_messages(self, n: int) -> LastMessages:
        """The user's ``n`` (1..100) most recent messages across all sessions."""
        reply = self._api.send(ops.get_last_messages(self.user_id, n))
        with reading("messages"):
            return LastMessages.from_wire(unwrap(reply.data, "messages"))

    # Merge conflicts -------------------------------------------------------------------

    def list_merge_conflicts(
        self,
        offset: int = 0,
        limit: int = 10,
        status: MergeConflictStatus | str | None = None,
        sort_by: str = "created_at",
        sort_order: str = "desc",
    ) -> MergeConflictList:
        """A page of this user's merge conflicts; iterate it to walk all of them."""
        sort_by = check.choice("sort_by", sort_by, ("created_at", "resolved_at"))
        sort_order = check.choice("sort_order", sort_order, ("asc", "desc"))
        reply = self._api.send(
            ops.list_merge_conflicts(self.user_id, offset, limit, status, sort_by, sort_order)
        )
        items, total, has_more = page_fields(reply.data, "conflicts")
        return MergeConflictList(
            [MergeConflict(self._api, self.user_id, c) for c in items],
            total=total,
            has_more=has_more,
            offset=offset,
            fetch=lambda next_offset: self.list_merge_conflicts(
                next_offset, limit, status, sort_by, sort_order
            ),
        )

    def get_merge_conflict(self, conflict_id: str) -> MergeConflict:
        """One merge conflict by id."""
        reply = self._api.send(ops.get_merge_conflict(self.user_id, conflict_id))
        return MergeConflict(self._api, self.user_id, reply.data)
