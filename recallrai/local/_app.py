"""The local RecallrAI server core: ``LocalApp.handle(request) -> response``.

Framework-free: routing, auth, validation and JSON live here, data in
:mod:`._store`, memory logic in :mod:`._engine`. Adapters (httpx transport,
HTTP server) call :meth:`LocalApp.handle` from any thread.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import pairwise
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from recallrai.local import _engine as engine
from recallrai.local._clock import Clock, format_time
from recallrai.local._store import MAX_INTEGER, Row, Store, metadata_matches
from recallrai.local._wire import (
    JSON,
    Body,
    HTTPError,
    LocalRequest,
    LocalResponse,
    Query,
    error_response,
    json_response,
    not_found_page,
)

__all__ = ["LocalApp"]

_log = logging.getLogger("recallrai.local")

MAX_BODY_BYTES = 1024 * 1024
SESSION_STATUSES = ("pending", "processing", "processed", "failed", "insufficient_balance")
CONFLICT_STATUSES = ("PENDING", "IN_QUEUE", "RESOLVING", "RESOLVED", "FAILED")
ROLES = ("user", "assistant")


@dataclass(frozen=True)
class _Call:
    """One routed request: who asks, for which ids, at what time."""

    request: LocalRequest
    project: str
    ids: list[str]
    now: datetime

    @property
    def stamp(self) -> str:
        return format_time(self.now)

    def query(self) -> Query:
        return Query(self.request.query)

    def body(self, *, allow_empty: bool = False) -> Body:
        if allow_empty and not self.request.body.strip():
            return Body(b"{}")
        return Body(self.request.body)


_Handler = Callable[[_Call], LocalResponse]


def _page(key: str, items: list[JSON], offset: int, total: int) -> JSON:
    return {key: items, "total": total, "has_more": offset + len(items) < total}


def _filter_text(value: JSON | None) -> str | None:
    return None if value is None else json.dumps(value)


class LocalApp:
    """An in-process RecallrAI server over SQLite (``db`` is a file path or ``:memory:``).

    ``background`` runs a worker thread that finishes processing on its own;
    without it, processing completes only in :meth:`run_due_work`.
    """

    def __init__(
        self,
        db: str = ":memory:",
        *,
        api_keys: Collection[str] | None = None,
        clock: Clock | None = None,
        merge_conflicts_default: bool = False,
        background: bool = True,
    ) -> None:
        self.clock: Clock = clock if clock is not None else Clock()
        self._store = Store(db)
        self._keys = frozenset(api_keys) if api_keys is not None else None
        self._merge_default = merge_conflicts_default
        self._work_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._routes = self._route_table()
        self._worker: threading.Thread | None = None
        if background:
            self._worker = threading.Thread(
                target=self._work_loop, name="recallrai-local-worker", daemon=True
            )
            self._worker.start()

    # -- lifecycle ------------------------------------------------------------------

    def close(self) -> None:
        """Stop the worker and close the database."""
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=10)
        with self._work_lock:
            self._store.close()

    def run_due_work(self) -> None:
        """Start processing idle sessions that are due and finish all queued processing."""
        with self._work_lock:
            if self._closed:
                return
            self._mark_due()
            for session in self._store.sessions_with_status("processing"):
                self._process(session["pk"])

    def _work_loop(self) -> None:
        while not self._closed:
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self._closed:
                return
            try:
                self.run_due_work()
            except Exception:  # the worker must survive; the session is marked failed
                _log.exception("background processing failed")

    def _mark_due(self) -> bool:
        """Move pending sessions idle past their deadline to ``processing``."""
        now = self.clock.now().timestamp()
        with self._store.lock:
            if not self._store.sessions_due(now):  # the common case: a read, no transaction
                return False
            with self._store.transaction():
                for session in self._store.sessions_due(now):
                    self._store.update_session(session["pk"], status="processing")
        return True

    def _process(self, session_pk: int) -> None:
        now = format_time(self.clock.now())
        try:
            with self._store.transaction():
                engine.process_session(self._store, session_pk, now, self._merge_default)
        except Exception:
            _log.exception("processing session %s failed", session_pk)
            with self._store.transaction():
                self._store.update_session(session_pk, status="failed")

    # -- dispatch -------------------------------------------------------------------

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one request (thread-safe)."""
        segments = request.path.split("/")
        if segments[:3] != ["", "api", "v1"]:
            return not_found_page()
        found = self._route([unquote(s) for s in segments[3:]])
        if found is None:
            return not_found_page()
        methods, ids = found
        handler = methods.get(request.method.upper())
        if handler is None:
            allow = ", ".join(sorted(methods))
            return json_response(405, {"detail": "Method Not Allowed"}, [("allow", allow)])
        key = request.headers.get("x-recallr-api-key", "")
        project = request.headers.get("x-recallr-project-id", "")
        if not (key.startswith("rai_") and project and (self._keys is None or key in self._keys)):
            return error_response(401, "Invalid API key or project ID")
        if len(request.body) > MAX_BODY_BYTES:
            return error_response(413, "Request body too large")
        try:
            if self._mark_due() and not self._closed:
                self._wake.set()
            return handler(_Call(request, project, ids, self.clock.now()))
        except HTTPError as exc:
            return exc.response
        except Exception:
            _log.exception("unhandled error for %s %s", request.method, request.path)
            return error_response(500, "Internal server error")

    def _route(self, segments: list[str]) -> tuple[dict[str, _Handler], list[str]] | None:
        for pattern, methods in self._routes:
            if len(pattern) != len(segments):
                continue
            if all(p is None or p == s for p, s in zip(pattern, segments, strict=True)):
                ids = [s for p, s in zip(pattern, segments, strict=True) if p is None]
                if all(ids):
                    return methods, ids
        return None

    def _route_table(self) -> list[tuple[tuple[str | None, ...], dict[str, _Handler]]]:
        u, s = None, None  # placeholders for path ids
        return [
            (("system-prompt",), {"GET": self._system_prompt}),
            (("users",), {"GET": self._list_users, "POST": self._create_user}),
            (
                ("users", u),
                {"GET": self._get_user, "PUT": self._update_user, "DELETE": self._delete_user},
            ),
            (("users", u, "sessions"), {"GET": self._list_sessions, "POST": self._create_session}),
            (
                ("users", u, "sessions", s),
                {
                    "GET": self._get_session,
                    "PUT": self._update_session,
                    "DELETE": self._delete_session,
                },
            ),
            (("users", u, "sessions", s, "add-message"), {"POST": self._add_message}),
            (("users", u, "sessions", s, "context"), {"GET": self._context}),
            (("users", u, "sessions", s, "process"), {"POST": self._process_session}),
            (("users", u, "sessions", s, "messages"), {"GET": self._session_messages}),
            (("users", u, "memories"), {"GET": self._list_memories}),
            (("users", u, "memory", s), {"GET": self._get_memory, "DELETE": self._delete_memory}),
            (("users", u, "messages"), {"GET": self._last_messages}),
            (("users", u, "merge-conflicts"), {"GET": self._list_conflicts}),
            (("users", u, "merge-conflicts", s), {"GET": self._get_conflict}),
            (("users", u, "merge-conflicts", s, "resolve"), {"POST": self._resolve_conflict}),
        ]

    # -- lookups ----------------------------------------------------------------------

    def _user(self, call: _Call) -> Row:
        row = self._store.user(call.project, call.ids[0])
        if row is None:
            raise HTTPError(404, f"User {call.ids[0]} not found")
        return row

    def _session(self, call: _Call, user: Row) -> Row:
        row = self._store.session(user["pk"], call.ids[1])
        if row is None:
            raise HTTPError(404, f"Session {call.ids[1]} not found")
        return row

    def _conflict(self, call: _Call, user: Row) -> Row:
        row = self._store.conflict(user["pk"], call.ids[1])
        if row is None:
            raise HTTPError(404, f"Merge conflict {call.ids[1]} not found")
        return row

    def _version(self, call: _Call, user: Row) -> Row:
        row = self._store.version(user["pk"], call.ids[1])
        if row is None:
            raise HTTPError(404, f"Memory {call.ids[1]} not found")
        return row

    # -- JSON shapes -----------------------------------------------------------------

    @staticmethod
    def _user_json(row: Row) -> JSON:
        flag = row["merge_conflict_enabled"]
        return {
            "custom_user_id": row["custom_user_id"],
            "metadata": json.loads(row["metadata"]),
            "merge_conflict_enabled": None if flag is None else bool(flag),
            "created_at": row["created_at"],
            "last_active_at": row["last_active_at"],
        }

    @staticmethod
    def _session_json(row: Row) -> JSON:
        return {
            "session_id": row["session_id"],
            "status": row["status"],
            "created_at": row["created_at"],
            "metadata": json.loads(row["metadata"]),
        }

    @staticmethod
    def _version_json(row: Row, successor: Row) -> JSON:
        """A previous version; it was expired when ``successor`` was written after it."""
        version: JSON = {
            "memory_id": row["memory_id"],
            "version_number": row["version_number"],
            "content": row["content"],
            "event_date_start": row["event_date_start"] or row["created_at"],
            "event_date_end": row["event_date_end"] or row["created_at"],
            "created_at": row["created_at"],
            "expired_at": row["expired_at"] or successor["created_at"],
            "expiration_reason": row["expiration_reason"] or "NEW_INFORMATION",
        }
        if version["expiration_reason"] == "MERGE_CONFLICT" and successor["conflict_id"]:
            # The conflict that expired this version is the one that wrote its successor.
            version["merge_conflict_id"] = successor["conflict_id"]
        return version

    def _memory_json(self, lineage_pk: int, previous: bool, connected: bool) -> JSON:
        lineage = self._store.lineage(lineage_pk)
        versions = self._store.versions(lineage_pk)
        assert lineage is not None and versions
        head = versions[-1]
        conflict = None
        if lineage["conflict_pk"] is not None:
            conflict = self._store.conflict_by_pk(lineage["conflict_pk"])
        in_progress = conflict is not None and conflict["status"] == "PENDING"
        memory: JSON = {
            "memory_id": head["memory_id"],
            "categories": json.loads(lineage["categories"]),
            "content": head["content"],
            # Versions written before event dates were kept have none: they hold from creation.
            "event_date_start": head["event_date_start"] or head["created_at"],
            "event_date_end": head["event_date_end"] or head["created_at"],
            "created_at": head["created_at"],
            "version_number": head["version_number"],
            "total_versions": len(versions),
            "has_previous_versions": len(versions) > 1,
            "merge_conflict_in_progress": in_progress,
            "session_id": head["session_id"],
        }
        if head["expired_at"] is not None:
            memory["expired_at"] = head["expired_at"]
            memory["expiration_reason"] = head["expiration_reason"]
        if previous:
            memory["previous_versions"] = [
                self._version_json(v, after) for v, after in pairwise(versions)
            ]
        if connected:
            memory["connected_memories"] = [
                {"memory_id": v["memory_id"], "content": v["content"]}
                for v in self._store.linked_heads(lineage_pk)
            ]
        return memory

    @staticmethod
    def _conflict_json(row: Row) -> JSON:
        conflict: JSON = {
            "id": row["conflict_id"],
            "project_user_session_id": row["session_id"],
            "proposed_memory_content": row["proposed_memory_content"],
            # What the resolution created: nothing before it, nothing if it kept the old memory.
            "new_memories": json.loads(row["new_memories"]) if _created_memory(row) else None,
            "conflicting_memories": json.loads(row["conflicting_memories"]),
            "clarifying_questions": json.loads(row["clarifying_questions"]),
            "status": row["status"],
            "created_at": row["created_at"],
        }
        if row["resolution_data"] is not None:
            conflict["resolution_data"] = json.loads(row["resolution_data"])
        if row["resolved_at"] is not None:
            conflict["resolved_at"] = row["resolved_at"]
        return conflict

    # -- users --------------------------------------------------------------------------

    def _create_user(self, call: _Call) -> LocalResponse:
        body = call.body()
        custom_id = body.text("custom_user_id", required=True, min_length=1)
        metadata = body.obj("metadata") or {}
        merge = body.optional_flag("merge_conflict_enabled")
        body.done()
        assert custom_id is not None
        with self._store.transaction():
            if self._store.user(call.project, custom_id) is not None:
                raise HTTPError(409, f"User with id {custom_id} already exists")
            pk = self._store.add_user(
                call.project, custom_id, json.dumps(metadata), merge, call.stamp
            )
            row = self._store.user_by_pk(pk)
        assert row is not None
        return json_response(201, self._user_json(row))

    def _list_users(self, call: _Call) -> LocalResponse:
        query = call.query()
        offset = query.integer("offset", 0, ge=0) or 0
        limit = query.integer("limit", 10, ge=1, le=100) or 10
        wanted = query.json_object("metadata_filter")
        query.done()
        rows, total = self._store.users(call.project, offset, limit, _filter_text(wanted))
        return json_response(200, _page("users", [self._user_json(r) for r in rows], offset, total))

    def _get_user(self, call: _Call) -> LocalResponse:
        with self._store.lock:
            return json_response(200, self._user_json(self._user(call)))

    def _update_user(self, call: _Call) -> LocalResponse:
        body = call.body()
        metadata = body.obj("new_metadata")
        new_id = body.text("new_custom_user_id", min_length=1)
        merge = body.optional_flag("merge_conflict_enabled")
        body.done()
        changes: dict[str, object] = {}
        if metadata is not None:
            changes["metadata"] = json.dumps(metadata)
        if body.has("merge_conflict_enabled"):
            changes["merge_conflict_enabled"] = merge
        with self._store.transaction():
            user = self._user(call)
            if new_id is not None and new_id != user["custom_user_id"]:
                if self._store.user(call.project, new_id) is not None:
                    raise HTTPError(409, f"User with id {new_id} already exists")
                changes["custom_user_id"] = new_id
            self._store.update_user(user["pk"], **changes)
            row = self._store.user_by_pk(user["pk"])
        assert row is not None
        return json_response(200, self._user_json(row))

    def _delete_user(self, call: _Call) -> LocalResponse:
        with self._store.transaction():
            self._store.delete_user(self._user(call)["pk"])
        return json_response(204, None)

    # -- sessions -----------------------------------------------------------------------

    def _create_session(self, call: _Call) -> LocalResponse:
        body = call.body(allow_empty=True)
        # No maximum in the API: a longer wait than SQLite can store is as good as never.
        auto = min(body.integer("auto_process_after_seconds", 600, ge=600), MAX_INTEGER)
        metadata = body.obj("metadata") or {}
        created = body.time("custom_created_at_utc")
        body.done()
        session_id = str(uuid.uuid4())
        created_at = format_time(created) if created is not None else call.stamp
        with self._store.transaction():
            user = self._user(call)
            deadline = call.now.timestamp() + auto
            self._store.add_session(
                session_id, user["pk"], json.dumps(metadata), created_at, auto, deadline
            )
            self._store.update_user(user["pk"], last_active_at=call.stamp)
            row = self._store.session(user["pk"], session_id)
        assert row is not None
        return json_response(201, self._session_json(row))

    def _list_sessions(self, call: _Call) -> LocalResponse:
        query = call.query()
        offset = query.integer("offset", 0, ge=0) or 0
        limit = query.integer("limit", 10, ge=1, le=100) or 10
        wanted = query.json_object("metadata_filter")
        user_wanted = query.json_object("user_metadata_filter")
        statuses = query.choices("status_filter", SESSION_STATUSES)
        query.done()
        with self._store.lock:
            user = self._user(call)
            if user_wanted is not None and not metadata_matches(
                user["metadata"], json.dumps(user_wanted)
            ):
                return json_response(200, _page("sessions", [], offset, 0))
            rows, total = self._store.sessions(
                user["pk"], offset, limit, _filter_text(wanted), statuses
            )
        items = [self._session_json(r) for r in rows]
        return json_response(200, _page("sessions", items, offset, total))

    def _get_session(self, call: _Call) -> LocalResponse:
        with self._store.lock:
            return json_response(200, self._session_json(self._session(call, self._user(call))))

    def _update_session(self, call: _Call) -> LocalResponse:
        body = call.body()
        metadata = body.obj("new_metadata")
        body.done()
        with self._store.transaction():
            session = self._session(call, self._user(call))
            if metadata is not None:
                self._store.update_session(session["pk"], metadata=json.dumps(metadata))
            row = self._store.session_by_pk(session["pk"])
        assert row is not None
        return json_response(200, self._session_json(row))

    def _delete_session(self, call: _Call) -> LocalResponse:
        with self._store.transaction():
            engine.delete_session(self._store, self._session(call, self._user(call)))
        return json_response(204, None)

    def _add_message(self, call: _Call) -> LocalResponse:
        body = call.body()
        message = body.text("message", required=True)
        role = body.choice("role", ROLES)
        body.done()
        assert message is not None and role is not None
        with self._store.transaction():
            user = self._user(call)
            session = self._session(call, user)
            if session["status"] != "pending":
                detail = f"Cannot add message to session in {session['status']} state"
                raise HTTPError(400, detail)
            self._store.add_message(session["pk"], user["pk"], role, message, call.stamp)
            deadline = call.now.timestamp() + session["auto_process_after_seconds"]
            self._store.update_session(session["pk"], idle_deadline=deadline)
            self._store.update_user(user["pk"], last_active_at=call.stamp)
        return json_response(200, {"message": "Message added successfully"})

    def _process_session(self, call: _Call) -> LocalResponse:
        with self._store.transaction():
            session = self._session(call, self._user(call))
            status = session["status"]
            if status == "processing":
                raise HTTPError(400, "Session is already processing")
            if status != "pending":
                raise HTTPError(400, f"Cannot process session in {status} state")
            self._store.update_session(session["pk"], status="processing")
        self._wake.set()
        return json_response(200, {"message": "Session processing started"})

    def _session_messages(self, call: _Call) -> LocalResponse:
        query = call.query()
        offset = query.integer("offset", 0, ge=0) or 0
        limit = query.integer("limit", 50, ge=1, le=200) or 50
        query.done()
        with self._store.lock:
            session = self._session(call, self._user(call))
            rows, total = self._store.messages(session["pk"], offset, limit)
        items = [
            {"role": r["role"], "content": r["content"], "timestamp": r["timestamp"]} for r in rows
        ]
        return json_response(200, _page("messages", items, offset, total))

    def _last_messages(self, call: _Call) -> LocalResponse:
        query = call.query()
        limit = query.integer("limit", 10, ge=1, le=100) or 10  # 0.6.6 documents 10
        query.done()
        with self._store.lock:
            rows = self._store.last_messages_of_user(self._user(call)["pk"], limit)
        items = [
            {
                "role": r["role"],
                "content": r["content"],
                "timestamp": r["timestamp"],
                "session_id": r["session_id"],
            }
            for r in rows
        ]
        return json_response(200, {"messages": items})

    # -- context ------------------------------------------------------------------------

    def _system_prompt(self, call: _Call) -> LocalResponse:
        query = call.query()
        strategy = query.choice("recall_strategy", engine.RECALL_STRATEGIES, "balanced")
        query.done()
        return json_response(200, {"system_prompt": engine.system_prompt(strategy or "balanced")})

    def _context(self, call: _Call) -> LocalResponse:
        query = call.query()
        strategy = query.choice("recall_strategy", engine.RECALL_STRATEGIES, "balanced")
        options = engine.RecallOptions(
            min_top_k=query.integer("min_top_k", 15, ge=5, le=50) or 15,
            max_top_k=query.integer("max_top_k", 50, ge=10, le=100) or 50,
            memories_threshold=query.number("memories_threshold", 0.6, 0.2, 0.8),
            summaries_threshold=query.number("summaries_threshold", 0.5, 0.2, 0.8),
            last_n_messages=query.integer("last_n_messages", None, ge=1, le=100),
            last_n_summaries=query.integer("last_n_summaries", None, ge=1, le=20),
        )
        zone_name = query.text("timezone") or "UTC"
        zone = _zone(zone_name)
        if zone is None:
            query.fail(
                "value_error",
                ["query", "timezone"],
                f"Value error, Invalid timezone: {zone_name}",
                zone_name,
            )
        with_prompt = query.flag("include_system_prompt", True)
        with_ids = query.flag("include_metadata_ids", False)
        stream = query.flag("stream", False)
        query.done()
        assert zone is not None
        used = "balanced" if strategy in (None, "auto") else strategy
        with self._store.lock:
            session = self._session(call, self._user(call))
            found = engine.recall(self._store, session, options, call.now, zone, zone_name)
        text = found.text
        if with_prompt:
            text = engine.system_prompt(used) + "\n\n\n" + text
        metadata: JSON = {"recall_strategy_used": used}
        if with_ids:
            metadata["memory_ids"] = found.memory_ids
            metadata["session_ids"] = found.session_ids
        if used != "low_latency":
            metadata["keywords"] = found.keywords
        if used == "agentic":
            metadata["agent_reasoning"] = (
                f"Searched memories and session summaries for: {', '.join(found.keywords)}"
                if found.keywords
                else "No keywords in the recent conversation; used the most recent memories."
            )
        final: JSON = {"is_final": True, "context": text, "metadata": metadata}
        if not stream:
            return json_response(200, final)
        steps = ["Reading the recent conversation", "Searching memories and session summaries"]
        if used == "agentic":
            steps.append("Reasoning over what was found")
        events = [{"is_final": False, "status_update_message": step} for step in steps]
        events.append(final)
        chunks = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n".encode() for e in events]
        headers = [("content-type", "text/event-stream"), ("cache-control", "no-cache")]
        return LocalResponse(200, headers, b"", iter(chunks))

    # -- memories -----------------------------------------------------------------------

    def _list_memories(self, call: _Call) -> LocalResponse:
        query = call.query()
        offset = query.integer("offset", 0, ge=0) or 0
        limit = query.integer("limit", 20, ge=1, le=200) or 20
        categories = query.many("categories")
        session_ids = query.many("session_id_filter")
        wanted = query.json_object("session_metadata_filter")
        previous = query.flag("include_previous_versions", True)
        connected = query.flag("include_connected_memories", True)
        query.done()
        with self._store.lock:
            user = self._user(call)
            invalid = [c for c in dict.fromkeys(categories) if c not in engine.CATEGORIES]
            if invalid:
                detail = {"message": "Invalid categories provided", "invalid_categories": invalid}
                raise HTTPError(400, detail)
            rows, total = self._store.memories(
                user["pk"], offset, limit, categories, session_ids, _filter_text(wanted)
            )
            items = [self._memory_json(r["lineage_pk"], previous, connected) for r in rows]
        return json_response(200, _page("items", items, offset, total))

    def _get_memory(self, call: _Call) -> LocalResponse:
        query = call.query()
        previous = query.flag("include_previous_versions", True)
        connected = query.flag("include_connected_memories", True)
        query.done()
        with self._store.lock:
            version = self._version(call, self._user(call))
            return json_response(200, self._memory_json(version["lineage_pk"], previous, connected))

    def _delete_memory(self, call: _Call) -> LocalResponse:
        query = call.query()
        everything = query.flag("delete_previous_versions", False)
        query.done()
        with self._store.transaction():
            engine.delete_memory(self._store, self._version(call, self._user(call)), everything)
        return json_response(204, None)

    # -- merge conflicts ----------------------------------------------------------------

    def _list_conflicts(self, call: _Call) -> LocalResponse:
        query = call.query()
        offset = query.integer("offset", 0, ge=0) or 0
        limit = query.integer("limit", 10, ge=1, le=100) or 10
        status = query.choice("status", CONFLICT_STATUSES, None)
        sort_by = query.choice("sort_by", ("created_at", "resolved_at"), "created_at")
        sort_order = query.choice("sort_order", ("asc", "desc"), "desc")
        query.done()
        with self._store.lock:
            user = self._user(call)
            rows, total = self._store.conflicts(
                user["pk"], offset, limit, status, sort_by or "created_at", sort_order or "desc"
            )
        items = [self._conflict_json(r) for r in rows]
        return json_response(200, _page("conflicts", items, offset, total))

    def _get_conflict(self, call: _Call) -> LocalResponse:
        with self._store.lock:
            return json_response(200, self._conflict_json(self._conflict(call, self._user(call))))

    def _resolve_conflict(self, call: _Call) -> LocalResponse:
        answers = _parse_answers(call.body())
        with self._store.transaction():
            conflict = self._conflict(call, self._user(call))
            choice = _check_answers(conflict, answers)
            engine.resolve_conflict(self._store, conflict, choice, answers, call.stamp)
            row = self._store.conflict_by_pk(conflict["pk"])
        assert row is not None
        return json_response(200, self._conflict_json(row))


