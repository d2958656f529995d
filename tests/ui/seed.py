"""Data for the inspector's tests, made through the SDK: users, sessions, memories, a conflict."""

from __future__ import annotations

import time
from dataclasses import dataclass

from recallrai import RecallrAI
from recallrai.models import MergeConflictAnswer, MergeConflictStatus, MessageRole, SessionStatus
from recallrai.session import Session


@dataclass
class Seeded:
    user_id: str
    first_session: str
    second_session: str
    conflict_id: str


def wait_processed(session: Session, timeout: float = 10.0) -> None:
    session.process()
    deadline = time.monotonic() + timeout
    while session.status in (SessionStatus.PENDING, SessionStatus.PROCESSING):
        if time.monotonic() > deadline:
            raise AssertionError(f"session {session.session_id} not processed in {timeout}s")
        time.sleep(0.02)
        session.refresh()


def seed(client: RecallrAI, user_id: str = "alice", extra_users: int = 0) -> Seeded:
    """A user whose second session contradicts the first: versions and a pending conflict."""
    for i in range(extra_users):
        client.create_user(f"user-{i:04d}", metadata={"plan": "pro" if i % 2 else "free"})
    user = client.create_user(
        user_id, metadata={"name": "Alice", "plan": "pro"}, merge_conflict_enabled=True
    )
    first = user.create_session(auto_process_after_seconds=1800, metadata={"channel": "web"})
    first.add_message(MessageRole.USER, "Hi! I live in Berlin. My favourite food is sushi.")
    first.add_message(MessageRole.ASSISTANT, "Nice to meet you!")
    first.add_message(MessageRole.USER, "I work at Acme. I'm allergic to peanuts. I love pizza.")
    wait_processed(first)
    second = user.create_session(auto_process_after_seconds=1800)
    second.add_message(MessageRole.USER, "Big news: I live in Paris now. I work at Globex.")
    wait_processed(second)
    pending = user.list_merge_conflicts(status=MergeConflictStatus.PENDING).conflicts
    by_content = {c.proposed_memory_content: c for c in pending}
    assert set(by_content) == {"User lives in Paris", "User works at Globex"}, by_content
    # One conflict is resolved here, through the SDK, so that a memory has a version
    # chain (Acme -> Globex); the other (Berlin -> Paris) is left for the page.
    job = by_content["User works at Globex"]
    question = job.clarifying_questions[0]
    job.resolve([MergeConflictAnswer(question.question, "User works at Globex", "new job")])
    move = by_content["User lives in Paris"]
    return Seeded(user_id, first.session_id, second.session_id, move.conflict_id)


def seed_memories(client: RecallrAI, user_id: str, count: int, per_session: int = 10) -> str:
    """A user with ``count`` distinct memories ("User loves thing00042"); returns a session id."""
    user = client.create_user(user_id)
    last = ""
    for start in range(0, count, per_session):
        session = user.create_session(auto_process_after_seconds=1800)
        numbers = range(start, min(count, start + per_session))
        session.add_message(MessageRole.USER, ". ".join(f"I love thing{n:05d}" for n in numbers))
        session.process()
        last = session.session_id
    deadline = time.monotonic() + 300
    while user.list_sessions(limit=1, status_filter=["pending", "processing"]).total:
        if time.monotonic() > deadline:
            raise AssertionError("sessions not processed in 300 s")
        time.sleep(0.05)
    total = user.list_memories(limit=1).total
    assert total == count, f"expected {count} memories, found {total}"
    return last
