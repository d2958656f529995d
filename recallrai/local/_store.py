"""SQLite persistence of the local server: every query the server runs (tables in :mod:`._schema`).

Every version of a memory is kept: a *lineage* is one remembered fact about a
subject, and its versions are its successive contents (the newest is the head).

What a query costs is what the asking user's own data costs, not the database's:

- the full-text indexes hold only *current* memories (and summaries), partitioned by
  user (:mod:`._schema`), so a ranking query reads only the asking user's postings,
  whatever the other users wrote;
- each user row keeps its count of current memories (triggers maintain it), so a
  page of memories does not count the whole list again;
- paging through memories remembers where each page ended, so the next page
  starts there instead of skipping every memory before it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Generic, TypeVar

from recallrai.local._db import Database
from recallrai.local._schema import (
    match_any,
    metadata_matches,
    open_schema,
    partition,
    prepare_connection,
)

__all__ = ["MAX_INTEGER", "Row", "Store", "metadata_matches"]

Row = sqlite3.Row
_T = TypeVar("_T")

MAX_INTEGER = 2**63 - 1
"""The largest integer SQLite stores; larger Python ints raise OverflowError."""

SCORE_CAP = 1_000
"""At most this many of a user's matches are scored by BM25 for one ranking (plus rare words')."""

MILESTONE = 1_000
"""A deep page of memories starts from the nearest multiple of this many (see _milestones)."""

RARE_WORD = 200
"""A word in at most this many of a user's memories has all its matches scored."""

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


def _placeholders(values: Sequence[object]) -> str:
    return ",".join("?" * len(values))


class _Cache(Generic[_T]):
    """A small LRU of values that hold for one generation of a user's memory list."""

    def __init__(self, size: int) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._items: OrderedDict[tuple[object, ...], tuple[int, _T]] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> tuple[int, _T] | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: tuple[object, ...], generation: int, value: _T) -> None:
        with self._lock:
            self._items[key] = (generation, value)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


class _PageMarks:
    """Where pages of memories ended: ``(user, filters, offset) -> (generation, current_pk)``.

    The SDK walks a list by offset; the next page starts after the last one's final
    memory instead of skipping ``offset`` memories again, as long as the user's list
    has not changed since (its generation is the same).
    """

    def __init__(self, size: int = 1024) -> None:
        self._lock = threading.Lock()
        self._size = size
        self._marks: OrderedDict[tuple[object, ...], tuple[int, int]] = OrderedDict()

    def get(self, key: tuple[object, ...], generation: int) -> int | None:
        with self._lock:
            found = self._marks.get(key)
        return found[1] if found is not None and found[0] == generation else None

    def put(self, key: tuple[object, ...], generation: int, current_pk: int) -> None:
        with self._lock:
            self._marks[key] = (generation, current_pk)
            self._marks.move_to_end(key)
            while len(self._marks) > self._size:
                self._marks.popitem(last=False)


