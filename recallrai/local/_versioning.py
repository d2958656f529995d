"""Versioning: what a session's facts do to the user's memories, and deleting them again.

A new fact starts a lineage, repeats a current memory (nothing happens), or
contradicts one: then it becomes the lineage's next version, or (merge conflicts
on) a PENDING conflict that a resolution applies later.

Processing reads and extracts outside any write, then applies the facts in short
write transactions of :data:`CHUNK_FACTS` facts, asking ``stop`` in between: no
reader or other writer waits on it for long, and shutdown interrupts it. An
interrupted session stays ``processing`` and is picked up again later; applying a
fact twice changes nothing, so the second run finishes the first one's work.
"""

from __future__ import annotations

import json
import uuid
from collections import deque
from collections.abc import Callable, Sequence

from recallrai.local._extract import Fact, extract_facts, fact_key, summarize
from recallrai.local._store import Row, Store

__all__ = [
    "BOTH_TRUE",
    "CHUNK_FACTS",
    "delete_memory",
    "delete_session",
    "process_session",
    "resolve_conflict",
]

CHUNK_FACTS = 100
"""Facts applied per write transaction."""

CHUNK_MESSAGES = 16
"""Messages read per query while extracting (a message may be a megabyte)."""

LINKS_PER_CATEGORY = 4
"""A lineage a session touches is linked to at most this many touched before it per category."""

BOTH_TRUE = "Both are true"


def _new_id() -> str:
    return str(uuid.uuid4())


def _same(a: str, b: str) -> bool:
    return fact_key(a) == fact_key(b)


def _supersede(
    store: Store,
    head: Row,
    content: str,
    categories: Sequence[str],
    session_id: str,
    now: str,
    reason: str,
    event_date: str,
    *,
    memory_id: str | None = None,
    conflict_id: str | None = None,
) -> None:
    """Expire a lineage's head and append ``content`` (stated at ``event_date``) after it."""
    store.expire_version(head["pk"], now, reason)
    store.add_version(
        head["lineage_pk"],
        memory_id or _new_id(),
        content,
        session_id,
        now,
        conflict_id,
        event_date=event_date,
    )
    store.update_lineage(head["lineage_pk"], categories=json.dumps(list(categories)))


def _raise_conflict(
    store: Store, user_pk: int, session: Row, head: Row, fact: Fact, now: str, said_at: str
) -> None:
    """Record a PENDING merge conflict between ``head`` and the new ``fact``."""
    if any(
        _same(c["proposed_memory_content"], fact.content)
        for c in store.pending_conflicts_on(head["lineage_pk"])
    ):
        return
    old = head["content"]
    question = f'Which is correct now: "{fact.content}" or "{old}"?'
    conflicting = {
        "memory_id": head["memory_id"],
        "content": old,
        "reason": f"Contradicted by the user's statement in session {session['session_id']}.",
        "event_date_start": head["event_date_start"] or head["created_at"],
        "event_date_end": head["event_date_end"] or head["created_at"],
        "created_at": head["created_at"],
    }
    proposed = {
        "memory_id": _new_id(),
        "content": fact.content,
        "event_date_start": said_at,
        "event_date_end": said_at,
        "created_at": now,
    }
    conflict_pk = store.add_conflict(
        conflict_id=_new_id(),
        user_pk=user_pk,
        session_pk=session["pk"],
        session_id=session["session_id"],
        lineage_pk=head["lineage_pk"],
        subject=fact.subject,
        categories=json.dumps(list(fact.categories)),
        status="PENDING",
        proposed_memory_content=fact.content,
        new_memories=json.dumps([proposed]),
        conflicting_memories=json.dumps([conflicting]),
        clarifying_questions=json.dumps(
            [{"question": question, "options": [fact.content, old, BOTH_TRUE]}]
        ),
        created_at=now,
    )
    store.update_lineage(head["lineage_pk"], conflict_pk=conflict_pk)


