"""SQLite persistence of the local server: one connection, one lock, FTS5 for ranking.

Every version of a memory is kept: a *lineage* is one remembered fact about a
subject, and its versions are its successive contents (the newest is the head).
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = ["MAX_INTEGER", "Row", "Store", "metadata_matches"]

Row = sqlite3.Row

MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite stores; larger Python ints raise OverflowError."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    pk INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    custom_user_id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    merge_conflict_enabled INTEGER,
    created_at TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    UNIQUE (project_id, custom_user_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    pk INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL UNIQUE,
    user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
    status TEXT NOT NULL,
    metadata TEXT NOT NULL,
    created_at TEXT NOT NULL,
    auto_process_after_seconds INTEGER NOT NULL,
    idle_deadline REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_of_user ON sessions(user_pk, created_at);
CREATE INDEX IF NOT EXISTS sessions_due ON sessions(status, idle_deadline);
CREATE TABLE IF NOT EXISTS messages (
    pk INTEGER PRIMARY KEY,
    session_pk INTEGER NOT NULL REFERENCES sessions(pk) ON DELETE CASCADE,
    user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    timestamp TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_of_session ON messages(session_pk, pk);
CREATE INDEX IF NOT EXISTS messages_of_user ON messages(user_pk, pk);
CREATE TABLE IF NOT EXISTS merge_conflicts (
    pk INTEGER PRIMARY KEY,
    conflict_id TEXT NOT NULL UNIQUE,
    user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
    session_pk INTEGER REFERENCES sessions(pk) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    lineage_pk INTEGER REFERENCES memory_lineages(pk) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    categories TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_memory_content TEXT NOT NULL,
    new_memories TEXT NOT NULL,
    conflicting_memories TEXT NOT NULL,
    clarifying_questions TEXT NOT NULL,
    resolution_data TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT
);
CREATE INDEX IF NOT EXISTS conflicts_of_user ON merge_conflicts(user_pk, created_at);
CREATE TABLE IF NOT EXISTS memory_lineages (
    pk INTEGER PRIMARY KEY,
    user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    categories TEXT NOT NULL,
    conflict_pk INTEGER REFERENCES merge_conflicts(pk) ON DELETE SET NULL,
    current_pk INTEGER  -- the head version while it is not expired, else NULL (triggers keep it)
);
CREATE INDEX IF NOT EXISTS lineages_of_user ON memory_lineages(user_pk, subject);
CREATE INDEX IF NOT EXISTS current_of_user ON memory_lineages(user_pk, current_pk);
CREATE TABLE IF NOT EXISTS memory_versions (
    pk INTEGER PRIMARY KEY,
    memory_id TEXT NOT NULL UNIQUE,
    lineage_pk INTEGER NOT NULL REFERENCES memory_lineages(pk) ON DELETE CASCADE,
    version_number INTEGER NOT NULL,
    content TEXT NOT NULL,
    session_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expired_at TEXT,
    expiration_reason TEXT,
    event_date_start TEXT,
    event_date_end TEXT,
    conflict_id TEXT
);
CREATE INDEX IF NOT EXISTS versions_of_lineage ON memory_versions(lineage_pk, pk);
CREATE INDEX IF NOT EXISTS versions_of_session ON memory_versions(session_id);
CREATE TABLE IF NOT EXISTS memory_links (
    a INTEGER NOT NULL REFERENCES memory_lineages(pk) ON DELETE CASCADE,
    b INTEGER NOT NULL REFERENCES memory_lineages(pk) ON DELETE CASCADE,
    PRIMARY KEY (a, b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memory_links_back ON memory_links(b);
CREATE TABLE IF NOT EXISTS summaries (
    pk INTEGER PRIMARY KEY,
    session_pk INTEGER NOT NULL UNIQUE REFERENCES sessions(pk) ON DELETE CASCADE,
    user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
    session_id TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS summaries_of_user ON summaries(user_pk, pk);
CREATE VIRTUAL TABLE IF NOT EXISTS memory_fts USING fts5(content, tokenize='porter unicode61');
CREATE VIRTUAL TABLE IF NOT EXISTS summary_fts USING fts5(content, tokenize='porter unicode61');
CREATE TRIGGER IF NOT EXISTS memory_fts_add AFTER INSERT ON memory_versions BEGIN
    INSERT INTO memory_fts(rowid, content) VALUES (new.pk, new.content);
END;
CREATE TRIGGER IF NOT EXISTS memory_fts_drop AFTER DELETE ON memory_versions BEGIN
    DELETE FROM memory_fts WHERE rowid = old.pk;
END;
CREATE TRIGGER IF NOT EXISTS memory_current_add AFTER INSERT ON memory_versions BEGIN
    UPDATE memory_lineages SET current_pk = {current} WHERE pk = new.lineage_pk;
END;
CREATE TRIGGER IF NOT EXISTS memory_current_drop AFTER DELETE ON memory_versions BEGIN
    UPDATE memory_lineages SET current_pk = {current} WHERE pk = old.lineage_pk;
END;
CREATE TRIGGER IF NOT EXISTS memory_current_change
AFTER UPDATE OF lineage_pk, expired_at ON memory_versions BEGIN
    UPDATE memory_lineages SET current_pk = {current} WHERE pk IN (old.lineage_pk, new.lineage_pk);
END;
CREATE TRIGGER IF NOT EXISTS summary_fts_add AFTER INSERT ON summaries BEGIN
    INSERT INTO summary_fts(rowid, content) VALUES (new.pk, new.content);
END;
CREATE TRIGGER IF NOT EXISTS summary_fts_drop AFTER DELETE ON summaries BEGIN
    DELETE FROM summary_fts WHERE rowid = old.pk;
END;
""".replace(
    # The current version of the lineage being updated: its head, unless that is expired.
    "{current}",
    "(SELECT CASE WHEN v.expired_at IS NULL THEN v.pk END FROM memory_versions v"
    " WHERE v.lineage_pk = memory_lineages.pk ORDER BY v.pk DESC LIMIT 1)",
)

