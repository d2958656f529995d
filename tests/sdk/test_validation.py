"""Bad input is refused with ``ValidationError`` before anything is sent.

pytest-httpx fails a test on any request it was not told to expect, and each test
also checks that nothing went out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pytest_httpx import HTTPXMock
from sdk_helpers import API, CONFLICT

from recallrai import AsyncRecallrAI, RecallrAI
from recallrai.exceptions import (
    MergeConflictMissingAnswersError,
    RecallrAIError,
    ValidationError,
)
from recallrai.models import MergeConflictAnswer, SessionStatus

NAIVE = datetime(2024, 1, 2, 3, 4, 5)
PARIS = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))


class Unserialisable:
    pass


# (id, called on, call, a word the message must contain)
BAD: list[tuple[str, str, Callable[[Any], Any], str]] = [
    # get_context ranges (README: min_top_k 5-50, max_top_k 10-100, thresholds 0.2-0.8, ...)
    ("min_top_k=4", "session", lambda s: s.get_context(min_top_k=4), "min_top_k"),
    ("min_top_k=51", "session", lambda s: s.get_context(min_top_k=51), "min_top_k"),
    ("max_top_k=9", "session", lambda s: s.get_context(max_top_k=9), "max_top_k"),
    ("max_top_k=101", "session", lambda s: s.get_context(max_top_k=101), "max_top_k"),
    (
        "min_top_k>max_top_k",
        "session",
        lambda s: s.get_context(min_top_k=40, max_top_k=20),
        "min_top_k",
    ),
    ("min_top_k-str", "session", lambda s: s.get_context(min_top_k="10"), "min_top_k"),
    ("min_top_k-bool", "session", lambda s: s.get_context(min_top_k=True), "min_top_k"),
    (
        "memories_threshold=0.1",
        "session",
        lambda s: s.get_context(memories_threshold=0.1),
        "memories_threshold",
    ),
    (
        "memories_threshold=0.9",
        "session",
        lambda s: s.get_context(memories_threshold=0.9),
        "memories_threshold",
    ),
    (
        "summaries_threshold=0.1",
        "session",
        lambda s: s.get_context(summaries_threshold=0.1),
        "summaries_threshold",
    ),
    (
        "summaries_threshold=0.9",
        "session",
        lambda s: s.get_context(summaries_threshold=0.9),
        "summaries_threshold",
    ),
    (
        "summaries_threshold-nan",
        "session",
        lambda s: s.get_context(summaries_threshold=float("nan")),
        "summaries_threshold",
    ),
    (
        "last_n_messages=0",
        "session",
        lambda s: s.get_context(last_n_messages=0),
        "last_n_messages",
    ),
    (
        "last_n_messages=101",
        "session",
        lambda s: s.get_context(last_n_messages=101),
        "last_n_messages",
    ),
    (
        "last_n_summaries=0",
        "session",
        lambda s: s.get_context(last_n_summaries=0),
        "last_n_summaries",
    ),
    (
        "last_n_summaries=21",
        "session",
        lambda s: s.get_context(last_n_summaries=21),
        "last_n_summaries",
    ),
    (
        "recall_strategy-unknown",
        "session",
        lambda s: s.get_context(recall_strategy="turbo"),
        "recall_strategy",
    ),
    ("timezone-empty", "session", lambda s: s.get_context(timezone=""), "timezone"),
    (
        "include_system_prompt-str",
        "session",
        lambda s: s.get_context(include_system_prompt="yes"),
        "include_system_prompt",
    ),
    (
        "include_metadata_ids-int",
        "session",
        lambda s: s.get_context(include_metadata_ids=1),
        "include_metadata_ids",
    ),
    # the stream checks the same things before it sends
    ("stream-min_top_k=4", "session", lambda s: s.get_context_stream(min_top_k=4), "min_top_k"),
    (
        "stream-thresholds",
        "session",
        lambda s: s.get_context_stream(memories_threshold=0.95),
        "memories_threshold",
    ),
    (
        "stream-last_n_summaries=21",
        "session",
        lambda s: s.get_context_stream(last_n_summaries=21),
        "last_n_summaries",
    ),
    # pages
    ("list_users-limit=0", "client", lambda c: c.list_users(limit=0), "limit"),
    ("list_users-limit=101", "client", lambda c: c.list_users(limit=101), "limit"),
    ("list_users-offset=-1", "client", lambda c: c.list_users(offset=-1), "offset"),
    ("list_users-limit-str", "client", lambda c: c.list_users(limit="10"), "limit"),
    ("list_sessions-limit=0", "user", lambda u: u.list_sessions(limit=0), "limit"),
    ("list_sessions-offset=-5", "user", lambda u: u.list_sessions(offset=-5), "offset"),
    ("list_memories-limit=201", "user", lambda u: u.list_memories(limit=201), "limit"),
    ("list_memories-limit=0", "user", lambda u: u.list_memories(limit=0), "limit"),
    ("list_memories-offset=-1", "user", lambda u: u.list_memories(offset=-1), "offset"),
    ("get_messages-limit=0", "session", lambda s: s.get_messages(limit=0), "limit"),
    ("get_messages-offset=-1", "session", lambda s: s.get_messages(offset=-1), "offset"),
    ("list_merge_conflicts-limit=0", "user", lambda u: u.list_merge_conflicts(limit=0), "limit"),
    (
        "list_merge_conflicts-offset=-1",
        "user",
        lambda u: u.list_merge_conflicts(offset=-1),
        "offset",
    ),
    # last n messages
    ("get_last_n_messages-0", "user", lambda u: u.get_last_n_messages(n=0), "n "),
    ("get_last_n_messages-101", "user", lambda u: u.get_last_n_messages(n=101), "n "),
    ("get_last_n_messages-str", "user", lambda u: u.get_last_n_messages(n="5"), "n "),
    # ids
    ("get_user-empty", "client", lambda c: c.get_user(""), "user_id"),
    ("get_user-blank", "client", lambda c: c.get_user("   "), "user_id"),
    ("get_user-None", "client", lambda c: c.get_user(None), "user_id"),
    ("get_user-int", "client", lambda c: c.get_user(123), "user_id"),
    ("get_user-no-validate-empty", "client", lambda c: c.get_user("", validate=False), "user_id"),
    ("create_user-empty", "client", lambda c: c.create_user(""), "user_id"),
    ("create_user-int", "client", lambda c: c.create_user(42), "user_id"),
    ("update-new_user_id-empty", "user", lambda u: u.update(new_user_id=""), "new_user_id"),
    ("get_session-empty", "user", lambda u: u.get_session(""), "session_id"),
    ("get_session-int", "user", lambda u: u.get_session(7), "session_id"),
    (
        "get_session-no-validate-empty",
        "user",
        lambda u: u.get_session("", validate=False),
        "session_id",
    ),
    ("get_memory-empty", "user", lambda u: u.get_memory(""), "memory_id"),
    ("delete_memory-None", "user", lambda u: u.delete_memory(None), "memory_id"),
    ("get_merge_conflict-empty", "user", lambda u: u.get_merge_conflict(""), "conflict_id"),
    # create_session
    (
        "auto_process_after_seconds=599",
        "user",
        lambda u: u.create_session(auto_process_after_seconds=599),
        "auto_process_after_seconds",
    ),
    (
        "auto_process_after_seconds=0",
        "user",
        lambda u: u.create_session(auto_process_after_seconds=0),
        "auto_process_after_seconds",
    ),
    (
        "auto_process_after_seconds-str",
        "user",
        lambda u: u.create_session(auto_process_after_seconds="600"),
        "auto_process_after_seconds",
    ),
    (
        "custom_created_at_utc-naive",
        "user",
        lambda u: u.create_session(custom_created_at_utc=NAIVE),
        "custom_created_at_utc",
    ),
    (
        "custom_created_at_utc-not-utc",
        "user",
        lambda u: u.create_session(custom_created_at_utc=PARIS),
        "custom_created_at_utc",
    ),
    (
        "custom_created_at_utc-str",
        "user",
        lambda u: u.create_session(custom_created_at_utc="2024-01-02T03:04:05Z"),
        "custom_created_at_utc",
    ),
    # metadata and filters
    ("create_user-metadata-list", "client", lambda c: c.create_user("u", ["a"]), "metadata"),
    (
        "create_user-metadata-unserialisable",
        "client",
        lambda c: c.create_user("u", {"x": Unserialisable()}),
        "metadata",
    ),
    (
        "create_user-metadata-datetime",
        "client",
        lambda c: c.create_user("u", {"at": NAIVE}),
        "metadata",
    ),
    ("create_user-metadata-int-keys", "client", lambda c: c.create_user("u", {1: "a"}), "metadata"),
    (
        "create_user-merge_conflict_enabled-str",
        "client",
        lambda c: c.create_user("u", merge_conflict_enabled="yes"),
        "merge_conflict_enabled",
    ),
    ("update-new_metadata-str", "user", lambda u: u.update(new_metadata="x"), "new_metadata"),
    (
        "create_session-metadata-set",
        "user",
        lambda u: u.create_session(metadata={"s": {1, 2}}),
        "metadata",
    ),
    ("session.update-list", "session", lambda s: s.update(new_metadata=[1]), "new_metadata"),
    (
        "list_users-metadata_filter-list",
        "client",
        lambda c: c.list_users(metadata_filter=["role"]),
        "metadata_filter",
    ),
    (
        "list_sessions-metadata_filter-str",
        "user",
        lambda u: u.list_sessions(metadata_filter='{"a": 1}'),
        "metadata_filter",
    ),
    (
        "list_sessions-user_metadata_filter-unserialisable",
        "user",
        lambda u: u.list_sessions(user_metadata_filter={"a": Unserialisable()}),
        "user_metadata_filter",
    ),
    (
        "list_memories-session_metadata_filter-list",
        "user",
        lambda u: u.list_memories(session_metadata_filter=[1]),
        "session_metadata_filter",
    ),
    # enums and lists
    (
        "status_filter-unknown",
        "user",
        lambda u: u.list_sessions(status_filter=["archived"]),
        "status_filter",
    ),
    (
        "status_filter-single-str",
        "user",
        lambda u: u.list_sessions(status_filter="pending"),
        "status_filter",
    ),
    (
        "status_filter-mixed",
        "user",
        lambda u: u.list_sessions(status_filter=[SessionStatus.PENDING, "bogus"]),
        "status_filter",
    ),
    (
        "list_merge_conflicts-status",
        "user",
        lambda u: u.list_merge_conflicts(status="DONE"),
        "status",
    ),
    (
        "list_merge_conflicts-sort_by",
        "user",
        lambda u: u.list_merge_conflicts(sort_by="updated_at"),
        "sort_by",
    ),
    (
        "list_merge_conflicts-sort_order",
        "user",
        lambda u: u.list_merge_conflicts(sort_order="up"),
        "sort_order",
    ),
    ("categories-str", "user", lambda u: u.list_memories(categories="food"), "categories"),
    ("categories-empty-item", "user", lambda u: u.list_memories(categories=[""]), "categories"),
    (
        "session_id_filter-int-item",
        "user",
        lambda u: u.list_memories(session_id_filter=[1]),
        "session_id_filter",
    ),
    (
        "include_previous_versions-str",
        "user",
        lambda u: u.list_memories(include_previous_versions="no"),
        "include_previous_versions",
    ),
    (
        "delete_previous_versions-int",
        "user",
        lambda u: u.delete_memory("m", delete_previous_versions=1),
        "delete_previous_versions",
    ),
    # messages
    ("add_message-role-system", "session", lambda s: s.add_message("system", "hi"), "role"),
    ("add_message-role-None", "session", lambda s: s.add_message(None, "hi"), "role"),
    ("add_message-content-None", "session", lambda s: s.add_message("user", None), "content"),
    ("add_message-content-bytes", "session", lambda s: s.add_message("user", b"hi"), "content"),
]


@pytest.mark.parametrize(("on", "bad_call", "word"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_before_sending(
    on: str,
    bad_call: Callable[[Any], Any],
    word: str,
    sdk: Any,
    user: Any,
    session: Any,
    httpx_mock: HTTPXMock,
) -> None:
    target = {"client": sdk.client, "user": user, "session": session}[on]
    with pytest.raises(ValidationError) as info:
        result = bad_call(target)
        if hasattr(result, "__aiter__") or (hasattr(result, "__iter__") and not sdk.is_async):
            sdk.collect(result)
        else:
            sdk.run(result)
    assert httpx_mock.get_requests() == []
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, RecallrAIError)
    assert error.http_status is None
    assert word in str(error), str(error)


# resolve's answers -------------------------------------------------------------------------

BAD_ANSWERS: list[tuple[str, Any, str]] = [
    ("dict", {"question": "Q", "answer": "A"}, "list of MergeConflictAnswer"),
    ("string", "Paris", "list of MergeConflictAnswer"),
    ("list-of-dicts", [{"question": "Q", "answer": "A"}], "MergeConflictAnswer"),
    ("None", None, "list of MergeConflictAnswer"),
    ("one-answer-not-in-a-list", MergeConflictAnswer("Q", "A"), "list of MergeConflictAnswer"),
    ("mixed", [MergeConflictAnswer("Q", "A"), ("Q2", "A2")], "MergeConflictAnswer"),
    ("answer-not-str", [MergeConflictAnswer("Q", 1)], "answer"),  # type: ignore[arg-type]
    ("question-not-str", [MergeConflictAnswer(None, "A")], "question"),  # type: ignore[arg-type]
    ("message-not-str", [MergeConflictAnswer("Q", "A", 3)], "message"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("answers", "word"), [a[1:] for a in BAD_ANSWERS], ids=[a[0] for a in BAD_ANSWERS]
)
def test_resolve_refuses_answers_that_are_not_a_list_of_merge_conflict_answers(
    answers: Any, word: str, sdk: Any, user: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(url=f"{API}/users/u/merge-conflicts/c", json=CONFLICT)
    conflict = sdk.run(user.get_merge_conflict("c"))
    with pytest.raises(ValidationError) as info:
        sdk.run(conflict.resolve(answers))
    assert len(httpx_mock.get_requests()) == 1  # only the lookup above
    assert word in str(info.value)


def test_resolve_with_no_answers_lets_the_server_name_the_missing_ones(
    sdk: Any, user: Any, httpx_mock: HTTPXMock
) -> None:
    # Deliberate (see tests/e2e/test_readme.py): an empty list is sent, and the server's
    # 400 says which questions lack answers, which a client-side check could not.
    httpx_mock.add_response(url=f"{API}/users/u/merge-conflicts/c", json=CONFLICT)
    conflict = sdk.run(user.get_merge_conflict("c"))
    httpx_mock.add_response(
        method="POST",
        status_code=400,
        json={
            "detail": "Missing answers for the following questions: ['Where do you live?']",
            "missing_questions": ["Where do you live?"],
        },
    )
    with pytest.raises(MergeConflictMissingAnswersError) as info:
        sdk.run(conflict.resolve([]))
    assert info.value.missing_questions == ["Where do you live?"]
    sent = httpx_mock.get_requests()[-1]
    assert json.loads(sent.content) == {"answers": {"question_answers": []}}


def test_resolve_accepts_a_tuple_of_answers(sdk: Any, user: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=f"{API}/users/u/merge-conflicts/c", json=CONFLICT)
    conflict = sdk.run(user.get_merge_conflict("c"))
    httpx_mock.add_response(method="POST", json={**CONFLICT, "status": "RESOLVED"})
    sdk.run(conflict.resolve((MergeConflictAnswer(question="Where do you live?", answer="Paris"),)))
    assert conflict.status == "RESOLVED"


# Client settings ------------------------------------------------------------------------------

CLIENTS = [RecallrAI, AsyncRecallrAI]


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RECALLRAI_API_KEY", "RECALLRAI_PROJECT_ID", "RECALLRAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    ("kwargs", "word"),
    [
        ({"api_key": "sk_live_123", "project_id": "p"}, "rai_"),
        ({"api_key": "RAI_upper", "project_id": "p"}, "rai_"),
        ({"project_id": "p"}, "API key"),
        ({"api_key": "", "project_id": "p"}, "API key"),
        ({"api_key": "rai_x"}, "project"),
        ({"api_key": "rai_x", "project_id": ""}, "project"),
        ({"api_key": "rai_x", "project_id": "p", "base_url": "api.recallrai.com"}, "base_url"),
        ({"api_key": "rai_x", "project_id": "p", "base_url": "ftp://api.test"}, "base_url"),
    ],
    ids=[
        "key-prefix",
        "key-prefix-case",
        "no-key",
        "empty-key",
        "no-project",
        "empty-project",
        "url-no-scheme",
        "url-ftp",
    ],
)
def test_client_settings_are_checked(cls: type, kwargs: dict[str, Any], word: str) -> None:
    with pytest.raises(ValidationError) as info:
        cls(**kwargs)
    assert word in str(info.value)
    assert "rai_x" not in str(info.value) and "sk_live_123" not in str(info.value)


@pytest.mark.parametrize(
    ("cls", "wrong"),
    [(RecallrAI, httpx.AsyncClient), (AsyncRecallrAI, httpx.Client)],
    ids=["sync-with-async-client", "async-with-sync-client"],
)
def test_http_client_must_match_the_flavour(cls: type, wrong: type) -> None:
    http = wrong()
    try:
        with pytest.raises(ValidationError, match="http_client"):
            cls(api_key="rai_x", project_id="p", http_client=http)
    finally:
        if isinstance(http, httpx.Client):
            http.close()


def test_a_valid_utc_datetime_with_another_tzinfo_is_accepted(
    sdk: Any, user: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        status_code=201, json={"session_id": "s", "status": "pending"}, is_reusable=True
    )
    for tz in (UTC, ZoneInfo("Etc/UTC"), timezone(timedelta(0), "Z")):
        sdk.run(user.create_session(custom_created_at_utc=datetime(2024, 1, 2, tzinfo=tz)))
    assert len(httpx_mock.get_requests()) == 3