class _Linker:
    """Connects the lineages a session touches that share a category (a bounded window each)."""

    def __init__(self) -> None:
        self._recent: dict[str, deque[int]] = {}

    def add(self, lineage_pk: int, categories: Sequence[str]) -> list[int]:
        """Record ``lineage_pk``; return the lineages to link it with."""
        others: dict[int, None] = {}
        for category in categories:
            window = self._recent.setdefault(category, deque(maxlen=LINKS_PER_CATEGORY))
            others.update(dict.fromkeys(pk for pk in window if pk != lineage_pk))
            window.append(lineage_pk)
        return list(others)


def _facts_of_session(
    store: Store, session_pk: int, stop: Callable[[], bool]
) -> tuple[list[tuple[Fact, str]], list[str]] | None:
    """The session's facts, each with the time it was said, and its first user texts.

    None if stopped. Reads the messages a few at a time; holds no lock while extracting.
    """
    found: dict[str, tuple[Fact, str]] = {}
    openings: list[str] = []
    after = 0
    while True:
        if stop():
            return None
        rows = store.messages_after(session_pk, after, CHUNK_MESSAGES)
        if not rows:
            break
        after = rows[-1]["pk"]
        for message in rows:
            if message["role"] != "user":
                continue
            if len(openings) < 3:
                openings.append(message["content"])
            for fact in extract_facts(message["content"], stop):
                found.pop(fact.subject, None)  # the last word on a subject wins
                found[fact.subject] = (fact, message["timestamp"])
    return list(found.values()), openings


def _still_processing(store: Store, session_pk: int) -> Row | None:
    session = store.session_by_pk(session_pk)
    return session if session is not None and session["status"] == "processing" else None


def _apply(
    store: Store, user_pk: int, session: Row, fact: Fact, said_at: str, now: str, merge: bool
) -> int | None:
    """Apply one fact; return the lineage it created or changed, if any."""
    session_id = session["session_id"]
    current = store.current_memories_about(user_pk, fact.subject)
    if any(_same(c["content"], fact.content) for c in current):
        return None
    if not current:
        lineage_pk = store.add_lineage(user_pk, fact.subject, json.dumps(list(fact.categories)))
        store.add_version(lineage_pk, _new_id(), fact.content, session_id, now, event_date=said_at)
        return lineage_pk
    if merge:
        _raise_conflict(store, user_pk, session, current[0], fact, now, said_at)
        return None
    reason = "NEW_INFORMATION"  # an expiration code, as the spec documents
    _supersede(store, current[0], fact.content, fact.categories, session_id, now, reason, said_at)
    changed: int = current[0]["lineage_pk"]
    return changed


def process_session(
    store: Store,
    session_pk: int,
    now: str,
    merge_default: bool,
    stop: Callable[[], bool] = lambda: False,
) -> bool:
    """Turn a processing session's user messages into memories and a summary; mark it processed.

    Runs its own short transactions (call it outside one). Returns False if ``stop``
    interrupted it (the session is still ``processing``), True otherwise.
    """
    with store.reading():
        session = _still_processing(store, session_pk)
        if session is None:
            return True
        user = store.user_by_pk(session["user_pk"])
    assert user is not None
    flag = user["merge_conflict_enabled"]
    merge = merge_default if flag is None else bool(flag)
    extracted = _facts_of_session(store, session_pk, stop)
    if extracted is None:
        return False
    facts, openings = extracted
    linker = _Linker()
    for start in range(0, len(facts), CHUNK_FACTS):
        if stop():
            return False
        with store.transaction():
            session = _still_processing(store, session_pk)
            if session is None:  # deleted (or its user) meanwhile
                return True
            links: list[tuple[int, int]] = []
            for fact, said_at in facts[start : start + CHUNK_FACTS]:
                lineage_pk = _apply(store, user["pk"], session, fact, said_at, now, merge)
                if lineage_pk is not None:
                    others = linker.add(lineage_pk, fact.categories)
                    links += ((lineage_pk, other) for other in others)
            store.link(links)
    with store.transaction():
        session = _still_processing(store, session_pk)
        if session is None:
            return True
        summary = summarize(openings, [fact for fact, _ in facts])
        store.put_summary(session_pk, user["pk"], session["session_id"], summary, now)
        store.update_session(session_pk, status="processed")
    return True


