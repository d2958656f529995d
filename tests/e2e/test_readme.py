"""The README's code, run against the local server, in both flavours.

Each section of the SDK README (``shared/reference/recallrai-sdk-readme.txt``) is
replayed with its own calls, arguments and attribute reads; the placeholders
("session-uuid", "conflict-uuid") are replaced by real ids from earlier steps.
``run(x)`` is ``x`` for the sync client and awaits ``x`` for the async one.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from recallrai.exceptions import (
    InvalidCategoriesError,
    InvalidSessionStateError,
    MergeConflictAlreadyResolvedError,
    MergeConflictInvalidAnswerError,
    MergeConflictInvalidQuestionsError,
    MergeConflictMissingAnswersError,
    MergeConflictNotFoundError,
    SessionNotFoundError,
    UserAlreadyExistsError,
    UserNotFoundError,
)
from recallrai.models import (
    MergeConflictAnswer,
    MergeConflictStatus,
    MessageRole,
    RecallStrategy,
    SessionStatus,
)

from .conftest import LocalFlavour as Flavour


def wait_processed(flavour: Flavour, session: Any) -> None:
    deadline = time.monotonic() + 10
    while session.status in (SessionStatus.PENDING, SessionStatus.PROCESSING):
        assert time.monotonic() < deadline, "session was not processed in time"
        time.sleep(0.01)
        flavour.run(session.refresh())
    assert session.status is SessionStatus.PROCESSED


def test_users(flavour: Flavour) -> None:
    client, run = flavour.client, flavour.run
    user = run(client.create_user(user_id="user123", metadata={"name": "John Doe"}))
    assert user.user_id == "user123"
    assert user.metadata == {"name": "John Doe"}
    assert user.created_at is not None and user.created_at.utcoffset().total_seconds() == 0
    with pytest.raises(UserAlreadyExistsError) as exists:
        run(client.create_user(user_id="user123", metadata={"name": "John Doe"}))
    assert "already exists" in str(exists.value)

    user = run(client.get_user("user123"))
    assert user.metadata == {"name": "John Doe"} and user.last_active_at is not None

    run(client.create_user("admin1", metadata={"role": "admin"}))
    user_list = run(client.list_users(offset=0, limit=10, metadata_filter={"role": "admin"}))
    assert user_list.total == 1 and user_list.has_more is False
    assert [u.user_id for u in user_list.users] == ["admin1"]
    assert all(u.created_at and u.last_active_at for u in user_list.users)

    user = run(client.get_user("user123"))
    result = run(
        user.update(new_metadata={"name": "John Doe", "role": "admin"}, new_user_id="john_doe")
    )
    assert result is None
    assert user.user_id == "john_doe"
    assert user.metadata == {"name": "John Doe", "role": "admin"}
    with pytest.raises(UserNotFoundError):
        run(client.get_user("user123"))

    user = run(client.get_user("john_doe"))
    run(user.refresh())
    assert user.metadata == {"name": "John Doe", "role": "admin"}

    run(user.delete())
    with pytest.raises(UserNotFoundError):
        run(client.get_user("john_doe"))


def test_sessions_messages_and_context(flavour: Flavour) -> None:
    client, run = flavour.client, flavour.run
    user = run(client.create_user("user123"))
    session = run(user.create_session(auto_process_after_seconds=600, metadata={"type": "chat"}))
    assert session.session_id and session.status is SessionStatus.PENDING

    session = run(user.get_session(session_id=session.session_id))
    assert session.metadata == {"type": "chat"}
    with pytest.raises(SessionNotFoundError):
        run(user.get_session(session_id="session-uuid"))

    run(session.update(new_metadata={"type": "support_chat"}))
    assert session.metadata == {"type": "support_chat"}
    run(session.refresh())
    assert session.metadata == {"type": "support_chat"}

    session_list = run(
        user.list_sessions(
            offset=0,
            limit=10,
            metadata_filter={"type": "support_chat"},
            status_filter=[SessionStatus.PENDING, SessionStatus.PROCESSING],
        )
    )
    assert session_list.total == 1 and not session_list.has_more
    assert [(s.session_id, s.status) for s in session_list.sessions] == [
        (session.session_id, SessionStatus.PENDING)
    ]

    run(session.add_message(role=MessageRole.USER, content="Hello! I live in Berlin."))
    run(
        session.add_message(
            role=MessageRole.ASSISTANT, content="I'm an assistant. How can I help you?"
        )
    )

    context = run(session.get_context())
    assert context.context.startswith(
        run(flavour.client._api.system_prompt(RecallStrategy.BALANCED))
    )
    context = run(session.get_context(recall_strategy=RecallStrategy.LOW_LATENCY))
    assert isinstance(context.context, str)
    context = run(
        session.get_context(
            recall_strategy=RecallStrategy.BALANCED,
            min_top_k=10,
            max_top_k=100,
            memories_threshold=0.6,
            summaries_threshold=0.5,
            last_n_messages=20,
            last_n_summaries=5,
            timezone="America/Los_Angeles",
        )
    )
    assert "I live in Berlin" in context.context
    events = flavour.collect(session.get_context_stream(recall_strategy=RecallStrategy.DEEP))
    assert [e.is_final for e in events][-1] is True and not any(e.is_final for e in events[:-1])

    messages = run(session.get_messages(offset=0, limit=50))
    lines = [f"{m.role.value.upper()} (at {m.timestamp}): {m.content}" for m in messages.messages]
    assert lines[0].startswith("USER (at ") and lines[1].startswith("ASSISTANT")
    assert messages.total == 2 and messages.has_more is False

    run(session.process())
    with pytest.raises(InvalidSessionStateError):
        run(session.process())
    wait_processed(flavour, session)
    with pytest.raises(InvalidSessionStateError):
        run(session.add_message(role=MessageRole.USER, content="too late"))

    last = run(user.get_last_n_messages(n=5))
    assert [m.role.upper() for m in last.messages] == ["USER", "ASSISTANT"]
    assert {m.session_id for m in last.messages} == {session.session_id}


def test_memories_and_merge_conflicts(flavour: Flavour) -> None:
    client, run = flavour.client, flavour.run
    user = run(client.create_user("user123", merge_conflict_enabled=True))
    first = run(user.create_session())
    run(
        first.add_message(
            role=MessageRole.USER, content="My favourite food is sushi. I live in Berlin."
        )
    )
    run(first.process())
    wait_processed(flavour, first)

    memories = run(
        user.list_memories(
            categories=["food_preferences", "location"],
            offset=0,
            limit=20,
            include_previous_versions=True,
            include_connected_memories=True,
        )
    )
    contents = sorted(m.content for m in memories.items)
    assert any("sushi" in c for c in contents) and any("Berlin" in c for c in contents)
    for mem in memories.items:
        assert mem.session_id == first.session_id
        assert (mem.version_number, mem.total_versions, mem.has_previous_versions) == (1, 1, False)
        assert mem.merge_conflict_in_progress is False
    with pytest.raises(InvalidCategoriesError) as invalid:
        run(user.list_memories(categories=["no_such_category"]))
    assert invalid.value.invalid_categories == ["no_such_category"]

    second = run(user.create_session())
    run(second.add_message(role=MessageRole.USER, content="I live in Paris now."))
    run(second.process())
    wait_processed(flavour, second)

    conflicts = run(
        user.list_merge_conflicts(
            offset=0,
            limit=10,
            status=MergeConflictStatus.PENDING,
            sort_by="created_at",
            sort_order="desc",
        )
    )
    assert conflicts.total == 1 and not conflicts.has_more
    conf = conflicts.conflicts[0]
    assert "Paris" in conf.new_memory_content and len(conf.conflicting_memories) == 1
    assert len(conf.clarifying_questions) == 1 and conf.created_at is not None

    conflict = run(user.get_merge_conflict(conf.conflict_id))
    assert conflict.status.value == "PENDING"
    assert (
        "Berlin" in conflict.conflicting_memories[0].content
        and conflict.conflicting_memories[0].reason
    )
    question = conflict.clarifying_questions[0]
    with pytest.raises(MergeConflictNotFoundError):
        run(user.get_merge_conflict("conflict-uuid"))

    with pytest.raises(MergeConflictMissingAnswersError) as missing:
        run(conflict.resolve([]))
    assert missing.value.missing_questions == [question.question]
    with pytest.raises(MergeConflictInvalidQuestionsError) as bad_questions:
        run(conflict.resolve([MergeConflictAnswer(question="Who?", answer="x")]))
    assert bad_questions.value.invalid_questions == ["Who?"]
    with pytest.raises(MergeConflictInvalidAnswerError) as bad_answer:
        run(conflict.resolve([MergeConflictAnswer(question=question.question, answer="Mars")]))
    assert bad_answer.value.question == question.question
    assert bad_answer.value.valid_options == question.options

    answers = [
        MergeConflictAnswer(
            question=ques.question,
            answer=ques.options[0],
            message="User prefers this option based on recent conversation",
        )
        for ques in conflict.clarifying_questions
    ]
    run(conflict.resolve(answers))
    assert conflict.status is MergeConflictStatus.RESOLVED
    assert conflict.resolved_at is not None and conflict.resolution_data
    with pytest.raises(MergeConflictAlreadyResolvedError):
        run(conflict.resolve(answers))
    run(conflict.refresh())
    assert conflict.status is MergeConflictStatus.RESOLVED

    location = next(m for m in run(user.list_memories(categories=["location"])).items)
    assert "Paris" in location.content
    assert (location.version_number, location.total_versions) == (2, 2)
    assert location.previous_versions and location.previous_versions[0].version_number == 1
    assert "Berlin" in location.previous_versions[0].content
    assert location.previous_versions[0].expired_at is not None

    third = run(user.create_session())
    run(third.add_message(role=MessageRole.USER, content="Where do I live?"))
    assert "Paris" in run(third.get_context(include_system_prompt=False)).context


def test_chat_with_memory_loop(flavour: Flavour) -> None:
    """The README's chat example, one turn, with the LLM replaced by a fixed answer."""
    client, run = flavour.client, flavour.run
    try:
        user = run(client.get_user("user123"))
    except UserNotFoundError:
        user = run(client.create_user("user123"))
    session = run(user.create_session(auto_process_after_seconds=1800))
    for user_message in ("I live in Berlin.", "exit"):
        if user_message.lower() == "exit":
            break
        run(session.add_message(role=MessageRole.USER, content=user_message))
        context = run(session.get_context())
        system_prompt = "You are a helpful assistant" + context.context
        messages = run(session.get_messages(offset=0, limit=50))
        previous = [{"role": m.role, "content": m.content} for m in messages.messages]
        assert system_prompt and previous == [{"role": "user", "content": "I live in Berlin."}]
        run(session.add_message(role=MessageRole.ASSISTANT, content="Noted."))
    run(session.process())
    wait_processed(flavour, session)
