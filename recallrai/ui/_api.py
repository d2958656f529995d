"""The inspector's JSON API: each route reads or resolves through the public SDK.

Every route is a read (GET) except resolving a merge conflict (POST). Input is
checked here only as far as turning query strings into Python values; the SDK's
own validation does the rest, so the page gets the same errors as SDK users.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

from recallrai import exceptions as errors
from recallrai._version import __version__
from recallrai.models import MergeConflictAnswer

from . import _views as views

if TYPE_CHECKING:
    from recallrai import RecallrAI
    from recallrai.user import User

Query = Mapping[str, list[str]]

SEARCH_SCAN_LIMIT = 2000
"""A user search reads at most this many users per request (the API has no id search)."""

CONTEXT_MEMORY_PAGE = 50
"""The context preview lists all memories 50 a page, the used ones highlighted."""

MAX_PAGE = {"users": 100, "sessions": 100, "messages": 200, "memories": 200, "conflicts": 100}


# At most this many pending conflicts are read to link memories to theirs.
MAX_PENDING_SCAN = 1_000


class ApiError(Exception):
    """An answer other than 200, with a JSON body ``{"error": {...}}``."""

    def __init__(self, status: int, kind: str, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": kind, "message": message, **fields}}


def sdk_error(error: errors.RecallrAIError) -> ApiError:
    """The SDK's error as the page shows it: its class, message and typed fields."""
    fields: dict[str, Any] = {"upstream_status": error.http_status}
    for name in (
        "invalid_questions",
        "missing_questions",
        "question",
        "valid_options",
        "invalid_categories",
        "retry_after",
    ):
        if hasattr(error, name):
            fields[name] = getattr(error, name)
    if isinstance(error, errors.ValidationError):
        status = 422
    elif isinstance(error, errors.NetworkError | errors.ServerError | errors.AuthenticationError):
        status = 502  # the API behind the proxy failed or refused the proxy's key
    elif error.http_status is not None and 400 <= error.http_status < 500:
        status = error.http_status
    else:
        status = 502
    return ApiError(status, type(error).__name__, error.message, **fields)


@dataclass
class Request:
    method: str
    segments: list[str]
    query: Query
    body: bytes