def resolve_conflict(
    store: Store, conflict: Row, choice: str, answers: list[dict[str, str]], now: str
) -> None:
    """Apply the answer ``choice`` to a PENDING conflict and mark it RESOLVED.

    Call inside a store transaction, after checking the answers.
    """
    proposed = json.loads(conflict["new_memories"])[0]
    categories = json.loads(conflict["categories"])
    session_id, conflict_id = conflict["session_id"], conflict["conflict_id"]
    head = store.head(conflict["lineage_pk"]) if conflict["lineage_pk"] is not None else None
    if choice == BOTH_TRUE or (
        choice == proposed["content"] and (head is None or head["expired_at"])
    ):
        lineage_pk = store.add_lineage(
            conflict["user_pk"], conflict["subject"], json.dumps(categories)
        )
        store.add_version(
            lineage_pk,
            proposed["memory_id"],
            proposed["content"],
            session_id,
            now,
            conflict_id,
            event_date=proposed.get("event_date_start") or now,
        )
        applied = "kept_both_memories" if choice == BOTH_TRUE else "created_new_memory"
    elif choice == proposed["content"]:
        assert head is not None
        head_with_lineage = {**dict(head), "lineage_pk": conflict["lineage_pk"]}
        reason = "MERGE_CONFLICT"  # the code 0.6.6 documents; the successor names the conflict
        _supersede(
            store,
            head_with_lineage,  # type: ignore[arg-type]
            proposed["content"],
            categories,
            session_id,
            now,
            reason,
            proposed.get("event_date_start") or now,
            memory_id=proposed["memory_id"],
            conflict_id=conflict_id,
        )
        applied = "replaced_existing_memory"
    else:
        applied = "kept_existing_memory"
    resolution = {"answers": answers, "applied": applied}
    store.update_conflict(
        conflict["pk"], status="RESOLVED", resolved_at=now, resolution_data=json.dumps(resolution)
    )
    if conflict["lineage_pk"] is not None:
        others = store.pending_conflicts_on(conflict["lineage_pk"])
        store.update_lineage(
            conflict["lineage_pk"], conflict_pk=others[-1]["pk"] if others else None
        )


def delete_session(store: Store, session: Row) -> None:
    """Delete a session with its messages, summary, conflicts and the memory versions it made.

    A memory that the session had superseded becomes current again. Call inside a transaction.
    """
    heads_before: dict[int, int] = {}
    for version in store.versions_of_session(session["session_id"]):
        head = store.head(version["lineage_pk"])
        heads_before.setdefault(version["lineage_pk"], head["pk"] if head else 0)
        store.delete_version(version["pk"])
    for lineage_pk, old_head in heads_before.items():
        head = store.head(lineage_pk)
        if head is None:
            store.delete_lineage(lineage_pk)
        elif head["pk"] != old_head and head["expired_at"] is not None:
            store.expire_version(head["pk"], None, None)
    store.delete_session(session["pk"])


def delete_memory(store: Store, version: Row, delete_previous_versions: bool) -> None:
    """Delete one version of a memory, with every earlier one if asked (later ones stay).

    As 0.6.6 documents ``delete_memory`` (recallrai/user.py:449-452). Call inside a transaction.
    """
    doomed = [version]
    if delete_previous_versions:
        doomed = [v for v in store.versions(version["lineage_pk"]) if v["pk"] <= version["pk"]]
    for row in doomed:
        store.delete_version(row["pk"])
    if store.head(version["lineage_pk"]) is None:
        store.delete_lineage(version["lineage_pk"])