# The head (newest version) of lineage ``l``.
_HEAD = "(SELECT max(pk) FROM memory_versions WHERE lineage_pk = l.pk)"

# A match's ``score`` normalised to 0..1 against the best match of the query.
_RELEVANCE = "CASE WHEN max(score) OVER () > 0 THEN score / max(score) OVER () ELSE 0.0 END"

_CONFLICT_ORDER = {
    ("created_at", "asc"): "c.created_at ASC, c.pk ASC",
    ("created_at", "desc"): "c.created_at DESC, c.pk DESC",
    ("resolved_at", "asc"): "c.resolved_at IS NULL, c.resolved_at ASC, c.pk ASC",
    ("resolved_at", "desc"): "c.resolved_at IS NULL, c.resolved_at DESC, c.pk DESC",
}


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def metadata_matches(metadata: str, wanted: str) -> bool:
    """SQL function: does every key/value of ``wanted`` equal the one in ``metadata``?"""
    have = json.loads(metadata)
    return all(
        k in have and _canonical(have[k]) == _canonical(v) for k, v in json.loads(wanted).items()
    )


def _placeholders(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class Store:
    """All tables of the local server; every method runs under the one lock."""

    def __init__(self, path: str) -> None:
        self.lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.create_function("meta_match", 2, metadata_matches, deterministic=True)
        self._db.execute("PRAGMA foreign_keys = ON")
        if path != ":memory:" and not path.startswith("file::memory:"):
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
        with self.lock:
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self._db.close()

    # -- plumbing ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and run the block as one transaction (nested blocks join it)."""
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def _one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        with self.lock:
            row: Row | None = self._db.execute(sql, params).fetchone()
            return row

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self.lock:
            return list(self._db.execute(sql, params).fetchall())

    def _run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Execute a write; return the new row id."""
        with self.lock:
            return self._db.execute(sql, params).lastrowid or 0

    def _count(self, sql: str, params: Sequence[object]) -> int:
        row = self._one(f"SELECT count(*) FROM ({sql})", params)
        return int(row[0]) if row else 0

    def _page(
        self, sql: str, params: list[object], order: str, offset: int, limit: int
    ) -> tuple[list[Row], int]:
        total = self._count(sql, params)
        offset = min(offset, MAX_INTEGER)  # the API sets no maximum; past the end is empty
        rows = self._all(f"{sql} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset])
        return rows, total

    # -- users ------------------------------------------------------------------

    def user(self, project_id: str, custom_user_id: str) -> Row | None:
        return self._one(
            "SELECT * FROM users WHERE project_id = ? AND custom_user_id = ?",
            (project_id, custom_user_id),
        )

    def user_by_pk(self, pk: int) -> Row | None:
        return self._one("SELECT * FROM users WHERE pk = ?", (pk,))

    def add_user(
        self, project_id: str, custom_user_id: str, metadata: str, merge: bool | None, now: str
    ) -> int:
        return self._run(
            "INSERT INTO users (project_id, custom_user_id, metadata, merge_conflict_enabled,"
            " created_at, last_active_at) VALUES (?, ?, ?, ?, ?, ?)",
            (project_id, custom_user_id, metadata, merge, now, now),
        )

    def users(
        self, project_id: str, offset: int, limit: int, metadata_filter: str | None
    ) -> tuple[list[Row], int]:
        sql = "SELECT * FROM users WHERE project_id = ?"
        params: list[object] = [project_id]
        if metadata_filter is not None:
            sql += " AND meta_match(metadata, ?)"
            params.append(metadata_filter)
        return self._page(sql, params, "pk", offset, limit)

    def update_user(self, pk: int, **fields: object) -> None:
        if fields:
            assignments = ", ".join(f"{name} = ?" for name in fields)
            self._run(f"UPDATE users SET {assignments} WHERE pk = ?", (*fields.values(), pk))

    def delete_user(self, pk: int) -> None:
        self._run("DELETE FROM users WHERE pk = ?", (pk,))

    # -- sessions ---------------------------------------------------------------

    def add_session(
        self,
        session_id: str,
        user_pk: int,
        metadata: str,
        created_at: str,
        auto: int,
        deadline: float,
    ) -> None:
        self._run(
            "INSERT INTO sessions (session_id, user_pk, status, metadata, created_at,"
            " auto_process_after_seconds, idle_deadline) VALUES (?, ?, 'pending', ?, ?, ?, ?)",
            (session_id, user_pk, metadata, created_at, auto, deadline),
        )

    def session(self, user_pk: int, session_id: str) -> Row | None:
        return self._one(
            "SELECT * FROM sessions WHERE user_pk = ? AND session_id = ?", (user_pk, session_id)
        )

    def session_by_pk(self, pk: int) -> Row | None:
        return self._one("SELECT * FROM sessions WHERE pk = ?", (pk,))

    def sessions(
        self,
        user_pk: int,
        offset: int,
        limit: int,
        metadata_filter: str | None,
        statuses: Sequence[str],
    ) -> tuple[list[Row], int]:
        sql = "SELECT * FROM sessions WHERE user_pk = ?"
        params: list[object] = [user_pk]
        if metadata_filter is not None:
            sql += " AND meta_match(metadata, ?)"
            params.append(metadata_filter)
        if statuses:
            sql += f" AND status IN ({_placeholders(statuses)})"
            params.extend(statuses)
        return self._page(sql, params, "created_at DESC, pk DESC", offset, limit)

    def update_session(self, pk: int, **fields: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._run(f"UPDATE sessions SET {assignments} WHERE pk = ?", (*fields.values(), pk))

    def delete_session(self, pk: int) -> None:
        self._run("DELETE FROM sessions WHERE pk = ?", (pk,))

    def sessions_due(self, now: float) -> list[Row]:
        """Pending sessions whose idle deadline has passed."""
        return self._all(
            "SELECT * FROM sessions WHERE status = 'pending' AND idle_deadline <= ? ORDER BY pk",
            (now,),
        )

    def sessions_with_status(self, status: str) -> list[Row]:
        return self._all("SELECT * FROM sessions WHERE status = ? ORDER BY pk", (status,))

    # -- messages ---------------------------------------------------------------

    def add_message(self, session_pk: int, user_pk: int, role: str, content: str, now: str) -> None:
        self._run(
            "INSERT INTO messages (session_pk, user_pk, role, content, timestamp)"
            " VALUES (?, ?, ?, ?, ?)",
            (session_pk, user_pk, role, content, now),
        )

    def messages(self, session_pk: int, offset: int, limit: int) -> tuple[list[Row], int]:
        return self._page(
            "SELECT * FROM messages WHERE session_pk = ?", [session_pk], "pk", offset, limit
        )

    def last_messages_of_session(self, session_pk: int, n: int) -> list[Row]:
        """The newest ``n`` messages of a session, oldest first."""
        rows = self._all(
            "SELECT * FROM messages WHERE session_pk = ? ORDER BY pk DESC LIMIT ?", (session_pk, n)
        )
        return rows[::-1]

    def last_messages_of_user(self, user_pk: int, n: int) -> list[Row]:
        """The newest ``n`` messages across a user's sessions, oldest first."""
        rows = self._all(
            "SELECT m.*, s.session_id FROM messages m JOIN sessions s ON s.pk = m.session_pk"
            " WHERE m.user_pk = ? ORDER BY m.pk DESC LIMIT ?",
            (user_pk, n),
        )
        return rows[::-1]

    # -- memories ---------------------------------------------------------------

    def add_lineage(self, user_pk: int, subject: str, categories: str) -> int:
        return self._run(
            "INSERT INTO memory_lineages (user_pk, subject, categories) VALUES (?, ?, ?)",
            (user_pk, subject, categories),
        )

    def update_lineage(self, pk: int, **fields: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._run(f"UPDATE memory_lineages SET {assignments} WHERE pk = ?", (*fields.values(), pk))

    def add_version(
        self,
        lineage_pk: int,
        memory_id: str,
        content: str,
        session_id: str,
        now: str,
        conflict_id: str | None = None,
        *,
        event_date: str | None = None,
    ) -> None:
        """Append a version to a lineage; it becomes the head.

        ``event_date`` is when the fact holds (start and end): the time it was stated,
        ``now`` unless given.
        """
        event_date = event_date or now
        self._run(
            "INSERT INTO memory_versions (memory_id, lineage_pk, version_number, content,"
            " session_id, created_at, conflict_id, event_date_start, event_date_end)"
            " VALUES (?, ?, (SELECT coalesce(max(version_number), 0) + 1 FROM memory_versions"
            " WHERE lineage_pk = ?), ?, ?, ?, ?, ?, ?)",
            (
                memory_id,
                lineage_pk,
                lineage_pk,
                content,
                session_id,
                now,
                conflict_id,
                event_date,
                event_date,
            ),
        )

    def expire_version(self, pk: int, at: str | None, reason: str | None) -> None:
        self._run(
            "UPDATE memory_versions SET expired_at = ?, expiration_reason = ? WHERE pk = ?",
            (at, reason, pk),
        )

    def current_memories_about(self, user_pk: int, subject: str) -> list[Row]:
        """Heads of the user's lineages on ``subject`` that are still current, newest first."""
        return self._all(
            "SELECT l.pk AS lineage_pk, l.conflict_pk, v.* FROM memory_lineages l"
            " JOIN memory_versions v ON v.pk = l.current_pk"
            " WHERE l.user_pk = ? AND l.subject = ? ORDER BY v.pk DESC",
            (user_pk, subject),
        )

    def lineage(self, pk: int) -> Row | None:
        return self._one("SELECT * FROM memory_lineages WHERE pk = ?", (pk,))

    def head(self, lineage_pk: int) -> Row | None:
        return self._one(
            "SELECT * FROM memory_versions WHERE lineage_pk = ? ORDER BY pk DESC LIMIT 1",
            (lineage_pk,),
        )

    def versions(self, lineage_pk: int) -> list[Row]:
        """All versions of a lineage, oldest first."""
        return self._all(
            "SELECT * FROM memory_versions WHERE lineage_pk = ? ORDER BY pk", (lineage_pk,)
        )

    def version(self, user_pk: int, memory_id: str) -> Row | None:
        """A version by id, with its lineage's user and subject, if it is the user's."""
        return self._one(
            "SELECT v.* FROM memory_versions v JOIN memory_lineages l ON l.pk = v.lineage_pk"
            " WHERE v.memory_id = ? AND l.user_pk = ?",
            (memory_id, user_pk),
        )

    def memories(
        self,
        user_pk: int,
        offset: int,
        limit: int,
        categories: Sequence[str],
        session_ids: Sequence[str],
        session_metadata_filter: str | None,
    ) -> tuple[list[Row], int]:
        """Current lineages (their head rows, plus lineage columns), newest first."""
        sql = (
            "SELECT l.pk AS lineage_pk, l.categories, l.conflict_pk, v.* FROM memory_lineages l"
            " JOIN memory_versions v ON v.pk = l.current_pk WHERE l.user_pk = ?"
        )
        params: list[object] = [user_pk]
        if categories:
            sql += (
                " AND EXISTS (SELECT 1 FROM json_each(l.categories) c"
                f" WHERE c.value IN ({_placeholders(categories)}))"
            )
            params.extend(categories)
        if session_ids:
            sql += f" AND v.session_id IN ({_placeholders(session_ids)})"
            params.extend(session_ids)
        if session_metadata_filter is not None:
            sql += (
                " AND EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = v.session_id"
                " AND meta_match(s.metadata, ?))"
            )
            params.append(session_metadata_filter)
        return self._page(sql, params, "l.current_pk DESC", offset, limit)

    def newest_memories(self, user_pk: int, limit: int) -> list[Row]:
        """The newest ``limit`` current versions of the user's lineages, newest first.

        Each row has the version's columns and a ``relevance`` of 0.
        """
        return self._all(
            "SELECT v.*, 0.0 AS relevance FROM memory_lineages l"
            " JOIN memory_versions v ON v.pk = l.current_pk"
            " WHERE l.user_pk = ? AND l.current_pk IS NOT NULL ORDER BY l.current_pk DESC LIMIT ?",
            (user_pk, limit),
        )

    def versions_of_session(self, session_id: str) -> list[Row]:
        return self._all(
            "SELECT * FROM memory_versions WHERE session_id = ? ORDER BY pk", (session_id,)
        )

    def delete_version(self, pk: int) -> None:
        self._run("DELETE FROM memory_versions WHERE pk = ?", (pk,))

    def delete_lineage(self, pk: int) -> None:
        self._run("DELETE FROM memory_lineages WHERE pk = ?", (pk,))

    def link(self, a: int, b: int) -> None:
        """Connect two lineages (both directions)."""
        self._run("INSERT OR IGNORE INTO memory_links (a, b) VALUES (?, ?), (?, ?)", (a, b, b, a))

    def linked_heads(self, lineage_pk: int) -> list[Row]:
        """Heads of the lineages connected to ``lineage_pk``."""
        return self._all(
            f"SELECT v.* FROM memory_links k JOIN memory_lineages l ON l.pk = k.b"
            f" JOIN memory_versions v ON v.pk = {_HEAD} WHERE k.a = ? ORDER BY v.pk",
            (lineage_pk,),
        )

    def rank_memories(self, user_pk: int, match: str, limit: int) -> list[Row]:
        """The user's current versions best matching ``match``, at most ``limit``, best first.

        Each row has the version's columns and its ``relevance``: its BM25 score over the
        best one's (1.0 for the best). Ties go to the newest.
        """
        return self._all(
            "SELECT v.*, r.relevance FROM ("
            f"SELECT pk, {_RELEVANCE} AS relevance FROM ("
            " SELECT v.pk, -bm25(memory_fts) AS score FROM memory_fts"
            # CROSS JOIN keeps the full-text search outermost: run once, not once per memory.
            " CROSS JOIN memory_versions v ON v.pk = memory_fts.rowid"
            " CROSS JOIN memory_lineages l ON l.pk = v.lineage_pk"
            " WHERE memory_fts MATCH ? AND l.user_pk = ? AND l.current_pk = v.pk"
            ") ORDER BY relevance DESC, pk DESC LIMIT ?"
            ") r CROSS JOIN memory_versions v ON v.pk = r.pk ORDER BY r.relevance DESC, r.pk DESC",
            (match, user_pk, limit),
        )

    # -- summaries --------------------------------------------------------------

    def put_summary(
        self, session_pk: int, user_pk: int, session_id: str, content: str, now: str
    ) -> None:
        self._run("DELETE FROM summaries WHERE session_pk = ?", (session_pk,))
        self._run(
            "INSERT INTO summaries (session_pk, user_pk, session_id, content, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (session_pk, user_pk, session_id, content, now),
        )

    def summaries(self, user_pk: int, limit: int = -1) -> list[Row]:
        """The user's newest ``limit`` session summaries (all if negative), oldest first."""
        rows = self._all(
            "SELECT * FROM summaries WHERE user_pk = ? ORDER BY pk DESC LIMIT ?", (user_pk, limit)
        )
        return rows[::-1]

    def rank_summaries(
        self, user_pk: int, match: str, threshold: float, limit: int = -1
    ) -> list[Row]:
        """The user's newest ``limit`` summaries (all if negative) matching ``match`` with a
        relevance (BM25 score over the best one's) of at least ``threshold``, oldest first."""
        rows = self._all(
            "SELECT s.* FROM ("
            f"SELECT pk, {_RELEVANCE} AS relevance FROM ("
            " SELECT s.pk, -bm25(summary_fts) AS score FROM summary_fts"
            " CROSS JOIN summaries s ON s.pk = summary_fts.rowid"
            " WHERE summary_fts MATCH ? AND s.user_pk = ?)"
            ") r CROSS JOIN summaries s ON s.pk = r.pk WHERE r.relevance >= ?"
            " ORDER BY s.pk DESC LIMIT ?",
            (match, user_pk, threshold, limit),
        )
        return rows[::-1]

    # -- merge conflicts --------------------------------------------------------

    def add_conflict(self, **fields: object) -> int:
        names = ", ".join(fields)
        return self._run(
            f"INSERT INTO merge_conflicts ({names}) VALUES ({_placeholders(list(fields))})",
            tuple(fields.values()),
        )

    def conflict(self, user_pk: int, conflict_id: str) -> Row | None:
        return self._one(
            "SELECT * FROM merge_conflicts WHERE user_pk = ? AND conflict_id = ?",
            (user_pk, conflict_id),
        )

    def conflict_by_pk(self, pk: int) -> Row | None:
        return self._one("SELECT * FROM merge_conflicts WHERE pk = ?", (pk,))

    def conflicts(
        self,
        user_pk: int,
        offset: int,
        limit: int,
        status: str | None,
        sort_by: str,
        sort_order: str,
    ) -> tuple[list[Row], int]:
        sql = "SELECT * FROM merge_conflicts c WHERE c.user_pk = ?"
        params: list[object] = [user_pk]
        if status is not None:
            sql += " AND c.status = ?"
            params.append(status)
        return self._page(sql, params, _CONFLICT_ORDER[sort_by, sort_order], offset, limit)

    def pending_conflicts_on(self, lineage_pk: int) -> list[Row]:
        return self._all(
            "SELECT * FROM merge_conflicts WHERE lineage_pk = ? AND status = 'PENDING' ORDER BY pk",
            (lineage_pk,),
        )

    def update_conflict(self, pk: int, **fields: object) -> None:
        assignments = ", ".join(f"{name} = ?" for name in fields)
        self._run(f"UPDATE merge_conflicts SET {assignments} WHERE pk = ?", (*fields.values(), pk))
