"""The local server's SQLite schema: tables, triggers, the full-text index format, migrations.

The full-text indexes are partitioned by user: every word is indexed as a
user-tagged token (``x42xberlin`` for user 42) and every row sits at rowid
``user_pk << 40 | pk``. They hold only *current* memories (and every summary);
triggers keep them, and each user's count of current memories, in step with the
tables. ``PRAGMA user_version`` says which schema a file has; :func:`open_schema`
brings an older file up to date.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

__all__ = [
    "SCHEMA_VERSION",
    "index_text",
    "match_any",
    "metadata_matches",
    "open_schema",
    "partition",
    "prepare_connection",
]

SCHEMA_VERSION = 2
"""``PRAGMA user_version`` of the current schema (0: before partitioned indexes)."""

_PART = 1 << 40
"""A user's rows in a full-text index have rowids ``user_pk * _PART + pk``."""

_WORD = re.compile(r"[^\W_]+")


def _tag(user_pk: int) -> str:
    # Consonants and digits only: Porter stemming measures a word from its first vowel,
    # so the tag does not change how the word after it is stemmed.
    return f"x{user_pk}x"


def index_text(user_pk: int, text: str) -> str:
    """``text`` as the user's partition of a full-text index holds it: each word tagged."""
    tag = _tag(user_pk)
    return " ".join(tag + word for word in _WORD.findall(text))


def match_any(user_pk: int, words: Sequence[str]) -> str:
    """An FTS5 query for the user's rows holding any of ``words``."""
    tag = _tag(user_pk)
    return " OR ".join(f'"{tag}{word}"' for word in words)


def partition(user_pk: int) -> tuple[int, int]:
    """The rowid range ``[start, end)`` of a user's rows in a full-text index."""
    return user_pk * _PART, (user_pk + 1) * _PART


_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    pk INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL,
    custom_user_id TEXT NOT NULL,
    metadata TEXT NOT NULL,
    merge_conflict_enabled INTEGER,
    created_at TEXT NOT NULL,
    last_active_at TEXT NOT NULL,
    memory_count INTEGER NOT NULL DEFAULT 0,  -- current memories (triggers keep it)
    memory_generation INTEGER NOT NULL DEFAULT 0,  -- bumped whenever that list changes
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
CREATE TRIGGER IF NOT EXISTS lineage_current_add AFTER INSERT ON memory_lineages
WHEN new.current_pk IS NOT NULL BEGIN
    INSERT INTO memory_fts(rowid, content)
        SELECT {part} * new.user_pk + pk, index_text(new.user_pk, content)
        FROM memory_versions WHERE pk = new.current_pk;
    UPDATE users SET memory_count = memory_count + 1, memory_generation = memory_generation + 1
        WHERE pk = new.user_pk;
END;
CREATE TRIGGER IF NOT EXISTS lineage_current_change AFTER UPDATE OF current_pk ON memory_lineages
WHEN old.current_pk IS NOT new.current_pk BEGIN
    DELETE FROM memory_fts WHERE rowid = {part} * old.user_pk + old.current_pk;
    INSERT INTO memory_fts(rowid, content)
        SELECT {part} * new.user_pk + pk, index_text(new.user_pk, content)
        FROM memory_versions WHERE pk = new.current_pk;
    UPDATE users SET memory_count = memory_count
        + (new.current_pk IS NOT NULL) - (old.current_pk IS NOT NULL),
        memory_generation = memory_generation + 1 WHERE pk = new.user_pk;
END;
CREATE TRIGGER IF NOT EXISTS lineage_current_drop AFTER DELETE ON memory_lineages
WHEN old.current_pk IS NOT NULL BEGIN
    DELETE FROM memory_fts WHERE rowid = {part} * old.user_pk + old.current_pk;
    UPDATE users SET memory_count = memory_count - 1, memory_generation = memory_generation + 1
        WHERE pk = old.user_pk;
END;
CREATE TRIGGER IF NOT EXISTS summary_fts_add AFTER INSERT ON summaries BEGIN
    INSERT INTO summary_fts(rowid, content)
        VALUES ({part} * new.user_pk + new.pk, index_text(new.user_pk, new.content));
END;
CREATE TRIGGER IF NOT EXISTS summary_fts_drop AFTER DELETE ON summaries BEGIN
    DELETE FROM summary_fts WHERE rowid = {part} * old.user_pk + old.pk;
END;
""".replace(
    # The current version of the lineage being updated: its head, unless that is expired.
    "{current}",
    "(SELECT CASE WHEN v.expired_at IS NULL THEN v.pk END FROM memory_versions v"
    " WHERE v.lineage_pk = memory_lineages.pk ORDER BY v.pk DESC LIMIT 1)",
).replace("{part}", str(_PART))

# Before version 2 the full-text indexes held every version under its own pk.
_OLD_INDEXES = """
DROP TRIGGER IF EXISTS memory_fts_add;
DROP TRIGGER IF EXISTS memory_fts_drop;
DROP TRIGGER IF EXISTS summary_fts_add;
DROP TRIGGER IF EXISTS summary_fts_drop;
DROP TABLE IF EXISTS memory_fts;
DROP TABLE IF EXISTS summary_fts;
"""
_REINDEX = f"""
INSERT INTO memory_fts(rowid, content)
    SELECT {_PART} * l.user_pk + v.pk, index_text(l.user_pk, v.content)
    FROM memory_lineages l JOIN memory_versions v ON v.pk = l.current_pk;
INSERT INTO summary_fts(rowid, content)
    SELECT {_PART} * user_pk + pk, index_text(user_pk, content) FROM summaries;
UPDATE users SET memory_count = (SELECT count(*) FROM memory_lineages l
    WHERE l.user_pk = users.pk AND l.current_pk IS NOT NULL);
"""


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def metadata_matches(metadata: str, wanted: str) -> bool:
    """SQL function: does every key/value of ``wanted`` equal the one in ``metadata``?"""
    have = json.loads(metadata)
    return all(
        k in have and _canonical(have[k]) == _canonical(v) for k, v in json.loads(wanted).items()
    )


def _statements(script: str) -> list[str]:
    """The statements of a script, to run inside a transaction (``executescript`` commits)."""
    statements, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            statements.append(current)
            current = ""
    return statements


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
    return found is not None


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def prepare_connection(conn: sqlite3.Connection) -> None:
    """Register the SQL functions the triggers and queries call."""
    conn.create_function("meta_match", 2, metadata_matches, deterministic=True)
    conn.create_function("index_text", 2, index_text, deterministic=True)


def open_schema(conn: sqlite3.Connection) -> None:
    """Create the tables, or bring a file from an older schema up to date (in a transaction)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    old = version < SCHEMA_VERSION and _has_table(conn, "users")
    if old:
        for statement in _statements(_OLD_INDEXES):
            conn.execute(statement)
        for column in ("memory_count", "memory_generation"):
            if not _has_column(conn, "users", column):
                conn.execute(f"ALTER TABLE users ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0")
    for statement in _statements(_SCHEMA):
        conn.execute(statement)
    if old:
        for statement in _statements(_REINDEX):
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