# -- helpers ----------------------------------------------------------------------------


def _created_memory(conflict: Row) -> bool:
    """The conflict is resolved and its resolution stored its proposed memory."""
    if conflict["status"] != "RESOLVED" or conflict["resolution_data"] is None:
        return False
    return bool(json.loads(conflict["resolution_data"]).get("applied") != "kept_existing_memory")


def _zone(name: str) -> tzinfo | None:
    """The IANA zone ``name``, or None if there is no such zone."""
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError, OSError for odd names
        return None


def _parse_answers(body: Body) -> list[dict[str, str]]:
    """The ``answers.question_answers`` list of a resolve body, shape-checked (422)."""
    answers = body.obj("answers")
    if answers is None and not body.problems:
        body.fail("missing", ["body", "answers"], "Field required", body.fields)
    items: Any = (answers or {}).get("question_answers")
    base: list[str | int] = ["body", "answers", "question_answers"]
    if answers is not None and not isinstance(items, list):
        kind, msg = (
            ("missing", "Field required")
            if items is None
            else ("list_type", "Input should be a valid list")
        )
        body.fail(kind, base, msg, items)
    parsed: list[dict[str, str]] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            body.fail("model_type", [*base, i], "Input should be a valid dictionary", item)
            continue
        entry: dict[str, str] = {}
        for name in ("question", "answer", "message"):
            value = item.get(name)
            if value is None:
                if name != "message":
                    body.fail("missing", [*base, i, name], "Field required", item)
            elif not isinstance(value, str):
                body.fail("string_type", [*base, i, name], "Input should be a valid string", value)
            else:
                entry[name] = value
        parsed.append(entry)
    body.done()
    return parsed


def _check_answers(conflict: Row, answers: list[dict[str, str]]) -> str:
    """Validate answers against the conflict's questions (400s); return the first choice."""
    if conflict["status"] != "PENDING":
        raise HTTPError(400, "Merge conflict already resolved", error_code="already_resolved")
    questions = {q["question"]: q["options"] for q in json.loads(conflict["clarifying_questions"])}
    given = {a["question"]: a["answer"] for a in answers}
    invalid = [q for q in given if q not in questions]
    if invalid:
        raise HTTPError(
            400,
            f"Invalid questions provided: {invalid}",
            error_code="invalid_questions",
            invalid_questions=invalid,
        )
    missing = [q for q in questions if q not in given]
    if missing:
        raise HTTPError(
            400,
            f"Missing answers for the following questions: {missing}",
            error_code="missing_answers",
            missing_questions=missing,
        )
    for question, answer in given.items():
        options = questions[question]
        if answer not in options:
            raise HTTPError(
                400,
                f"Invalid answer '{answer}' for question '{question}'. Valid options: {options}",
                error_code="invalid_answer",
                question=question,
                answer=answer,
                valid_options=options,
            )
    return given[next(iter(questions))]