class Api:
    """Routes ``/api/...`` requests to the SDK client."""

    def __init__(self, client: RecallrAI, pool: ThreadPoolExecutor) -> None:
        self.client = client
        self.pool = pool
        self._routes: list[tuple[str, tuple[str, ...], Callable[..., Any]]] = [
            ("GET", ("info",), self.info),
            ("GET", ("users",), self.users),
            ("GET", ("users", "*"), self.user),
            ("GET", ("users", "*", "sessions"), self.sessions),
            ("GET", ("users", "*", "sessions", "*"), self.session),
            ("GET", ("users", "*", "sessions", "*", "messages"), self.messages),
            ("GET", ("users", "*", "sessions", "*", "context"), self.context),
            ("GET", ("users", "*", "memories"), self.memories),
            ("GET", ("users", "*", "memories", "*"), self.memory),
            ("GET", ("users", "*", "conflicts"), self.conflicts),
            ("GET", ("users", "*", "conflicts", "*"), self.conflict),
            ("POST", ("users", "*", "conflicts", "*", "resolve"), self.resolve),
        ]

    def handle(self, method: str, raw_path: str, query: Query, body: bytes) -> Any:
        """The JSON answer for ``/api/<raw_path>``; raises ``ApiError``."""
        segments = [_segment(s) for s in raw_path.split("/")] if raw_path else []
        allowed = []
        for verb, pattern, handler in self._routes:
            if len(pattern) != len(segments):
                continue
            if all(p == "*" or p == s for p, s in zip(pattern, segments, strict=True)):
                if verb == method:
                    ids = [s for p, s in zip(pattern, segments, strict=True) if p == "*"]
                    try:
                        return handler(Request(method, segments, query, body), *ids)
                    except errors.RecallrAIError as error:
                        raise sdk_error(error) from None
                allowed.append(verb)
        if allowed:
            raise ApiError(405, "MethodNotAllowed", f"use {', '.join(allowed)} here")
        raise ApiError(404, "NotFound", "no such API route")

    # -- routes ---------------------------------------------------------------------

    def info(self, request: Request) -> dict[str, Any]:
        return {
            "base_url": _without_userinfo(self.client.base_url),
            "project_id": self.client.project_id,
            "version": __version__,
        }

    def users(self, request: Request) -> dict[str, Any]:
        q = request.query
        offset = _int(q, "offset", 0)
        limit = _int(q, "limit", 25)
        metadata_filter = _json_object(q, "metadata_filter")
        search = _str(q, "q").strip()
        if not search:
            page = self.client.list_users(offset, limit, metadata_filter)
            return views.page(
                [views.user(u) for u in page.users],
                total=page.total,
                offset=offset,
                limit=limit,
                has_more=page.has_more,
            )
        return self._search_users(search, offset, limit, metadata_filter)

    def _search_users(
        self, search: str, offset: int, limit: int, metadata_filter: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Users whose id or metadata contains ``search``, scanning from ``offset``.

        The API lists users but cannot search them, so this walks pages (at most
        ``SEARCH_SCAN_LIMIT`` users per request) and says where to continue.
        """
        if not 1 <= limit <= MAX_PAGE["users"]:
            raise ApiError(422, "ValidationError", f"limit must be between 1 and 100, not {limit}")
        needle = search.casefold()
        found: list[dict[str, Any]] = []
        scanned_to, total, at_end = offset, 0, False
        while len(found) < limit and scanned_to - offset < SEARCH_SCAN_LIMIT:
            page = self.client.list_users(scanned_to, min(100, SEARCH_SCAN_LIMIT), metadata_filter)
            total = page.total
            if not page.users:
                at_end = True
                break
            for u in page.users:
                scanned_to += 1
                text = u.user_id + " " + json.dumps(u.metadata or {}, ensure_ascii=False)
                if needle in text.casefold():
                    found.append(views.user(u))
                    if len(found) >= limit:
                        break
            if not page.has_more and scanned_to >= page.offset + len(page.users):
                at_end = True
                break
        at_end = at_end or scanned_to >= total
        return {
            "items": found,
            "total": total,
            "offset": offset,
            "limit": limit,
            "search": search,
            "scanned_to": scanned_to,
            "has_more": not at_end,
        }

    def user(self, request: Request, user_id: str) -> dict[str, Any]:
        u = self.client.get_user(user_id)
        memories = self.pool.submit(
            u.list_memories,
            limit=1,
            include_previous_versions=False,
            include_connected_memories=False,
        )
        pending = self.pool.submit(u.list_merge_conflicts, limit=1, status="PENDING")
        sessions = self.pool.submit(u.list_sessions, limit=1)
        return {
            "user": views.user(u),
            "counts": {
                "memories": memories.result().total,
                "pending_conflicts": pending.result().total,
                "sessions": sessions.result().total,
            },
        }

    def sessions(self, request: Request, user_id: str) -> dict[str, Any]:
        q = request.query
        offset = _int(q, "offset", 0)
        limit = _int(q, "limit", 25)
        statuses = [s for s in q.get("status", []) if s] or None
        user = self._user(user_id)
        page = user.list_sessions(offset, limit, status_filter=statuses)
        # The API has no message count on a session: ask each for a one-message page.
        counts = self.pool.map(lambda s: s.get_messages(0, 1).total, page.sessions)
        return views.page(
            [views.session(s, n) for s, n in zip(page.sessions, counts, strict=True)],
            total=page.total,
            offset=offset,
            limit=limit,
            has_more=page.has_more,
        )

    def session(self, request: Request, user_id: str, session_id: str) -> dict[str, Any]:
        s = self._user(user_id).get_session(session_id)
        return {"session": views.session(s, s.get_messages(0, 1).total)}

    def messages(self, request: Request, user_id: str, session_id: str) -> dict[str, Any]:
        q = request.query
        offset = _int(q, "offset", 0)
        limit = _int(q, "limit", 50)
        s = self._user(user_id).get_session(session_id, validate=False)
        page = s.get_messages(offset, limit)
        return views.page(
            [views.message(m) for m in page.messages],
            total=page.total,
            offset=offset,
            limit=limit,
            has_more=page.has_more,
        )

    def context(self, request: Request, user_id: str, session_id: str) -> dict[str, Any]:
        """What ``get_context`` answers now, the memories behind it, and a page of all of them.

        The page of memories (``memories_offset``, 50 a page) is read alongside the
        context, and a used memory found on it needs no lookup of its own.
        """
        q = request.query
        arguments: dict[str, Any] = {
            "recall_strategy": _str(q, "recall_strategy") or "balanced",
            "min_top_k": _int(q, "min_top_k", 15),
            "max_top_k": _int(q, "max_top_k", 50),
            "memories_threshold": _float(q, "memories_threshold", 0.6),
            "summaries_threshold": _float(q, "summaries_threshold", 0.5),
            "last_n_messages": _optional_int(q, "last_n_messages"),
            "last_n_summaries": _optional_int(q, "last_n_summaries"),
            "timezone": _str(q, "timezone") or None,
            "include_system_prompt": _bool(q, "include_system_prompt", False),
        }
        offset = _int(q, "memories_offset", 0)
        user = self._user(user_id)
        session = user.get_session(session_id, validate=False)
        page_of_memories = self.pool.submit(
            user.list_memories,
            offset=offset,
            limit=CONTEXT_MEMORY_PAGE,
            include_previous_versions=False,
            include_connected_memories=False,
        )
        ctx = session.get_context(**arguments, include_metadata_ids=True)
        page = page_of_memories.result()
        metadata = ctx.metadata
        memory_ids = list(metadata.memory_ids or []) if metadata else []
        session_ids = list(metadata.session_ids or []) if metadata else []
        on_page = {m.memory_id: views.memory(m) for m in page.items}

        def lookup(memory_id: str) -> dict[str, Any]:
            if memory_id in on_page:
                return on_page[memory_id]
            try:
                return views.memory(user.get_memory(memory_id, False, False))
            except errors.MemoryNotFoundError:
                return {"memory_id": memory_id, "missing": True}

        return {
            **views.context(ctx),
            "used_memories": list(self.pool.map(lookup, memory_ids)),
            "used_session_ids": session_ids,
            "memories": views.page(
                list(on_page.values()),
                total=page.total,
                offset=offset,
                limit=CONTEXT_MEMORY_PAGE,
                has_more=page.has_more,
            ),
        }

    def memories(self, request: Request, user_id: str) -> dict[str, Any]:
        q = request.query
        offset = _int(q, "offset", 0)
        limit = _int(q, "limit", 50)
        categories = [c for c in q.get("category", []) if c] or None
        sessions = [s for s in q.get("session_id", []) if s] or None
        all_versions = _str(q, "versions") == "all"
        page = self._user(user_id).list_memories(
            categories=categories,
            offset=offset,
            limit=limit,
            include_previous_versions=all_versions,
            include_connected_memories=False,
            session_id_filter=sessions,
        )
        items = [views.memory(m) for m in page.items]
        self._link_pending_conflicts(user_id, items)
        return views.page(
            items, total=page.total, offset=offset, limit=limit, has_more=page.has_more
        )

    def memory(self, request: Request, user_id: str, memory_id: str) -> dict[str, Any]:
        item = views.memory(self._user(user_id).get_memory(memory_id, True, True))
        self._link_pending_conflicts(user_id, [item])
        return {"memory": item}

    def _link_pending_conflicts(self, user_id: str, items: list[dict[str, Any]]) -> None:
        """Name the pending conflict of each memory in one (``pending_conflict_id``).

        The API flags such a memory (``merge_conflict_in_progress``) without naming the
        conflict (its ``merge_conflict_id`` is the conflict that expired a version), so
        the pending conflicts are read once and matched by their conflicting memories.
        """
        waiting = {m["memory_id"] for m in items if m.get("merge_conflict_in_progress")}
        if not waiting:
            return
        owner: dict[str, str] = {}
        for scanned, pending in enumerate(
            self._user(user_id).list_merge_conflicts(limit=100, status="PENDING")
        ):
            if scanned >= MAX_PENDING_SCAN:
                break
            for memory in pending.conflicting_memories:
                if memory.memory_id is not None:
                    owner.setdefault(memory.memory_id, pending.conflict_id)
        for m in items:
            if m["memory_id"] in owner:
                m["pending_conflict_id"] = owner[m["memory_id"]]

    def conflicts(self, request: Request, user_id: str) -> dict[str, Any]:
        q = request.query
        offset = _int(q, "offset", 0)
        limit = _int(q, "limit", 25)
        status = _str(q, "status") or None
        page = self._user(user_id).list_merge_conflicts(offset, limit, status)
        return views.page(
            [views.conflict(c) for c in page.conflicts],
            total=page.total,
            offset=offset,
            limit=limit,
            has_more=page.has_more,
        )

    def conflict(self, request: Request, user_id: str, conflict_id: str) -> dict[str, Any]:
        return {"conflict": views.conflict(self._user(user_id).get_merge_conflict(conflict_id))}

    def resolve(self, request: Request, user_id: str, conflict_id: str) -> dict[str, Any]:
        """Resolve through ``MergeConflict.resolve``: its validation, its errors."""
        answers = _answers(request.body)
        conflict = self._user(user_id).get_merge_conflict(conflict_id)
        conflict.resolve(answers)
        return {"conflict": views.conflict(conflict)}

    def _user(self, user_id: str) -> User:
        return self.client.get_user(user_id, validate=False)


# -- parsing ----------------------------------------------------------------------------

_INT = re.compile(r"-?\d{1,12}")


def _without_userinfo(url: str) -> str:
    """A base URL as shown on the page: never with ``user:password@``."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def _segment(raw: str) -> str:
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise ApiError(400, "ValidationError", "the path is not valid UTF-8") from None


def _str(q: Query, name: str) -> str:
    values = q.get(name)
    return values[-1] if values else ""


def _int(q: Query, name: str, default: int) -> int:
    raw = _str(q, name).strip()
    if not raw:
        return default
    if not _INT.fullmatch(raw):
        raise ApiError(422, "ValidationError", f"{name} must be an integer, not {raw[:40]!r}")
    return int(raw)


def _optional_int(q: Query, name: str) -> int | None:
    return _int(q, name, 0) if _str(q, name).strip() else None


def _float(q: Query, name: str, default: float) -> float:
    raw = _str(q, name).strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(
            422, "ValidationError", f"{name} must be a number, not {raw[:40]!r}"
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ApiError(422, "ValidationError", f"{name} must be a finite number")
    return value


def _bool(q: Query, name: str, default: bool) -> bool:
    raw = _str(q, name).strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "on", "yes"):
        return True
    if raw in ("0", "false", "off", "no"):
        return False
    raise ApiError(422, "ValidationError", f"{name} must be true or false")


def _json_object(q: Query, name: str) -> dict[str, Any] | None:
    raw = _str(q, name).strip()
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ApiError(422, "ValidationError", f"{name} is not valid JSON: {error}") from None
    except RecursionError:
        raise ApiError(422, "ValidationError", f"{name} is nested too deeply") from None
    if not isinstance(value, dict):
        raise ApiError(
            422, "ValidationError", f'{name} must be a JSON object, like {{"plan": "pro"}}'
        )
    return value


def _answers(body: bytes) -> list[MergeConflictAnswer]:
    try:
        data = json.loads(body or b"null")
    except ValueError:
        raise ApiError(400, "ValidationError", "the body is not valid JSON") from None
    except RecursionError:
        raise ApiError(422, "ValidationError", "the body is nested too deeply") from None
    raw = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        raise ApiError(422, "ValidationError", 'the body must be {"answers": [...]}')
    answers = []
    for item in raw:
        if not isinstance(item, dict):
            raise ApiError(422, "ValidationError", "each answer must be an object")
        question, answer, note = item.get("question"), item.get("answer"), item.get("message")
        if not isinstance(question, str) or not isinstance(answer, str):
            raise ApiError(422, "ValidationError", "question and answer must be strings")
        if note is not None and not isinstance(note, str):
            raise ApiError(422, "ValidationError", "message must be a string")
        answers.append(MergeConflictAnswer(question=question, answer=answer, message=note or None))
    return answers
