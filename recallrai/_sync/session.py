# Derived from recallrai/_async by scripts/unasync. Do not edit: edit the async source.
"""A conversation session of a user: messages in, recalled context out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from .. import _operations as ops
from .. import _validation as check
from .._core import page_fields, reading, unwrap
from ..models import (
    Context,
    Message,
    MessageRole,
    RecallStrategy,
    SessionStatus,
    parse_datetime,
)
from ._api import SyncAPI
from .pagination import MessageList


class Session:
    """A session; its attributes are as of the last answer from the server."""

    session_id: str
    user_id: str
    status: SessionStatus | None
    created_at: datetime | None
    metadata: dict[str, Any] | None

    def __init__(
        self,
        api: SyncAPI,
        user_id: str,
        data: Mapping[str, Any] | None = None,
        *,
        session_id: str = "",
    ) -> None:
        self._api = api
        self.user_id = user_id
        self.session_id = session_id
        self.status = None
        self.created_at = None
        self.metadata = None
        if data is not None:
            self._apply(data)

    def _apply(self, data: Mapping[str, Any]) -> None:
        with reading("session"):
            body = unwrap(data, "session")
            self.session_id = str(body.get("session_id", self.session_id))
            status = body.get("status")
            self.status = None if status is None else SessionStatus(status)
            self.created_at = parse_datetime(body.get("created_at"))
            metadata = body.get("metadata")
            self.metadata = dict(metadata) if isinstance(metadata, Mapping) else {}

    def __repr__(self) -> str:
        status = None if self.status is None else self.status.value
        return f"{type(self).__name__}(session_id={self.session_id!r}, status={status!r})"

    def add_message(self, role: MessageRole | str, content: str) -> None:
        """Add a message. Never sent twice: it is not retried once it may have arrived."""
        self._api.send(ops.add_message(self.user_id, self.session_id, role, content))

    def get_context(
        self,
        recall_strategy: RecallStrategy | str = RecallStrategy.BALANCED,
        min_top_k: int = 15,
        max_top_k: int = 50,
        memories_threshold: float = 0.6,
        summaries_threshold: float = 0.5,
        last_n_messages: int | None = None,
        last_n_summaries: int | None = None,
        timezone: str | None = None,
        include_system_prompt: bool = True,
        include_metadata_ids: bool = False,
    ) -> Context:
        """Memories and summaries relevant to the conversation so far, as prompt text.

        The default system prompt is fetched once per strategy and cached by the
        client, then prepended here, so it does not cross the wire on every turn.
        """
        prepend = check.flag("include_system_prompt", include_system_prompt)
        call = ops.get_context(
            self.user_id,
            self.session_id,
            recall_strategy=recall_strategy,
            min_top_k=min_top_k,
            max_top_k=max_top_k,
            memories_threshold=memories_threshold,
            summaries_threshold=summaries_threshold,
            last_n_messages=last_n_messages,
            last_n_summaries=last_n_summaries,
            timezone=timezone,
            include_system_prompt=False,
            include_metadata_ids=include_metadata_ids,
            stream=False,
        )
        reply = self._api.send(call)
        with reading("context"):
            context = Context.from_wire(unwrap(reply.data, "context"))
        if prepend:
            self._prepend_prompt(context, recall_strategy)
        return context

    def get_context_stream(
        self,
        recall_strategy: RecallStrategy | str = RecallStrategy.BALANCED,
        min_top_k: int = 15,
        max_top_k: int = 50,
        memories_threshold: float = 0.6,
        summaries_threshold: float = 0.5,
        last_n_messages: int | None = None,
        last_n_summaries: int | None = None,
        timezone: str | None = None,
        include_system_prompt: bool = True,
        include_metadata_ids: bool = False,
    ) -> Iterator[Context]:
        """Like ``get_context``, streamed: status events, then the final context."""
        prepend = check.flag("include_system_prompt", include_system_prompt)
        call = ops.get_context(
            self.user_id,
            self.session_id,
            recall_strategy=recall_strategy,
            min_top_k=min_top_k,
            max_top_k=max_top_k,
            memories_threshold=memories_threshold,
            summaries_threshold=summaries_threshold,
            last_n_messages=last_n_messages,
            last_n_summaries=last_n_summaries,
            timezone=timezone,
            include_system_prompt=False,
            include_metadata_ids=include_metadata_ids,
            stream=True,
        )
        with self._api.stream(call) as events:
            for event in events:
                if event.is_final and prepend and not event.error_message:
                    self._prepend_prompt(event, recall_strategy)
                yield event

    def _prepend_prompt(self, context: Context, requested: RecallStrategy | str) -> None:
        used = context.metadata.recall_strategy_used if context.metadata else None
        known = RecallStrategy.__members__.values()
        strategy = (
            used
            if used is not None and used in known
            else check.member(RecallStrategy, "recall_strategy", requested)
        )
        if strategy is RecallStrategy.AUTO or strategy not in known:
            strategy = RecallStrategy.BALANCED
        prompt = self._api.system_prompt(strategy)
        context.context = f"{prompt}\n\n\n{context.context}"

    def process(self) -> None:
        """Ask the service to turn this session into memories (it runs in the background)."""
        self._api.send(ops.process_session(self.user_id, self.session_id))
        self.status = SessionStatus.PROCESSING

    def get_messages(self, offset: int = 0, limit: int = 50) -> MessageList:
        """A page of this session's messages, oldest first."""
        reply = self._api.send(
            ops.list_session_messages(self.user_id, self.session_id, offset, limit)
        )
        items, total, has_more = page_fields(reply.data, "messages")
        with reading("messages"):
            messages = [Message.from_wire(m) for m in items]
        return MessageList(
            messages,
            total=total,
            has_more=has_more,
            offset=offset,
            fetch=lambda next_offset: self.get_messages(next_offset, limit),
        )

    def update(self, new_metadata: Mapping[str, Any]) -> None:
        """Replace the session's metadata; this object is updated in place."""
        reply = self._api.send(
            ops.update_session(self.user_id, self.session_id, new_metadata)
        )
        self._apply(reply.data)

    def refresh(self) -> None:
        """Reload this session from the server."""
        reply = self._api.send(ops.get_session(self.user_id, self.session_id))
        self._apply(reply.data)

    def delete(self) -> None:
        """Delete the session with its messages, memories and conflicts."""
        self._api.send(ops.delete_session(self.user_id, self.session_id))
