"""Processing a long message: short transactions, other projects served meanwhile, stoppable."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from test_app import HEADERS, START, Client, make_session, make_user, memories, say

from recallrai.local import _versioning as versioning
from recallrai.local._app import LocalApp
from recallrai.local._clock import ManualClock

FOODS = ["sushi", "ramen", "tacos", "curry", "pizza", "pasta", "salad", "soup", "steak", "tofu"]


def _long_message(facts: int) -> str:
    """One message stating ``facts`` distinct likes."""
    return " ".join(f"I love {FOODS[i % 10]} number {i}." for i in range(facts))


def _other_project(app: LocalApp) -> tuple[Client, str]:
    other = Client(app, {**HEADERS, "x-recallr-project-id": "other-project"})
    return other, make_user(other, "bob")


@pytest.mark.parametrize("db", ["memory", "file"])
def test_other_projects_are_served_while_a_long_message_is_processed(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ":memory:" if db == "memory" else str(tmp_path / "recallr.db")
    app = LocalApp(path, clock=ManualClock(START), background=False)
    try:
        writer = Client(app)
        user = make_user(writer)
        session = make_session(writer, user)
        facts = 3 * versioning.CHUNK_FACTS + 7
        say(writer, session, _long_message(facts))
        assert writer.post(f"{session}/process").status == 200
        other, bob = _other_project(app)
        served: list[tuple[int, int, str]] = []

        def read_and_write_elsewhere() -> bool:
            # Asked between chunks: another project reads and writes while processing is
            # under way, and the session it is processing is still "processing".
            status = other.get(f"{bob}/sessions").status
            created = other.post(f"{bob}/sessions", {}).status
            served.append((status, created, Client(app).get(session).json["status"]))
            return False

        monkeypatch.setattr(app, "_stopping", read_and_write_elsewhere)
        done = threading.Thread(target=app.run_due_work)
        done.start()
        done.join(timeout=60)
        assert not done.is_alive()
        assert len(served) >= 4  # at least once between each pair of write transactions
        assert all(s == (200, 201, "processing") for s in served)
        assert writer.get(session).json["status"] == "processed"
        assert len(memories(writer, user, limit=200)) == 200
        assert writer.get(f"{user}/memories").json["total"] == facts
    finally:
        app.close()


def test_shutdown_stops_processing_and_a_restart_finishes_it(tmp_path: Path) -> None:
    path = str(tmp_path / "recallr.db")
    app = LocalApp(path, clock=ManualClock(START), background=True)
    writer = Client(app)
    user = make_user(writer)
    session = make_session(writer, user)
    facts = 3 * versioning.CHUNK_FACTS
    say(writer, session, _long_message(facts))
    reached = threading.Event()

    def stop_once_closing() -> bool:
        reached.set()  # processing is under way; hold it here until close() is called
        while not app._closed:
            threading.Event().wait(0.01)
        return True

    app._stopping = stop_once_closing  # type: ignore[method-assign]
    assert writer.post(f"{session}/process").status == 200
    assert reached.wait(30)
    app.close()  # returns: the worker stopped between two chunks
    assert app._worker is not None and not app._worker.is_alive()

    reopened = LocalApp(path, clock=ManualClock(START), background=False)
    try:
        client = Client(reopened)
        assert client.get(session).json["status"] == "processing"
        reopened.run_due_work()
        assert client.get(session).json["status"] == "processed"
        assert client.get(f"{user}/memories").json["total"] == facts
    finally:
        reopened.close()


def test_processing_twice_changes_nothing(tmp_path: Path) -> None:
    # An interrupted run is finished by running again: facts already applied are skipped.
    app = LocalApp(str(tmp_path / "r.db"), clock=ManualClock(START), background=False)
    try:
        client = Client(app)
        user = make_user(client)
        session = make_session(client, user)
        say(client, session, _long_message(250), "I live in Oslo.")
        assert client.post(f"{session}/process").status == 200
        session_pk = app._store.sessions_with_status("processing")[0]["pk"]
        calls = iter(range(1000))
        stopped = versioning.process_session(
            app._store, session_pk, "2026-01-15T12:00:00+00:00", False, lambda: next(calls) > 3
        )
        assert stopped is False
        partial = client.get(f"{user}/memories").json["total"]
        assert 0 < partial < 251
        app.run_due_work()
        assert client.get(session).json["status"] == "processed"
        assert client.get(f"{user}/memories").json["total"] == 251
        [oslo] = memories(client, user, categories=["location"])
        assert oslo["total_versions"] == 1
    finally:
        app.close()


_OLD_INDEXES = """
DROP TRIGGER lineage_current_add;
DROP TRIGGER lineage_current_change;
DROP TRIGGER lineage_current_drop;
DROP TRIGGER summary_fts_add;
DROP TRIGGER summary_fts_drop;
DROP TABLE memory_fts;
DROP TABLE summary_fts;
CREATE VIRTUAL TABLE memory_fts USING fts5(content, tokenize='porter unicode61');
CREATE VIRTUAL TABLE summary_fts USING fts5(content, tokenize='porter unicode61');
CREATE TRIGGER memory_fts_add AFTER INSERT ON memory_versions BEGIN
    INSERT INTO memory_fts(rowid, content) VALUES (new.pk, new.content);
END;
CREATE TRIGGER summary_fts_add AFTER INSERT ON summaries BEGIN
    INSERT INTO summary_fts(rowid, content) VALUES (new.pk, new.content);
END;
INSERT INTO memory_fts(rowid, content) SELECT pk, content FROM memory_versions;
INSERT INTO summary_fts(rowid, content) SELECT pk, content FROM summaries;
ALTER TABLE users DROP COLUMN memory_count;
ALTER TABLE users DROP COLUMN memory_generation;
PRAGMA user_version = 0;
"""


def test_a_database_written_before_the_partitioned_index_is_migrated(tmp_path: Path) -> None:
    # A file from before user_version 2: one full-text index of every version, no counts.
    path = str(tmp_path / "old.db")
    app = LocalApp(path, clock=ManualClock(START), background=False)
    client = Client(app)
    user = make_user(client)
    for said in ("I live in Berlin.", "I love hiking.", "I live in Paris now."):
        session = make_session(client, user)
        say(client, session, said)
        assert client.post(f"{session}/process").status == 200
        app.run_due_work()
    make_user(client, "nobody")
    app.close()
    conn = sqlite3.connect(path)
    conn.executescript(_OLD_INDEXES)
    conn.close()

    reopened = LocalApp(path, clock=ManualClock(START), background=False)
    try:
        client = Client(reopened)
        page = client.get(f"{user}/memories").json
        assert (page["total"], {m["content"] for m in page["items"]}) == (
            2,
            {"User lives in Paris", "User loves hiking"},
        )
        assert client.get("/users/nobody/memories").json["total"] == 0
        chat = make_session(client, user)
        say(client, chat, "Any hiking trails near Paris?")
        found = client.get(f"{chat}/context", include_metadata_ids="true").json
        ids = found["metadata"]["memory_ids"]
        assert {m["memory_id"] for m in page["items"]} <= set(ids)
        assert "User lives in Berlin" not in found["context"]  # old versions left the index
        assert len(found["metadata"]["session_ids"]) == 2  # summaries reindexed: hiking, Paris
    finally:
        reopened.close()
