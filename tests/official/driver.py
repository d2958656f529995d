"""The official RecallrAI SDK 0.6.6 as a client of our local server: its whole README flow.

Run by tests/official/test_official_sdk.py with the Python of an isolated venv that has
``recallrai==0.6.6`` (the official package, which shares our package's name), never with
ours::

    <official venv>/bin/python -I driver.py BASE_URL API_KEY

The flow is written once and run twice, with ``RecallrAI`` and with ``AsyncRecallrAI``:
:func:`call` awaits what the async client returns and passes the sync client's values
through. Each step prints one ``ok <mode> <step>`` line; any mismatch raises, so the
process exits non-zero with the traceback. The last line is a JSON summary of the steps.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx

import recallrai
from recallrai import AsyncRecallrAI, RecallrAI
from recallrai.exceptions import (
    AuthenticationError,
    InvalidCategoriesError,
    InvalidSessionStateError,
    MergeConflictAlreadyResolvedError,
    MergeConflictInvalidAnswerError,
    MergeConflictInvalidQuestionsError,
    MergeConflictMissingAnswersError,
    MergeConflictNotFoundError,
    RecallrAIError,
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

PROJECT = "official-sdk-flow"
STEPS: dict[str, list[str]] = {}


async def call(value: Any) -> Any:
    """The value itself (sync client) or what it resolves to (async client)."""
    return await value if inspect.isawaitable(value) else value


async def collect(stream: Any) -> list[Any]:
    if hasattr(stream, "__aiter__"):
        return [event async for event in stream]
    return list(stream)


async def raises(kind: type[BaseException], thunk: Callable[[], Any]) -> Any:
    """Make the call ``thunk`` wraps (awaiting it if async); return the ``kind`` it raised."""
    try:
        await call(thunk())
    except kind as exc:
        return exc
    raise AssertionError(f"expected {kind.__name__}")


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def utc(value: Any) -> datetime:
    check(isinstance(value, datetime) and value.tzinfo is not None, f"aware datetime: {value!r}")
    return value.astimezone(UTC)


async def settle(session: Any, mode: str) -> None:
    """Poll ``refresh()`` until the session leaves ``processing``."""
    deadline = time.monotonic() + 30
    while True:
        await call(session.refresh())
        if session.status != SessionStatus.PROCESSING:
            break
        check(time.monotonic() < deadline, f"{mode}: session still processing after 30 s")
        await asyncio.sleep(0.1)
    check(session.status == SessionStatus.PROCESSED, f"{mode}: status {session.status}")


async def flow(client: Any, bad_client: Any, mode: str, prompt: str) -> None:
    steps = STEPS.setdefault(mode, [])

    def ok(step: str) -> None:
        steps.append(step)
        print(f"ok {mode} {step}", flush=True)

    tag = uuid.uuid4().hex[:8]
    uid = f"official-{mode}-{tag}"

    # -- authentication ---------------------------------------------------------------
    await raises(AuthenticationError, lambda: bad_client.get_user(uid))
    ok("wrong key -> AuthenticationError")

    # -- users ------------------------------------------------------------------------
    user = await call(client.create_user(user_id=uid, metadata={"name": "John Doe"}))
    check(user.user_id == uid and user.metadata == {"name": "John Doe"}, "created user")
    check(user.merge_conflict_enabled is None, "merge_conflict_enabled inherits (null)")
    utc(user.created_at)
    await raises(UserAlreadyExistsError, lambda: client.create_user(user_id=uid))
    ok("create_user, duplicate -> UserAlreadyExistsError")

    user = await call(client.get_user(uid))
    utc(user.last_active_at)
    await raises(UserNotFoundError, lambda: client.get_user(f"missing-{tag}"))
    ok("get_user, missing -> UserNotFoundError")

    await call(
        user.update(
            new_metadata={"name": "John Doe", "role": f"admin-{tag}"}, new_user_id=f"{uid}-renamed"
        )
    )
    check(user.user_id == f"{uid}-renamed", "renamed")
    check(user.metadata["role"] == f"admin-{tag}", "metadata replaced")
    await call(user.refresh())
    check(user.user_id == f"{uid}-renamed", "refresh keeps the new id")
    uid = user.user_id
    ok("update (metadata, id), refresh")

    users = await call(
        client.list_users(offset=0, limit=10, metadata_filter={"role": f"admin-{tag}"})
    )
    check(users.total == 1 and [u.user_id for u in users.users] == [uid], "list_users filter")
    check(users.has_more is False, "one page")
    ok("list_users with metadata_filter")

    # -- sessions and messages ----------------------------------------------------------
    session = await call(
        user.create_session(auto_process_after_seconds=600, metadata={"type": "chat"})
    )
    check(session.status == SessionStatus.PENDING, "new session pending")
    same = await call(user.get_session(session_id=session.session_id))
    check(same.session_id == session.session_id and same.metadata == {"type": "chat"}, "get")
    await raises(SessionNotFoundError, lambda: user.get_session(session_id=f"missing-{tag}"))
    await call(session.update(new_metadata={"type": "support_chat"}))
    check(session.metadata == {"type": "support_chat"}, "session metadata replaced")
    await call(session.refresh())
    check(session.metadata == {"type": "support_chat"}, "refresh")
    listed = await call(
        user.list_sessions(
            offset=0,
            limit=10,
            metadata_filter={"type": "support_chat"},
            status_filter=[SessionStatus.PENDING],
        )
    )
    check([s.session_id for s in listed.sessions] == [session.session_id], "list_sessions")
    ok("create/get/update/refresh/list sessions, missing -> SessionNotFoundError")

    await call(
        session.add_message(
            role=MessageRole.USER, content="Hi! I live in Berlin and I'm allergic to peanuts."
        )
    )
    await call(
        session.add_message(role=MessageRole.ASSISTANT, content="Noted. How can I help you today?")
    )
    messages = await call(session.get_messages(offset=0, limit=50))
    check([m.role for m in messages.messages] == [MessageRole.USER, MessageRole.ASSISTANT], "roles")
    check(messages.total == 2 and messages.has_more is False, "message page")
    said_at = utc(messages.messages[0].timestamp)
    last = await call(user.get_last_n_messages(n=5))
    check([m.session_id for m in last.messages] == [session.session_id] * 2, "last messages")
    ok("add_message (user, assistant), get_messages, get_last_n_messages")

    # -- context, plain and streamed -----------------------------------------------------
    context = await call(session.get_context())
    check(context.is_final is True and isinstance(context.context, str), "context")
    check(context.context.startswith(prompt + "\n\n\n"), "system prompt prepended")
    tuned = await call(
        session.get_context(
            recall_strategy=RecallStrategy.LOW_LATENCY,
            min_top_k=10,
            max_top_k=100,
            memories_threshold=0.6,
            summaries_threshold=0.5,
            last_n_messages=20,
            last_n_summaries=5,
            timezone="America/Los_Angeles",
            include_metadata_ids=True,
        )
    )
    check(tuned.metadata is not None, "metadata sent")
    check(tuned.metadata.recall_strategy_used == RecallStrategy.LOW_LATENCY, "strategy used")
    plain = await call(
        session.get_context(recall_strategy=RecallStrategy.AUTO, include_system_prompt=False)
    )
    check(
        plain.is_final and plain.context is not None and not plain.context.startswith(prompt),
        "context without the system prompt",
    )
    events = await collect(session.get_context_stream(include_metadata_ids=True))
    check(len(events) >= 2, f"status events then the final one: {events}")
    check(all(not e.is_final and e.status_update_message for e in events[:-1]), "status events")
    final = events[-1]
    check(final.is_final and final.context and final.context.startswith(prompt), "final event")
    ok("get_context (defaults, tuned, auto without prompt), get_context_stream")

    # -- processing and memories ----------------------------------------------------------
    await call(session.process())
    await settle(session, mode)
    await raises(InvalidSessionStateError, lambda: session.process())
    await raises(
        InvalidSessionStateError,
        lambda: session.add_message(role=MessageRole.USER, content="too late"),
    )
    ok("process -> processed; process/add_message again -> InvalidSessionStateError")

    memories = await call(
        user.list_memories(
            offset=0, limit=20, include_previous_versions=True, include_connected_memories=True
        )
    )
    by_content = {m.content: m for m in memories.items}
    check(memories.total == len(memories.items) >= 2, f"memories: {list(by_content)}")
    berlin = next(m for m in memories.items if "Berlin" in m.content)
    check(berlin.session_id == session.session_id and berlin.version_number == 1, "version 1")
    check(berlin.total_versions == 1 and not berlin.has_previous_versions, "one version")
    check(berlin.merge_conflict_in_progress is False, "no conflict yet")
    # No date stated: both event dates are the time of the message the fact came from.
    check(utc(berlin.event_date_start) == said_at, f"event_date_start {berlin.event_date_start}")
    check(utc(berlin.event_date_end) == said_at, f"event_date_end {berlin.event_date_end}")
    allergies = await call(user.list_memories(categories=["allergies"]))
    check([m.content for m in allergies.items] == ["User is allergic to peanuts"], "category")
    error = await raises(
        InvalidCategoriesError, lambda: user.list_memories(categories=["nope", "allergies"])
    )
    check(error.invalid_categories == ["nope"], f"invalid categories: {error.invalid_categories}")
    got = await call(user.get_memory(berlin.memory_id))
    check(got.memory_id == berlin.memory_id and got.content == berlin.content, "get_memory")
    ok("list_memories (filters, InvalidCategoriesError), get_memory, event dates set")

    # -- merge conflicts ----------------------------------------------------------------
    await call(user.update(merge_conflict_enabled=True))
    check(user.merge_conflict_enabled is True, "merge conflicts enabled for the user")
    moved = await call(user.create_session(metadata={"type": "chat"}))
    await call(moved.add_message(role=MessageRole.USER, content="I live in Paris now."))
    await call(moved.process())
    await settle(moved, mode)
    conflicts = await call(
        user.list_merge_conflicts(
            offset=0,
            limit=10,
            status=MergeConflictStatus.PENDING,
            sort_by="created_at",
            sort_order="desc",
        )
    )
    check(conflicts.total == 1 and len(conflicts.conflicts) == 1, "one pending conflict")
    listed_conflict = conflicts.conflicts[0]
    conflict = await call(user.get_merge_conflict(listed_conflict.conflict_id))
    stale = await call(user.get_merge_conflict(listed_conflict.conflict_id))
    check(conflict.status == MergeConflictStatus.PENDING, "pending")
    # 0.6.6 parses project_user_session_id (required) but exposes it only on the model.
    check(conflict._conflict_data.project_user_session_id == moved.session_id, "its session")
    check(
        conflict.proposed_memory_content is not None
        and "Paris" in conflict.proposed_memory_content,
        f"proposed: {conflict.proposed_memory_content}",
    )
    check([m.memory_id for m in conflict.conflicting_memories] == [berlin.memory_id], "conflicting")
    check(utc(conflict.conflicting_memories[0].event_date_start) == said_at, "its event date")
    utc(conflict.created_at)
    await raises(MergeConflictNotFoundError, lambda: user.get_merge_conflict(f"missing-{tag}"))
    during = await call(user.get_memory(berlin.memory_id))
    check(during.merge_conflict_in_progress is True, "memory shows the conflict in progress")
    ok("list_merge_conflicts, get_merge_conflict, missing -> MergeConflictNotFoundError")

    question = conflict.clarifying_questions[0]
    await raises(
        MergeConflictInvalidAnswerError,
        lambda: conflict.resolve(
            [MergeConflictAnswer(question=question.question, answer="Somewhere else entirely")]
        ),
    )
    await raises(
        MergeConflictInvalidQuestionsError,
        lambda: conflict.resolve(
            [MergeConflictAnswer(question="Not a question of this conflict?", answer="x")]
        ),
    )
    await raises(MergeConflictMissingAnswersError, lambda: conflict.resolve([]))
    check(conflict.status == MergeConflictStatus.PENDING, "nothing changed")
    ok("resolve: invalid answer / invalid question / missing answers errors")

    choice = next(o for o in question.options if "Paris" in o)
    await call(
        conflict.resolve(
            [
                MergeConflictAnswer(
                    question=question.question, answer=choice, message="The user said they moved."
                )
            ]
        )
    )
    check(conflict.status == MergeConflictStatus.RESOLVED, f"resolved: {conflict.status}")
    utc(conflict.resolved_at)
    check(isinstance(conflict.resolution_data, dict), "resolution data")
    await raises(
        MergeConflictAlreadyResolvedError,
        lambda: stale.resolve([MergeConflictAnswer(question=question.question, answer=choice)]),
    )
    await call(stale.refresh())
    check(stale.status == MergeConflictStatus.RESOLVED, "refresh sees the resolution")
    ok("resolve (message), stale resolve -> MergeConflictAlreadyResolvedError, refresh")

    # -- versions ---------------------------------------------------------------------
    memories = await call(user.list_memories())
    paris = next(m for m in memories.items if "lives in" in m.content.lower())
    check("Paris" in paris.content and paris.version_number == 2, f"version 2: {paris.content}")
    check(paris.total_versions == 2 and paris.has_previous_versions, "two versions")
    check(paris.merge_conflict_in_progress is False, "conflict over")
    old = paris.previous_versions[0]
    check(old.memory_id == berlin.memory_id and old.version_number == 1, "version 1 kept")
    check(old.expiration_reason == "MERGE_CONFLICT", f"reason code: {old.expiration_reason}")
    check(old.merge_conflict_id == conflict.conflict_id, "the conflict that expired it")
    utc(old.expired_at)
    by_old_id = await call(user.get_memory(old.memory_id))
    check(by_old_id.content in (paris.content, old.content), "any version's id is accepted")
    ok("versions after resolution: previous_versions, MERGE_CONFLICT, get_memory(old id)")

    # -- deletes ------------------------------------------------------------------------
    await call(user.delete_memory(paris.memory_id, delete_previous_versions=True))
    gone = await raises(RecallrAIError, lambda: user.get_memory(paris.memory_id))
    check(gone.http_status == 404, f"memory gone: {gone}")
    await raises(RecallrAIError, lambda: user.get_memory(old.memory_id))
    await raises(RecallrAIError, lambda: user.delete_memory(paris.memory_id))
    ok("delete_memory(delete_previous_versions=True), then 404")

    await call(moved.delete())
    await raises(SessionNotFoundError, lambda: user.get_session(session_id=moved.session_id))
    await call(user.delete())
    await raises(UserNotFoundError, lambda: client.get_user(uid))
    await raises(UserNotFoundError, lambda: user.refresh())
    ok("session.delete, user.delete, then not found")


async def main(base_url: str, api_key: str) -> None:
    check(recallrai.__version__ == "0.6.6", f"official SDK 0.6.6, got {recallrai.__version__}")
    headers = {"X-Recallr-Api-Key": api_key, "X-Recallr-Project-Id": PROJECT}
    reply = httpx.get(f"{base_url}/api/v1/system-prompt", headers=headers, timeout=30)
    prompt = reply.raise_for_status().json()["system_prompt"]
    sync = RecallrAI(api_key=api_key, project_id=PROJECT, base_url=base_url, timeout=30)
    sync_bad = RecallrAI(api_key="rai_wrong", project_id=PROJECT, base_url=base_url)
    await flow(sync, sync_bad, "sync", prompt)
    async with AsyncRecallrAI(
        api_key=api_key, project_id=PROJECT, base_url=base_url, timeout=30
    ) as client:
        bad = AsyncRecallrAI(api_key="rai_wrong", project_id=PROJECT, base_url=base_url)
        try:
            await flow(client, bad, "async", prompt)
        finally:
            await bad.close()
    print(json.dumps({"sdk": recallrai.__file__, "steps": STEPS}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