class Store:
    """All tables of the local server, over a :class:`Database` of short blocks."""

    def __init__(self, path: str) -> None:
        self.db = Database(path, prepare_connection)
        self._pages = _PageMarks()
        self._marks: _Cache[list[int]] = _Cache(256)
        with self.db.writing() as conn:
            open_schema(conn)

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    # -- plumbing ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the block as one short write transaction (nested blocks join it)."""
        with self.db.writing():
            yield

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Run the block's reads on one snapshot (nested blocks join it)."""
        with self.db.reading():
            yield

    def _one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        with self.db.reading() as conn:
            row: Row | None = conn.execute(sql, params).fetchone()
            return row

    def _all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self.db.reading() as conn:
            return list(conn.execute(sql, params).fetchall())

    def _run(self, sql: str, params: Sequence[object] = ()) -> int:
        """Execute a write; return the new row id."""
        with self.db.writing() as conn:
            return conn.execute(sql, params).lastrowid or 0

    def _count(self, sql: str, params: Sequence[object]) -> int:
        row = self._one(f"SELECT count(*) FROM ({sql})", params)
        return int(row[0]) if row else 0

    def _page(
        self, sql: str, params: list[object], order: str, offset: int, limit: int
    ) -> tuple[list[Row], int]:
        with self.db.reading():
            total = self._count(sql, params)
            offset = min(offset, MAX_INTEGER)  # past the end is empty
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

    def messages_after(self, session_pk: int, after_pk: int, limit: int) -> list[Row]:
        """The session's next ``limit`` messages after message ``after_pk``, in order."""
        return self._all(
            "SELECT * FROM messages WHERE session_pk = ? AND pk > ? ORDER BY pk LIMIT ?",
            (session_pk, after_pk, limit),
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
        """A page of current lineages (``lineage_pk``, ``current_pk``), newest first; the total."""
        sql = "SELECT l.pk AS lineage_pk, l.current_pk FROM memory_lineages l"
        where = " WHERE l.user_pk = ? AND l.current_pk IS NOT NULL"
        params: list[object] = [user_pk]
        if categories:
            where += (
                " AND EXISTS (SELECT 1 FROM json_each(l.categories) c"
                f" WHERE c.value IN ({_placeholders(categories)}))"
            )
            params.extend(categories)
        if session_ids or session_metadata_filter is not None:
            sql += " JOIN memory_versions v ON v.pk = l.current_pk"
        if session_ids:
            where += f" AND v.session_id IN ({_placeholders(session_ids)})"
            params.extend(session_ids)
        if session_metadata_filter is not None:
            where += (
                " AND EXISTS (SELECT 1 FROM sessions s WHERE s.session_id = v.session_id"
                " AND meta_match(s.metadata, ?))"
            )
            params.append(session_metadata_filter)
        sql += where
        filtered = len(params) > 1
        key = (user_pk, tuple(params), offset)
        with self.db.reading():
            counts = self._one(
                "SELECT memory_count, memory_generation FROM users WHERE pk = ?", (user_pk,)
            )
            generation = counts["memory_generation"] if counts else 0
            total = self._count(sql, params) if filtered or counts is None else counts[0]
            after, skip = self._pages.get(key, generation), 0
            if after is None and MILESTONE <= offset < total:
                marks = self._milestones(sql, params, generation)
                if (reached := min(offset // MILESTONE, len(marks))) > 0:
                    after, skip = marks[reached - 1], offset - reached * MILESTONE
            if after is not None:
                rows = self._all(
                    f"{sql} AND l.current_pk < ? ORDER BY l.current_pk DESC LIMIT ? OFFSET ?",
                    [*params, after, limit, skip],
                )
            else:
                rows = self._all(
                    f"{sql} ORDER BY l.current_pk DESC LIMIT ? OFFSET ?",
                    [*params, limit, min(offset, MAX_INTEGER)],
                )
        if rows:
            end = (user_pk, tuple(params), offset + len(rows))
            self._pages.put(end, generation, rows[-1]["current_pk"])
        return rows, total

    def _milestones(self, sql: str, params: list[object], generation: int) -> list[int]:
        """The ``current_pk`` at every MILESTONE-th position of a memory list, newest first.

        Built in one pass the first time a page lies deep in the list, then kept while
        the list is unchanged: a deep page then skips fewer than MILESTONE memories.
        """
        key = ("milestones", tuple(params))
        found = self._marks.get(key)
        if found is not None and found[0] == generation:
            return found[1]
        marks = [
            int(row[0])
            for row in self._all(
                f"SELECT current_pk FROM (SELECT l.current_pk,"
                f" row_number() OVER (ORDER BY l.current_pk DESC) AS n FROM ({sql}) l)"
                f" WHERE n % {MILESTONE} = 0 ORDER BY n",
                params,
            )
        ]
        self._marks.put(key, generation, marks)
        return marks

    def import_memories(self, rows: Iterable[tuple[int, str, str, str, str, str]]) -> int:
        """Store many one-version memories at once; return how many.

        Each row is ``(user_pk, subject, categories_json, memory_id, content, session_id)``,
        created and holding from the session's creation time. For seeding (the API has
        no bulk load); the triggers keep the indexes and counts as for any other write.
        """
        with self.db.writing() as conn:
            stamps: dict[str, str] = {}
            lineages: list[tuple[int, int, str, str]] = []
            versions: list[tuple[str, int, str, str, str, str, str]] = []
            (next_pk,) = conn.execute(
                "SELECT coalesce(max(pk), 0) + 1 FROM memory_lineages"
            ).fetchone()
            # By user: a full-text index flushes whenever its rowids go down, and a
            # user's rows sit together (user_pk << 40 | pk).
            for user_pk, subject, categories, memory_id, content, session_id in sorted(
                rows, key=lambda row: row[0]
            ):
                if session_id not in stamps:
                    found = conn.execute(
                        "SELECT created_at FROM sessions WHERE session_id = ?", (session_id,)
                    ).fetchone()
                    stamps[session_id] = found[0] if found else "1970-01-01T00:00:00+00:00"
                at = stamps[session_id]
                lineages.append((next_pk, user_pk, subject, categories))
                versions.append((memory_id, next_pk, content, session_id, at, at, at))
                next_pk += 1
            conn.executemany(
                "INSERT INTO memory_lineages (pk, user_pk, subject, categories)"
                " VALUES (?, ?, ?, ?)",
                lineages,
            )
            conn.executemany(
                "INSERT INTO memory_versions (memory_id, lineage_pk, version_number, content,"
                " session_id, created_at, event_date_start, event_date_end)"
                " VALUES (?, ?, 1, ?, ?, ?, ?, ?)",
                versions,
            )
        return len(versions)

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

    def link(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Connect pairs of lineages (both directions)."""
        with self.db.writing() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO memory_links (a, b) VALUES (?, ?), (?, ?)",
                ((a, b, b, a) for a, b in pairs),
            )

    def linked_heads(self, lineage_pk: int) -> list[Row]:
        """Heads of the lineages connected to ``lineage_pk``."""
        return self._all(
            f"SELECT v.* FROM memory_links k JOIN memory_lineages l ON l.pk = k.b"
            f" JOIN memory_versions v ON v.pk = {_HEAD} WHERE k.a = ? ORDER BY v.pk",
            (lineage_pk,),
        )

    def rank_memories(self, user_pk: int, words: Sequence[str], limit: int) -> list[Row]:
        """The user's current versions holding any of ``words``, at most ``limit``, best first.

        Each row has the version's columns and its ``relevance``: its BM25 score over the
        best one's (1.0 for the best). Ties go to the newest. Reads the user's postings only.

        BM25 costs a few microseconds a match, so at most :data:`SCORE_CAP` matches are
        scored: all of them if there are no more, else the newest ``SCORE_CAP`` plus every
        match of the query's rare words (in at most :data:`RARE_WORD` of the user's
        memories), so a rare word still finds an old memory among a broad word's many.
        """
        span = partition(user_pk)
        query = match_any(user_pk, words)
        with self.db.reading():
            if self._matches(query, span) <= SCORE_CAP:
                scores = self._scores(query, span, None)
            else:
                rare = [
                    w for w in words if self._matches(match_any(user_pk, [w]), span) <= RARE_WORD
                ]
                scores = self._scores(match_any(user_pk, rare), span, None) if rare else {}
                scores.update(self._scores(query, span, SCORE_CAP))  # complete scores win
            top = sorted(scores.items(), key=lambda item: (item[1], item[0]), reverse=True)[:limit]
            if not top:
                return []
            best = top[0][1]
            values = ",".join("(?, ?)" for _ in top)
            params: list[object] = []
            for pk, score in top:
                params += [pk, score / best if best > 0 else 0.0]
            return self._all(
                f"WITH r(pk, relevance) AS (VALUES {values})"
                " SELECT v.*, r.relevance FROM r CROSS JOIN memory_versions v ON v.pk = r.pk"
                " ORDER BY r.relevance DESC, r.pk DESC",
                params,
            )

    def _matches(self, query: str, span: tuple[int, int]) -> int:
        row = self._one(
            "SELECT count(*) FROM memory_fts WHERE memory_fts MATCH ? AND rowid >= ? AND rowid < ?",
            (query, *span),
        )
        return int(row[0]) if row else 0

    def _scores(self, query: str, span: tuple[int, int], newest: int | None) -> dict[int, float]:
        """BM25 score by version pk of the matches in ``span`` (only the ``newest`` if given)."""
        sql = (
            "SELECT rowid - ?, -bm25(memory_fts) FROM memory_fts"
            " WHERE memory_fts MATCH ? AND rowid >= ? AND rowid < ?"
        )
        params: list[object] = [span[0], query, *span]
        if newest is not None:
            sql += " ORDER BY rowid DESC LIMIT ?"
            params.append(newest)
        return {int(pk): float(score) for pk, score in self._all(sql, params)}

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
        self, user_pk: int, words: Sequence[str], threshold: float, limit: int = -1
    ) -> list[Row]:
        """The user's newest ``limit`` summaries (all if negative) holding any of ``words`` with a
        relevance (BM25 score over the best one's) of at least ``threshold``, oldest first."""
        base, end = partition(user_pk)
        rows = self._all(
            "SELECT s.* FROM ("
            f"SELECT pk, {_RELEVANCE} AS relevance FROM ("
            " SELECT rowid - ? AS pk, -bm25(summary_fts) AS score FROM summary_fts"
            " WHERE summary_fts MATCH ? AND rowid >= ? AND rowid < ?)"
            ") r CROSS JOIN summaries s ON s.pk = r.pk WHERE r.relevance >= ?"
            " ORDER BY s.pk DESC LIMIT ?",
            (base, match_any(user_pk, words), base, end, threshold, limit),
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
