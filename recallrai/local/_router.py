"""The API's routes: which handler answers a path and method, and the ids the path holds."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import unquote

from recallrai.local import _conflicts as conflicts
from recallrai.local import _context as context
from recallrai.local import _memories as memories
from recallrai.local import _sessions as sessions
from recallrai.local import _users as users
from recallrai.local._call import Handler
from recallrai.local._wire import JSON, id_problem

__all__ = ["Match", "route"]

_ID = None  # a path segment that is an id

# (segments after /api/v1, the names of its ids), {method: handler}
_ROUTES: list[tuple[tuple[str | None, ...], tuple[str, ...], Mapping[str, Handler]]] = [
    (("system-prompt",), (), {"GET": context.system_prompt}),
    (("users",), (), {"GET": users.list_users, "POST": users.create_user}),
    (
        ("users", _ID),
        ("user_id",),
        {"GET": users.get_user, "PUT": users.update_user, "DELETE": users.delete_user},
    ),
    (
        ("users", _ID, "sessions"),
        ("user_id",),
        {"GET": sessions.list_sessions, "POST": sessions.create_session},
    ),
    (
        ("users", _ID, "sessions", _ID),
        ("user_id", "session_id"),
        {
            "GET": sessions.get_session,
            "PUT": sessions.update_session,
            "DELETE": sessions.delete_session,
        },
    ),
    (
        ("users", _ID, "sessions", _ID, "add-message"),
        ("user_id", "session_id"),
        {"POST": sessions.add_message},
    ),
    (
        ("users", _ID, "sessions", _ID, "context"),
        ("user_id", "session_id"),
        {"GET": context.context},
    ),
    (
        ("users", _ID, "sessions", _ID, "process"),
        ("user_id", "session_id"),
        {"POST": sessions.process_session},
    ),
    (
        ("users", _ID, "sessions", _ID, "messages"),
        ("user_id", "session_id"),
        {"GET": sessions.session_messages},
    ),
    (("users", _ID, "memories"), ("user_id",), {"GET": memories.list_memories}),
    (
        ("users", _ID, "memory", _ID),
        ("user_id", "memory_id"),
        {"GET": memories.get_memory, "DELETE": memories.delete_memory},
    ),
    (("users", _ID, "messages"), ("user_id",), {"GET": sessions.last_messages}),
    (("users", _ID, "merge-conflicts"), ("user_id",), {"GET": conflicts.list_conflicts}),
    (
        ("users", _ID, "merge-conflicts", _ID),
        ("user_id", "conflict_id"),
        {"GET": conflicts.get_conflict},
    ),
    (
        ("users", _ID, "merge-conflicts", _ID, "resolve"),
        ("user_id", "conflict_id"),
        {"POST": conflicts.resolve_conflict},
    ),
]


class Match:
    """A path that names a route: its handlers by method, its ids, and what is wrong with them."""

    def __init__(self, methods: Mapping[str, Handler], ids: list[str], names: tuple[str, ...]):
        self.methods = methods
        self.ids = ids
        self.problems: list[JSON] = [
            problem
            for name, value in zip(names, ids, strict=True)
            if (problem := id_problem(["path", name], value)) is not None
        ]


def route(path: str) -> Match | None:
    """The route of a raw (percent-encoded) path, or None (the gateway's 404)."""
    segments = path.split("/")
    if segments[:3] != ["", "api", "v1"]:
        return None
    decoded = [unquote(s) for s in segments[3:]]
    for pattern, names, methods in _ROUTES:
        if len(pattern) != len(decoded):
            continue
        if all(p is None or p == s for p, s in zip(pattern, decoded, strict=True)):
            ids = [s for p, s in zip(pattern, decoded, strict=True) if p is None]
            if all(ids):
                return Match(methods, ids, names)
    return None
