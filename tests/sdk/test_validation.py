"""Bad input is refused with ``ValidationError`` before anything is sent.

pytest-httpx fails a test on any request it was not told to expect, and each test
also checks that nothing went out.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from pytest_httpx import HTTPXMock
from sdk_helpers import API, CONFLICT, only_request

from recallrai import AsyncRecallrAI, RecallrAI
from recallrai.exceptions import (
    MergeConflictMissingAnswersError,
    RecallrAIError,
    ValidationError,
)
from recallrai.models import MergeConflictAnswer, MergeConflictStatus, MessageRole, SessionStatus

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
    ("message-10001", [MergeConflictAnswer("Q", "A", "m" * 10_001)], "message must be 0 to 10,000"),
    ("answer-10001", [MergeConflictAnswer("Q", "a" * 10_001)], "answer must be 0 to 10,000"),
    ("answer-surrogate", [MergeConflictAnswer("Q", "\ud800")], "answer must be valid Unicode"),
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


# The agreed bounds (issue 13: each case that used to escape as a non-RecallrAI error) ------

DEEP = 2_000


def _deep(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"k": value}
    return value


LONG = "A" * 100_000
BOUNDS: list[tuple[str, str, Callable[[Any], Any], str]] = [
    # long ids used to escape as httpx.InvalidURL
    ("get_user-100k", "client", lambda c: c.get_user(LONG), "user_id must be 1 to 255"),
    ("get_user-256", "client", lambda c: c.get_user("A" * 256), "user_id must be 1 to 255"),
    ("create_user-256", "client", lambda c: c.create_user("A" * 256), "user_id"),
    ("get_session-100k", "user", lambda u: u.get_session(LONG), "session_id must be 1 to 255"),
    ("get_memory-100k", "user", lambda u: u.get_memory(LONG), "memory_id must be 1 to 255"),
    (
        "get_merge_conflict-100k",
        "user",
        lambda u: u.get_merge_conflict(LONG),
        "conflict_id must be 1 to 255",
    ),
    ("new_user_id-256", "user", lambda u: u.update(new_user_id="A" * 256), "new_user_id"),
    (
        "metadata_filter-100KB",
        "client",
        lambda c: c.list_users(metadata_filter={"k": "x" * 100_000}),
        "metadata_filter must be at most 4,096 bytes",
    ),
    (
        "categories-huge-name",
        "user",
        lambda u: u.list_memories(categories=["c" * 100_000]),
        "categories must be 1 to 100 characters",
    ),
    (
        "categories-101-chars",
        "user",
        lambda u: u.list_memories(categories=["c" * 101]),
        "categories must be 1 to 100",
    ),
    (
        "categories-101-items",
        "user",
        lambda u: u.list_memories(categories=["c"] * 101),
        "at most 100 items",
    ),
    (
        "session_id_filter-101-items",
        "user",
        lambda u: u.list_memories(session_id_filter=["s"] * 101),
        "at most 100 items",
    ),
    # lone surrogates used to escape as UnicodeEncodeError
    ("get_user-surrogate", "client", lambda c: c.get_user("\ud800"), "lone surrogate"),
    ("session-surrogate", "user", lambda u: u.get_session("a\udfff"), "session_id"),
    (
        "content-surrogate",
        "session",
        lambda s: s.add_message("user", "hi \ud800"),
        "content must be valid Unicode",
    ),
    (
        "metadata-surrogate",
        "client",
        lambda c: c.create_user("u", {"k": "\ud800"}),
        "lone surrogate",
    ),
    (
        "filter-surrogate-key",
        "client",
        lambda c: c.list_users(metadata_filter={"\ud800": 1}),
        "key",
    ),
    # deep nesting used to escape as RecursionError
    (
        "metadata-2000-deep",
        "client",
        lambda c: c.create_user("u", _deep(DEEP)),
        "nesting deeper than 32",
    ),
    (
        "metadata_filter-2000-deep",
        "client",
        lambda c: c.list_users(metadata_filter=_deep(DEEP)),
        "nesting deeper than 32",
    ),
    ("session-metadata-33-deep", "session", lambda s: s.update(_deep(33)), "deeper than 32"),
    # the other agreed bounds
    ("control-char-id", "client", lambda c: c.get_user("a\x00b"), "control characters"),
    ("newline-id", "user", lambda u: u.get_memory("m\n"), "U+000A"),
    ("del-id", "user", lambda u: u.get_merge_conflict("c\x7f"), "U+007F"),
    (
        "metadata-64KiB",
        "client",
        lambda c: c.create_user("u", {"k": "x" * 65_536}),
        "metadata must be at most 65,536 bytes",
    ),
    (
        "metadata-bytes-not-chars",  # 40,000 characters, 80,000 bytes of UTF-8
        "user",
        lambda u: u.update(new_metadata={"k": "é" * 40_000}),
        "new_metadata must be at most 65,536 bytes",
    ),
    ("metadata-nan", "client", lambda c: c.create_user("u", {"f": float("nan")}), "nan"),
    (
        "metadata-self-repeating",  # small in memory, terabytes as JSON
        "client",
        lambda c: c.create_user("u", {"w": _self_repeating()}),
        "bytes as JSON",
    ),
    ("content-empty", "session", lambda s: s.add_message("user", ""), "content must be 1 to"),
    (
        "content-1M+1",
        "session",
        lambda s: s.add_message("user", "x" * 1_000_001),
        "1,000,000",
    ),
    (
        "auto_process_after_seconds-too-long",
        "user",
        lambda u: u.create_session(auto_process_after_seconds=31_536_001),
        "between 600 and 31,536,000",
    ),
    ("offset-int32", "client", lambda c: c.list_users(offset=2**31), "2,147,483,647"),
    ("offset-2**70", "user", lambda u: u.list_memories(offset=2**70), "a larger number"),
    (
        "timezone-65",
        "session",
        lambda s: s.get_context(timezone="x" * 65),
        "timezone must be 1 to 64",
    ),
    (
        "timezone-control-char",
        "session",
        lambda s: s.get_context(timezone="Bad\nZone"),
        "control characters",
    ),
    (
        "threshold-huge-int",
        "session",
        lambda s: s.get_context(memories_threshold=10**400),
        "memories_threshold",
    ),
    # enum spellings: the valid values are listed
    (
        "recall_strategy-listed",
        "session",
        lambda s: s.get_context(recall_strategy="turbo"),
        "'low_latency', 'balanced', 'agentic', 'auto'",
    ),
    ("role-listed", "session", lambda s: s.add_message("system", "hi"), "'user', 'assistant'"),
    ("sort_order-listed", "user", lambda u: u.list_merge_conflicts(sort_order="up"), "'asc'"),
]


def _self_repeating() -> list[Any]:
    value: list[Any] = []
    for _ in range(8):
        value = [value] * 50
    return value


@pytest.mark.parametrize(
    ("on", "bad_call", "word"), [b[1:] for b in BOUNDS], ids=[b[0] for b in BOUNDS]
)
def test_agreed_bounds_are_checked_before_sending(
    on: str,
    bad_call: Callable[[Any], Any],
    word: str,
    sdk: Any,
    user: Any,
    session: Any,
    httpx_mock: HTTPXMock,
) -> None:
    test_bad_input_is_refused_before_sending(on, bad_call, word, sdk, user, session, httpx_mock)


def test_a_refused_value_is_shown_short(client: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    with pytest.raises(ValidationError) as info:
        run(client.list_users(limit="x" * 100_000))
    assert len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("call", "value"),
    [
        (lambda c, v: c.get_user(v), "A" * 255),
        (lambda c, v: c.get_user(v), "é" * 255),
        (lambda c, v: c.list_users(metadata_filter=v), {"k": "x" * 4_000}),
        (lambda c, v: c.create_user("u", v), {"k": "x" * 65_000}),
        (lambda c, v: c.create_user("u", v), _deep(32)),
    ],
    ids=["id-255", "id-255-non-ascii", "filter-4000", "metadata-65000", "metadata-32-deep"],
)
def test_values_at_the_bounds_are_sent(
    call: Callable[[Any, Any], Any], value: Any, client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"custom_user_id": "u", "users": [], "total": 0})
    run(call(client, value))
    assert len(httpx_mock.get_requests()) == 1


# Enum arguments: every spelling the README uses -----------------------------------------------

SPELLINGS = [
    ("deep", "recall_strategy", "agentic"),
    ("DEEP", "recall_strategy", "agentic"),
    ("Low_Latency", "recall_strategy", "low_latency"),
    ("BALANCED", "recall_strategy", "balanced"),
]


@pytest.mark.parametrize(("given", "name", "wire"), SPELLINGS)
def test_recall_strategy_spellings(
    given: str, name: str, wire: str, session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"context": "c", "is_final": True})
    run(session.get_context(recall_strategy=given, include_system_prompt=False))
    assert only_request(httpx_mock).url.params[name] == wire


def test_deep_strategy_prepends_the_agentic_prompt(
    session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        url=re.compile(r".*/context.*"), json={"context": "c", "is_final": True}
    )
    httpx_mock.add_response(url=re.compile(r".*/system-prompt.*"), json={"system_prompt": "P"})
    context = run(session.get_context(recall_strategy="deep"))
    assert context.context.startswith("P")
    prompt = httpx_mock.get_requests()[-1]
    assert prompt.url.params["recall_strategy"] == "agentic"


@pytest.mark.parametrize("given", ["pending", "PENDING", "Pending", MergeConflictStatus.PENDING])
def test_merge_conflict_status_in_either_case(
    given: Any, user: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"conflicts": [], "total": 0, "has_more": False})
    run(user.list_merge_conflicts(status=given, sort_by="RESOLVED_AT", sort_order="ASC"))
    params = only_request(httpx_mock).url.params
    assert (params["status"], params["sort_by"], params["sort_order"]) == (
        "PENDING",
        "resolved_at",
        "asc",
    )


@pytest.mark.parametrize("given", ["USER", "User", "user", MessageRole.USER])
def test_role_in_any_case(given: Any, session: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"status": "ok"})
    run(session.add_message(given, "hi"))
    assert json.loads(only_request(httpx_mock).content)["role"] == "user"


@pytest.mark.parametrize("given", ["PROCESSED", "processed", SessionStatus.PROCESSED])
def test_session_status_filter_in_any_case(
    given: Any, user: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"sessions": [], "total": 0, "has_more": False})
    run(user.list_sessions(status_filter=[given]))
    assert only_request(httpx_mock).url.params.get_list("status_filter") == ["processed"]


# Keys and project ids, checked at construction ----------------------------------------------

SECRET = "rai_s3cr3t_Zq9"


@pytest.mark.usefixtures("no_env")
@pytest.mark.parametrize("cls", CLIENTS, ids=lambda c: c.__name__)
@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"api_key": SECRET + "\n"}, "API key has a trailing newline"),
        ({"api_key": SECRET + "\r\n"}, "API key has a trailing newline"),
        ({"api_key": " " + SECRET}, "API key has a leading space"),
        ({"api_key": SECRET + "\t"}, "API key has a trailing tab"),
        (
            {"api_key": "rai_s3cr\u00e9t_Zq9"},
            "API key contains a non-ASCII character at position 8",
        ),
        ({"api_key": "rai_s3cr\x00t_Zq9"}, "API key contains a space or control character"),
        ({"api_key": "rai_s3 cr3t_Zq9"}, "API key contains a space or control character"),
        ({"api_key": "rai_s3\ud800t_Zq9"}, "API key contains a non-ASCII character"),
        ({"api_key": SECRET, "project_id": "p\n"}, "project id has a trailing newline"),
        ({"api_key": SECRET, "project_id": "pr\u00f6ject"}, "project id contains a non-ASCII"),
        ({"api_key": SECRET, "project_id": 7}, "project id must be a string"),
        ({"api_key": SECRET, "base_url": "http://[::1"}, "base_url is not a valid URL"),
        ({"api_key": SECRET, "base_url": "http://api.test/?x=1"}, "query or fragment"),
        ({"api_key": SECRET, "base_url": "http://api .test"}, "base_url"),
        ({"api_key": SECRET, "base_url": 8080}, "base_url must be a string"),
        ({"api_key": SECRET, "timeout": float("nan")}, "timeout"),
        ({"api_key": SECRET, "timeout": float("inf")}, "timeout"),
        ({"api_key": SECRET, "timeout": httpx.Timeout(float("nan"))}, "timeout's connect"),
        ({"api_key": SECRET, "max_retries": 10**9}, "max_retries must be an integer from 0 to 100"),
    ],
    ids=[
        "key-newline",
        "key-crlf",
        "key-leading-space",
        "key-tab",
        "key-non-ascii",
        "key-nul",
        "key-inner-space",
        "key-surrogate",
        "project-newline",
        "project-non-ascii",
        "project-int",
        "url-broken-ipv6",
        "url-query",
        "url-space",
        "url-int",
        "timeout-nan",
        "timeout-inf",
        "timeout-object-nan",
        "retries-huge",
    ],
)
def test_credentials_and_settings_are_checked_at_construction(
    cls: type, kwargs: dict[str, Any], words: str
) -> None:
    with pytest.raises(ValidationError) as info:
        cls(**{"project_id": "p", **kwargs})
    error = info.value
    assert words in str(error)
    shown = "".join(traceback.format_exception(error)) + repr(error)
    assert "s3cr" not in shown  # neither the key nor a piece of it
