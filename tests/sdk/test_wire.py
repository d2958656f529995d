"""What every public method sends, and what it makes of the answer (sync and async).

Requests are checked byte for byte where it matters: method, percent-encoded path,
query (repeated keys, JSON-encoded filters), JSON body and the SDK's headers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpx import HTTPXMock
from sdk_helpers import (
    API,
    CONFLICT,
    CONTEXT,
    MEMORY,
    SESSION,
    USER,
    assert_sdk_headers,
    body,
    only_request,
    page,
    query,
    raw_path,
    requests_to,
)

from recallrai import AsyncRecallrAI, RecallrAI
from recallrai.models import (
    Context,
    MemoryItem,
    MemoryRelationship,
    MemoryVersionInfo,
    MergeConflictAnswer,
    MergeConflictStatus,
    MessageRole,
    RecallStrategy,
    SessionStatus,
)
from recallrai.session import Session

ROOT = Path(__file__).resolve().parents[2]
JSON_QUERY_KEYS = ("metadata_filter", "user_metadata_filter", "session_metadata_filter")
T0 = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
ANSWERS = [MergeConflictAnswer(question="Where do you live?", answer="Paris", message="moved")]


def utc(value: datetime | None) -> datetime:
    """``value``, checked to be an aware datetime in UTC."""
    assert isinstance(value, datetime)
    assert value.tzinfo is not None and value.utcoffset() is not None
    assert value.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    return value


def fetch_conflict(run: Callable[[Any], Any], user: Any, httpx_mock: HTTPXMock) -> Any:
    httpx_mock.add_response(method="GET", url=f"{API}/users/u/merge-conflicts/c", json=CONFLICT)
    return run(user.get_merge_conflict("c"))


# Every request, as a table ---------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One call: on what, what it sends, and the answer the mock gives."""

    id: str
    on: str  # "client", "user", "session" or "conflict"
    call: Callable[[Any], Any]
    method: str
    path: str  # after /api/v1, percent-encoded as on the wire
    query: dict[str, list[Any]] = field(default_factory=dict)
    body: Any = None
    status: int = 200
    answer: Any = None


CASES = [
    # Client
    Case(
        "create_user",
        "client",
        lambda c: c.create_user(user_id="u", metadata={"name": "John Doe"}),
        "POST",
        "/users",
        body={"custom_user_id": "u", "metadata": {"name": "John Doe"}},
        status=201,
        answer=USER,
    ),
    Case(
        "create_user-defaults",
        "client",
        lambda c: c.create_user("u"),
        "POST",
        "/users",
        body={"custom_user_id": "u", "metadata": {}},
        status=201,
        answer=USER,
    ),
    Case(
        "create_user-merge_conflict_enabled",
        "client",
        lambda c: c.create_user("u", merge_conflict_enabled=False),
        "POST",
        "/users",
        body={"custom_user_id": "u", "metadata": {}, "merge_conflict_enabled": False},
        status=201,
        answer=USER,
    ),
    Case("get_user", "client", lambda c: c.get_user("u"), "GET", "/users/u", answer=USER),
    Case(
        "list_users-defaults",
        "client",
        lambda c: c.list_users(),
        "GET",
        "/users",
        query={"offset": ["0"], "limit": ["10"]},
        answer=page("users", []),
    ),
    Case(
        "list_users",
        "client",
        lambda c: c.list_users(offset=5, limit=20, metadata_filter={"role": "admin", "n": 1}),
        "GET",
        "/users",
        query={"offset": ["5"], "limit": ["20"], "metadata_filter": [{"role": "admin", "n": 1}]},
        answer=page("users", []),
    ),
    # User
    Case(
        "user.update",
        "user",
        lambda u: u.update(new_metadata={"role": "admin"}, new_user_id="john_doe"),
        "PUT",
        "/users/u",
        body={"new_metadata": {"role": "admin"}, "new_custom_user_id": "john_doe"},
        answer=USER,
    ),
    Case(
        "user.update-merge_conflict_enabled",
        "user",
        lambda u: u.update(merge_conflict_enabled=True),
        "PUT",
        "/users/u",
        body={"merge_conflict_enabled": True},
        answer=USER,
    ),
    Case("user.refresh", "user", lambda u: u.refresh(), "GET", "/users/u", answer=USER),
    Case("user.delete", "user", lambda u: u.delete(), "DELETE", "/users/u", status=204),
    Case(
        "create_session",
        "user",
        lambda u: u.create_session(
            auto_process_after_seconds=900, metadata={"type": "chat"}, custom_created_at_utc=T0
        ),
        "POST",
        "/users/u/sessions",
        body={
            "auto_process_after_seconds": 900,
            "metadata": {"type": "chat"},
            "custom_created_at_utc": "2024-01-02T03:04:05+00:00",
        },
        status=201,
        answer=SESSION,
    ),
    Case(
        "create_session-defaults",
        "user",
        lambda u: u.create_session(),
        "POST",
        "/users/u/sessions",
        body={"auto_process_after_seconds": 600, "metadata": {}},
        status=201,
        answer=SESSION,
    ),
    Case(
        "get_session",
        "user",
        lambda u: u.get_session(session_id="s"),
        "GET",
        "/users/u/sessions/s",
        answer=SESSION,
    ),
    Case(
        "list_sessions-defaults",
        "user",
        lambda u: u.list_sessions(),
        "GET",
        "/users/u/sessions",
        query={"offset": ["0"], "limit": ["10"]},
        answer=page("sessions", []),
    ),
    Case(
        "list_sessions",
        "user",
        lambda u: u.list_sessions(
            offset=10,
            limit=5,
            metadata_filter={"type": "chat"},
            user_metadata_filter={"role": "admin"},
            status_filter=[SessionStatus.PENDING, "processing"],
        ),
        "GET",
        "/users/u/sessions",
        query={
            "offset": ["10"],
            "limit": ["5"],
            "metadata_filter": [{"type": "chat"}],
            "user_metadata_filter": [{"role": "admin"}],
            "status_filter": ["pending", "processing"],
        },
        answer=page("sessions", []),
    ),
    Case(
        "list_memories-defaults",
        "user",
        lambda u: u.list_memories(),
        "GET",
        "/users/u/memories",
        query={
            "offset": ["0"],
            "limit": ["20"],
            "include_previous_versions": ["true"],
            "include_connected_memories": ["true"],
        },
        answer=page("items", []),
    ),
    Case(
        "list_memories",
        "user",
        lambda u: u.list_memories(
            categories=["food_preferences", "allergies"],
            offset=40,
            limit=200,
            include_previous_versions=False,
            include_connected_memories=False,
            session_id_filter=["s1", "s2"],
            session_metadata_filter={"type": "chat"},
        ),
        "GET",
        "/users/u/memories",
        query={
            "offset": ["40"],
            "limit": ["200"],
            "categories": ["food_preferences", "allergies"],
            "session_id_filter": ["s1", "s2"],
            "session_metadata_filter": [{"type": "chat"}],
            "include_previous_versions": ["false"],
            "include_connected_memories": ["false"],
        },
        answer=page("items", []),
    ),
    Case(
        "list_memories-tuples",
        "user",
        lambda u: u.list_memories(categories=("a", "b"), session_id_filter=("s1",)),
        "GET",
        "/users/u/memories",
        query={
            "offset": ["0"],
            "limit": ["20"],
            "categories": ["a", "b"],
            "session_id_filter": ["s1"],
            "include_previous_versions": ["true"],
            "include_connected_memories": ["true"],
        },
        answer=page("items", []),
    ),
    Case(
        "list_sessions-status_filter-tuple",
        "user",
        lambda u: u.list_sessions(status_filter=(SessionStatus.FAILED,)),
        "GET",
        "/users/u/sessions",
        query={"offset": ["0"], "limit": ["10"], "status_filter": ["failed"]},
        answer=page("sessions", []),
    ),
    Case(
        "get_memory",
        "user",
        lambda u: u.get_memory("m3"),
        "GET",
        "/users/u/memory/m3",
        query={"include_previous_versions": ["true"], "include_connected_memories": ["true"]},
        answer=MEMORY,
    ),
    Case(
        "get_memory-flags",
        "user",
        lambda u: u.get_memory(
            "m3", include_previous_versions=False, include_connected_memories=False
        ),
        "GET",
        "/users/u/memory/m3",
        query={"include_previous_versions": ["false"], "include_connected_memories": ["false"]},
        answer=MEMORY,
    ),
    Case(
        "delete_memory-defaults",
        "user",
        lambda u: u.delete_memory("m3"),
        "DELETE",
        "/users/u/memory/m3",
        query={"delete_previous_versions": ["false"]},
        status=204,
    ),
    Case(
        "delete_memory",
        "user",
        lambda u: u.delete_memory("m3", delete_previous_versions=True),
        "DELETE",
        "/users/u/memory/m3",
        query={"delete_previous_versions": ["true"]},
        status=204,
    ),
    Case(
        "get_last_n_messages",
        "user",
        lambda u: u.get_last_n_messages(n=5),
        "GET",
        "/users/u/messages",
        query={"limit": ["5"]},
        answer={"messages": []},
    ),
    Case(
        "list_merge_conflicts-defaults",
        "user",
        lambda u: u.list_merge_conflicts(),
        "GET",
        "/users/u/merge-conflicts",
        query={
            "offset": ["0"],
            "limit": ["10"],
            "sort_by": ["created_at"],
            "sort_order": ["desc"],
        },
        answer=page("conflicts", []),
    ),
    Case(
        "list_merge_conflicts",
        "user",
        lambda u: u.list_merge_conflicts(
            offset=3,
            limit=7,
            status=MergeConflictStatus.PENDING,
            sort_by="resolved_at",
            sort_order="asc",
        ),
        "GET",
        "/users/u/merge-conflicts",
        query={
            "offset": ["3"],
            "limit": ["7"],
            "status": ["PENDING"],
            "sort_by": ["resolved_at"],
            "sort_order": ["asc"],
        },
        answer=page("conflicts", []),
    ),
    Case(
        "get_merge_conflict",
        "user",
        lambda u: u.get_merge_conflict("c"),
        "GET",
        "/users/u/merge-conflicts/c",
        answer=CONFLICT,
    ),
    # Session
    Case(
        "add_message-user",
        "session",
        lambda s: s.add_message(role=MessageRole.USER, content="Hello! How are you?"),
        "POST",
        "/users/u/sessions/s/add-message",
        body={"message": "Hello! How are you?", "role": "user"},
        answer={"status": "ok"},
    ),
    Case(
        "add_message-assistant-str",
        "session",
        lambda s: s.add_message("assistant", "Hi"),
        "POST",
        "/users/u/sessions/s/add-message",
        body={"message": "Hi", "role": "assistant"},
        answer={"status": "ok"},
    ),
    Case(
        "get_context-no-system-prompt",
        "session",
        lambda s: s.get_context(include_system_prompt=False),
        "GET",
        "/users/u/sessions/s/context",
        query={
            "recall_strategy": ["balanced"],
            "min_top_k": ["15"],
            "max_top_k": ["50"],
            "memories_threshold": ["0.6"],
            "summaries_threshold": ["0.5"],
            "include_system_prompt": ["false"],
            "include_metadata_ids": ["false"],
            "stream": ["false"],
        },
        answer=CONTEXT,
    ),
    Case(
        "get_context-all-parameters",
        "session",
        lambda s: s.get_context(
            recall_strategy=RecallStrategy.LOW_LATENCY,
            min_top_k=10,
            max_top_k=100,
            memories_threshold=0.2,
            summaries_threshold=0.8,
            last_n_messages=20,
            last_n_summaries=5,
            timezone="America/Los_Angeles",
            include_system_prompt=False,
            include_metadata_ids=True,
        ),
        "GET",
        "/users/u/sessions/s/context",
        query={
            "recall_strategy": ["low_latency"],
            "min_top_k": ["10"],
            "max_top_k": ["100"],
            "memories_threshold": ["0.2"],
            "summaries_threshold": ["0.8"],
            "last_n_messages": ["20"],
            "last_n_summaries": ["5"],
            "timezone": ["America/Los_Angeles"],
            "include_system_prompt": ["false"],
            "include_metadata_ids": ["true"],
            "stream": ["false"],
        },
        answer=CONTEXT,
    ),
    Case(
        "get_context-DEEP-is-agentic",
        "session",
        lambda s: s.get_context(recall_strategy=RecallStrategy.DEEP, include_system_prompt=False),
        "GET",
        "/users/u/sessions/s/context",
        query={
            "recall_strategy": ["agentic"],
            "min_top_k": ["15"],
            "max_top_k": ["50"],
            "memories_threshold": ["0.6"],
            "summaries_threshold": ["0.5"],
            "include_system_prompt": ["false"],
            "include_metadata_ids": ["false"],
            "stream": ["false"],
        },
        answer=CONTEXT,
    ),
    Case("process", "session", lambda s: s.process(), "POST", "/users/u/sessions/s/process"),
    Case(
        "get_messages",
        "session",
        lambda s: s.get_messages(offset=0, limit=50),
        "GET",
        "/users/u/sessions/s/messages",
        query={"offset": ["0"], "limit": ["50"]},
        answer=page("messages", []),
    ),
    Case(
        "get_messages-page",
        "session",
        lambda s: s.get_messages(offset=50, limit=200),
        "GET",
        "/users/u/sessions/s/messages",
        query={"offset": ["50"], "limit": ["200"]},
        answer=page("messages", []),
    ),
    Case(
        "session.update",
        "session",
        lambda s: s.update(new_metadata={"type": "support_chat"}),
        "PUT",
        "/users/u/sessions/s",
        body={"new_metadata": {"type": "support_chat"}},
        answer=SESSION,
    ),
    Case(
        "session.refresh",
        "session",
        lambda s: s.refresh(),
        "GET",
        "/users/u/sessions/s",
        answer=SESSION,
    ),
    Case(
        "session.delete",
        "session",
        lambda s: s.delete(),
        "DELETE",
        "/users/u/sessions/s",
        status=204,
    ),
    # MergeConflict
    Case(
        "conflict.resolve",
        "conflict",
        lambda c: c.resolve(ANSWERS),
        "POST",
        "/users/u/merge-conflicts/c/resolve",
        body={
            "answers": {
                "question_answers": [
                    {"question": "Where do you live?", "answer": "Paris", "message": "moved"}
                ]
            }
        },
        answer={**CONFLICT, "status": "RESOLVED"},
    ),
    Case(
        "conflict.resolve-no-message",
        "conflict",
        lambda c: c.resolve([MergeConflictAnswer(question="Q", answer="A")]),
        "POST",
        "/users/u/merge-conflicts/c/resolve",
        body={"answers": {"question_answers": [{"question": "Q", "answer": "A"}]}},
        answer={**CONFLICT, "status": "RESOLVED"},
    ),
    Case(
        "conflict.refresh",
        "conflict",
        lambda c: c.refresh(),
        "GET",
        "/users/u/merge-conflicts/c",
        answer=CONFLICT,
    ),
]


def _decoded(params: dict[str, list[str]]) -> dict[str, list[Any]]:
    return {
        key: [json.loads(v) for v in values] if key in JSON_QUERY_KEYS else values
        for key, values in params.items()
    }


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_request_on_the_wire(
    case: Case, client: Any, user: Any, session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    target = {
        "client": lambda: client,
        "user": lambda: user,
        "session": lambda: session,
        "conflict": lambda: fetch_conflict(run, user, httpx_mock),
    }[case.on]()
    if case.answer is None:
        httpx_mock.add_response(method=case.method, status_code=case.status)
    else:
        httpx_mock.add_response(method=case.method, status_code=case.status, json=case.answer)

    run(case.call(target))

    request = httpx_mock.get_requests()[-1]
    assert request.method == case.method
    assert request.url.scheme == "https" and request.url.host == "api.test"
    assert raw_path(request) == "/api/v1" + case.path
    assert _decoded(query(request)) == case.query
    assert body(request) == case.body
    assert_sdk_headers(request)


def test_user_agent_names_sdk_version(client: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    from recallrai import __version__

    httpx_mock.add_response(json=USER)
    run(client.get_user("u"))
    assert (
        only_request(httpx_mock).headers["User-Agent"].startswith(f"recallrai-python/{__version__}")
    )


# Ids in paths ----------------------------------------------------------------------------

# Each id must arrive as exactly one path segment, and must not be normalised away.
ODD_IDS = [
    ("a/b", "a%2Fb"),
    ("..", "%2E%2E"),
    (".", "%2E"),
    ("../admin", "..%2Fadmin"),
    ("a?b", "a%3Fb"),
    ("a#b", "a%23b"),
    ("50%", "50%25"),
    ("%2F", "%252F"),
    ("john doe", "john%20doe"),
    ("jürgen☃", "j%C3%BCrgen%E2%98%83"),
    ("a+b&c=d", "a%2Bb%26c%3Dd"),
]


@pytest.mark.parametrize(("raw", "encoded"), ODD_IDS, ids=[r for r, _ in ODD_IDS])
def test_user_id_is_one_encoded_segment(
    raw: str, encoded: str, client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={**USER, "custom_user_id": raw})
    user = run(client.get_user(raw))
    request = only_request(httpx_mock)
    assert raw_path(request) == f"/api/v1/users/{encoded}"
    assert request.url.query == b""
    assert user.user_id == raw


@pytest.mark.parametrize(("raw", "encoded"), ODD_IDS, ids=[r for r, _ in ODD_IDS])
def test_nested_ids_are_encoded_segments(
    raw: str, encoded: str, client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    user = run(client.get_user(raw, validate=False))
    httpx_mock.add_response(json={**SESSION, "session_id": raw})
    httpx_mock.add_response(json=MEMORY)
    httpx_mock.add_response(json={**CONFLICT, "id": raw})
    session = run(user.get_session(raw))
    run(user.get_memory(raw))
    conflict = run(user.get_merge_conflict(raw))
    httpx_mock.add_response(json=SESSION)
    run(session.refresh())
    paths = [raw_path(r) for r in httpx_mock.get_requests()]
    assert paths == [
        f"/api/v1/users/{encoded}/sessions/{encoded}",
        f"/api/v1/users/{encoded}/memory/{encoded}",
        f"/api/v1/users/{encoded}/merge-conflicts/{encoded}",
        f"/api/v1/users/{encoded}/sessions/{encoded}",
    ]
    assert conflict.conflict_id == raw


def test_get_user_without_validation_sends_nothing(
    client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    user = run(client.get_user("user123", validate=False))
    session = run(user.get_session("session-uuid", validate=False))
    assert httpx_mock.get_requests() == []
    assert user.user_id == "user123"
    assert session.session_id == "session-uuid"
    assert session.user_id == "user123"


# Users: parsing --------------------------------------------------------------------------


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_user_answer_is_parsed(
    wrapped: bool, sdk: Any, client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    answer = {"user": USER} if wrapped else USER
    httpx_mock.add_response(status_code=201, json=answer)
    user = run(client.create_user(user_id="u", metadata={"name": "John Doe"}))
    assert type(user).__name__ == ("AsyncUser" if sdk.is_async else "User")
    assert user.user_id == "u"
    assert user.metadata == {"name": "John Doe"}
    assert user.merge_conflict_enabled is None
    assert utc(user.created_at) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert utc(user.last_active_at) == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_user_answer_tolerates_unknown_fields_and_naive_times(
    client: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        json={
            **USER,
            "created_at": "2024-01-02T03:04:05",
            "merge_conflict_enabled": True,
            "brand_new_field": {"x": [1, 2]},
        }
    )
    user = run(client.get_user("u"))
    assert utc(user.created_at) == T0
    assert user.merge_conflict_enabled is True


def test_user_update_mutates_in_place_and_returns_none(
    user: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        method="PUT",
        json={**USER, "custom_user_id": "john_doe", "metadata": {"role": "admin"}},
    )
    result = run(user.update(new_metadata={"role": "admin"}, new_user_id="john_doe"))
    assert result is None
    assert user.user_id == "john_doe"
    assert user.metadata == {"role": "admin"}
    assert utc(user.last_active_at) == T0
    # Later calls use the new id.
    httpx_mock.add_response(json=USER)
    run(user.refresh())
    assert raw_path(httpx_mock.get_requests()[-1]) == "/api/v1/users/john_doe"


def test_user_refresh_reloads(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    assert user.metadata is None or user.metadata == {}
    httpx_mock.add_response(json={"user": {**USER, "metadata": {"fresh": True}}})
    assert run(user.refresh()) is None
    assert user.metadata == {"fresh": True}
    assert utc(user.created_at) == T0


def test_user_delete_returns_none(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(status_code=204)
    assert run(user.delete()) is None


def test_list_users_page(client: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json=page("users", [USER, {**USER, "custom_user_id": "v"}], total=7, has_more=True)
    )
    user_list = run(client.list_users(offset=0, limit=2, metadata_filter={"role": "admin"}))
    assert user_list.total == 7
    assert user_list.has_more is True
    assert [u.user_id for u in user_list.users] == ["u", "v"]
    assert all(utc(u.created_at) == T0 for u in user_list.users)


def test_iterating_a_page_walks_every_page(
    client: Any, run: Any, collect: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        json=page("users", [{**USER, "custom_user_id": "a"}, USER], total=3, has_more=True)
    )
    httpx_mock.add_response(json=page("users", [{**USER, "custom_user_id": "z"}], total=3))
    first = run(client.list_users(limit=2, metadata_filter={"k": "v"}))
    assert [u.user_id for u in collect(first)] == ["a", "u", "z"]
    second = httpx_mock.get_requests()[1]
    assert _decoded(query(second)) == {
        "offset": ["2"],
        "limit": ["2"],
        "metadata_filter": [{"k": "v"}],
    }


def test_iteration_stops_when_server_says_no_more(
    client: Any, run: Any, collect: Any, httpx_mock: HTTPXMock
) -> None:
    # has_more is true, but the offset has reached total: no second request.
    httpx_mock.add_response(json=page("users", [USER], total=1, has_more=True))
    assert len(collect(run(client.list_users()))) == 1
    assert len(httpx_mock.get_requests()) == 1


# Sessions --------------------------------------------------------------------------------


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_session_answer_is_parsed(
    wrapped: bool, sdk: Any, user: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(status_code=201, json={"session": SESSION} if wrapped else SESSION)
    session = run(user.create_session(auto_process_after_seconds=600, metadata={"type": "chat"}))
    if not sdk.is_async:
        assert isinstance(session, Session)
    assert session.session_id == "s"
    assert session.user_id == "u"
    assert session.status is SessionStatus.PENDING
    assert session.metadata == {"type": "chat"}
    assert utc(session.created_at) == datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)


def test_unknown_session_status_keeps_raw_value(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={**SESSION, "status": "archived", "extra": 1})
    session = run(user.get_session("s"))
    assert isinstance(session.status, SessionStatus)
    assert session.status.value == "archived"
    assert session.status == "archived"


def test_list_sessions_page(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json=page(
            "sessions",
            [SESSION, {**SESSION, "session_id": "t", "status": "processed"}],
            total=2,
        )
    )
    sessions = run(
        user.list_sessions(status_filter=[SessionStatus.PENDING, SessionStatus.PROCESSING])
    )
    assert sessions.total == 2 and sessions.has_more is False
    assert [(s.session_id, s.status, s.metadata) for s in sessions.sessions] == [
        ("s", SessionStatus.PENDING, {"type": "chat"}),
        ("t", SessionStatus.PROCESSED, {"type": "chat"}),
    ]
    assert all(s.user_id == "u" for s in sessions.sessions)


def test_session_update_refresh_delete(session: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="PUT", json={**SESSION, "metadata": {"type": "support_chat"}})
    assert run(session.update(new_metadata={"type": "support_chat"})) is None
    assert session.metadata == {"type": "support_chat"}
    assert session.status is SessionStatus.PENDING

    httpx_mock.add_response(method="GET", json={"session": {**SESSION, "status": "processed"}})
    assert run(session.refresh()) is None
    assert session.status is SessionStatus.PROCESSED
    assert session.metadata == {"type": "chat"}

    httpx_mock.add_response(method="DELETE", status_code=204)
    assert run(session.delete()) is None


def test_add_message_and_process_return_none(session: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="POST", url=f"{API}/users/u/sessions/s/add-message", json={})
    httpx_mock.add_response(method="POST", url=f"{API}/users/u/sessions/s/process", json={})
    assert run(session.add_message(role=MessageRole.USER, content="Hello")) is None
    assert run(session.process()) is None
    assert session.status is SessionStatus.PROCESSING


def test_get_messages_page(session: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json=page(
            "messages",
            [
                {"role": "user", "content": "Hi", "timestamp": "2024-01-02T04:04:05+01:00"},
                {"role": "assistant", "content": "Hello", "timestamp": "2024-01-02T03:04:06Z"},
                {"role": "tool", "content": "?", "timestamp": "2024-01-02T03:04:07Z", "x": 1},
            ],
            total=103,
            has_more=True,
        )
    )
    messages = run(session.get_messages(offset=0, limit=50))
    assert messages.total == 103 and messages.has_more is True
    first, second, third = messages.messages
    assert first.role is MessageRole.USER and first.content == "Hi"
    assert utc(first.timestamp) == T0
    assert f"{second.role.value.upper()}" == "ASSISTANT"
    assert third.role.value == "tool"  # unknown role: kept, no crash


# Context -------------------------------------------------------------------------------------


def _prompt_url(strategy: str) -> str:
    return f"{API}/system-prompt?recall_strategy={strategy}"


def test_get_context_prepends_cached_system_prompt(
    client: Any, session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    context_url = f"{API}/users/u/sessions/s/context"
    httpx_mock.add_response(url=_prompt_url("balanced"), json={"system_prompt": "PROMPT"})
    httpx_mock.add_response(method="GET", json=CONTEXT, is_reusable=True)

    context = run(session.get_context())
    assert isinstance(context, Context)
    assert context.context == "PROMPT\n\n\nRemembered: likes tea"
    assert context.is_final is True
    assert context.metadata is not None
    assert context.metadata.recall_strategy_used is RecallStrategy.BALANCED
    assert context.metadata.memory_ids == ["m3"]

    # The second call, even from another session object, reuses the client's cache.
    other = run(run(client.get_user("u", validate=False)).get_session("s", validate=False))
    assert run(other.get_context()).context == "PROMPT\n\n\nRemembered: likes tea"
    assert len(requests_to(httpx_mock, "/system-prompt")) == 1
    context_requests = [r for r in httpx_mock.get_requests() if str(r.url).startswith(context_url)]
    assert len(context_requests) == 2
    for request in context_requests:
        assert query(request)["include_system_prompt"] == ["false"]
        assert query(request)["recall_strategy"] == ["balanced"]
    assert_sdk_headers(requests_to(httpx_mock, "/system-prompt")[0])


def test_system_prompt_is_cached_per_strategy_used(
    session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(url=_prompt_url("balanced"), json={"system_prompt": "B"})
    httpx_mock.add_response(url=_prompt_url("agentic"), json={"system_prompt": "A"})
    httpx_mock.add_response(method="GET", json=CONTEXT)
    httpx_mock.add_response(
        method="GET",
        json={**CONTEXT, "metadata": {"recall_strategy_used": "agentic"}},
        is_reusable=True,
    )
    assert run(session.get_context()).context == "B\n\n\nRemembered: likes tea"
    # AUTO lets the server choose: the prompt is the one of the strategy it used.
    auto = run(session.get_context(recall_strategy=RecallStrategy.AUTO))
    assert auto.context == "A\n\n\nRemembered: likes tea"
    deep = run(session.get_context(recall_strategy=RecallStrategy.DEEP))
    assert deep.context == "A\n\n\nRemembered: likes tea"
    assert len(requests_to(httpx_mock, "/system-prompt")) == 2


def test_get_context_without_system_prompt_fetches_none(
    session: Any, run: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(json={"context": CONTEXT})  # wrapped is accepted too
    context = run(session.get_context(include_system_prompt=False))
    assert context.context == "Remembered: likes tea"
    assert raw_path(only_request(httpx_mock)).endswith("/context")


def test_context_metadata_is_parsed(session: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json={
            "is_final": True,
            "context": "C",
            "metadata": {
                "recall_strategy_used": "brand_new_strategy",
                "memory_ids": ["m1"],
                "session_ids": ["s1"],
                "agent_reasoning": "because",
                "vector_search_queries": ["tea"],
                "keywords": ["tea"],
                "session_summaries_search_queries": ["drinks"],
                "date_range_filters": [
                    {
                        "filter_type": "event_date",
                        "start_date": "2024-01-01T00:00:00Z",
                        "end_date": "2024-01-31T23:59:59+00:00",
                    }
                ],
                "unknown": 42,
            },
        }
    )
    context = run(session.get_context(include_system_prompt=False, include_metadata_ids=True))
    meta = context.metadata
    assert meta.recall_strategy_used.value == "brand_new_strategy"
    assert meta.session_ids == ["s1"] and meta.agent_reasoning == "because"
    assert meta.vector_search_queries == ["tea"] and meta.keywords == ["tea"]
    assert meta.session_summaries_search_queries == ["drinks"]
    (date_range,) = meta.date_range_filters
    assert date_range.filter_type == "event_date"
    assert utc(date_range.start_date) == datetime(2024, 1, 1, tzinfo=UTC)
    assert utc(date_range.end_date) == datetime(2024, 1, 31, 23, 59, 59, tzinfo=UTC)


def _sse(*events: dict[str, Any]) -> bytes:
    return b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)


def test_get_context_stream_yields_status_then_final(
    session: Any, run: Any, collect: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        url=f"{API}/users/u/sessions/s/context?recall_strategy=agentic&min_top_k=15"
        "&max_top_k=50&memories_threshold=0.6&summaries_threshold=0.5"
        "&include_system_prompt=false&include_metadata_ids=false&stream=true",
        headers={"Content-Type": "text/event-stream"},
        content=_sse(
            {"is_final": False, "status_update_message": "Searching memories"},
            {"is_final": False, "status_update_message": "Ranking"},
            {**CONTEXT, "metadata": {"recall_strategy_used": "agentic"}},
        ),
    )
    httpx_mock.add_response(url=_prompt_url("agentic"), json={"system_prompt": "P"})

    events = collect(session.get_context_stream(recall_strategy=RecallStrategy.DEEP))
    assert [(e.is_final, e.status_update_message) for e in events] == [
        (False, "Searching memories"),
        (False, "Ranking"),
        (True, None),
    ]
    assert all(isinstance(e, Context) for e in events)
    assert events[-1].context == "P\n\n\nRemembered: likes tea"
    assert events[-1].metadata.recall_strategy_used is RecallStrategy.AGENTIC
    assert_sdk_headers(httpx_mock.get_requests()[0])


def test_get_context_stream_multiline_event_and_no_prompt(
    session: Any, collect: Any, httpx_mock: HTTPXMock
) -> None:
    final = json.dumps(CONTEXT, indent=1).split("\n")
    content = (
        b": keep-alive comment\n\n"
        + b'data: {"is_final": false,\ndata: "status_update_message": "Working"}\n\n'
        + b"".join(b"data: " + line.encode() + b"\n" for line in final)
        + b"\n"
    )
    httpx_mock.add_response(headers={"Content-Type": "text/event-stream"}, content=content)
    events = collect(session.get_context_stream(include_system_prompt=False))
    assert [e.status_update_message for e in events] == ["Working", None]
    assert events[-1].context == "Remembered: likes tea"
    assert query(only_request(httpx_mock))["stream"] == ["true"]


def test_get_context_stream_error_event_gets_no_prompt(
    session: Any, collect: Any, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(
        headers={"Content-Type": "text/event-stream"},
        content=_sse({"is_final": True, "error_message": "boom", "context": None}),
    )
    (event,) = collect(session.get_context_stream())
    assert event.error_message == "boom" and event.context == ""
    assert requests_to(httpx_mock, "/system-prompt") == []


# Memories and messages --------------------------------------------------------------------


def test_list_memories_page(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json=page("items", [MEMORY], total=41, has_more=True))
    memories = run(user.list_memories(categories=["food_preferences", "allergies"], limit=20))
    assert memories.total == 41 and memories.has_more is True
    (mem,) = memories.items
    assert isinstance(mem, MemoryItem)
    assert (mem.memory_id, mem.categories, mem.content) == ("m3", ["food_preferences"], "Likes tea")
    assert utc(mem.created_at) == datetime(2024, 3, 1, 10, tzinfo=UTC)
    assert mem.session_id == "s"
    assert (mem.version_number, mem.total_versions, mem.has_previous_versions) == (3, 3, True)
    assert mem.merge_conflict_in_progress is False
    (version,) = mem.previous_versions
    assert isinstance(version, MemoryVersionInfo)
    assert (version.version_number, version.content) == (1, "Likes coffee")
    assert utc(version.created_at) == datetime(2024, 1, 1, 10, tzinfo=UTC)
    assert utc(version.expired_at) == datetime(2024, 2, 1, 9, tzinfo=UTC)
    assert version.expiration_reason == "new version created"
    (connected,) = mem.connected_memories
    assert isinstance(connected, MemoryRelationship)
    assert (connected.memory_id, connected.content) == ("m9", "Drinks no coffee")


def test_memory_without_history_has_none(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    bare = {k: v for k, v in MEMORY.items() if k not in ("previous_versions", "connected_memories")}
    httpx_mock.add_response(json={**bare, "surprise": True})
    mem = run(user.get_memory("m3", include_previous_versions=False))
    assert mem.previous_versions is None
    assert mem.connected_memories is None


def test_get_memory_and_delete_memory(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(method="GET", json=MEMORY)
    httpx_mock.add_response(method="DELETE", status_code=204)
    mem = run(user.get_memory("m3"))
    assert isinstance(mem, MemoryItem) and mem.memory_id == "m3"
    assert run(user.delete_memory("m3", delete_previous_versions=True)) is None


def test_get_last_n_messages(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json={
            "messages": [
                {
                    "role": "user",
                    "content": "Hi",
                    "timestamp": "2024-01-02T03:04:05Z",
                    "session_id": "s1",
                },
                {
                    "role": "assistant",
                    "content": "Yo",
                    "timestamp": "2024-01-02T03:04:05Z",
                    "session_id": "s2",
                },
            ]
        }
    )
    messages = run(user.get_last_n_messages(n=5))
    assert [(m.session_id, m.role.upper(), m.content) for m in messages.messages] == [
        ("s1", "USER", "Hi"),
        ("s2", "ASSISTANT", "Yo"),
    ]
    assert messages.messages[0].role is MessageRole.USER
    assert utc(messages.messages[0].timestamp) == T0


# Merge conflicts ---------------------------------------------------------------------------


def _check_conflict(conflict: Any) -> None:
    assert conflict.conflict_id == "c"
    assert conflict.status is MergeConflictStatus.PENDING
    assert conflict.status.value == "PENDING"
    assert conflict.new_memory_content == "Lives in Paris"
    assert conflict.proposed_memory_content == "Lives in Paris"
    (new,) = conflict.new_memories
    assert new.content == "Lives in Paris" and new.memory_id == "n1"
    (mem,) = conflict.conflicting_memories
    assert (mem.content, mem.reason, mem.memory_id) == ("Lives in Rome", "Different city", "m5")
    assert utc(mem.created_at) == datetime(2024, 3, 1, tzinfo=UTC)
    (ques,) = conflict.clarifying_questions
    assert (ques.question, ques.options) == ("Where do you live?", ["Paris", "Rome"])
    assert utc(conflict.created_at) == datetime(2024, 4, 1, tzinfo=UTC)
    assert conflict.resolved_at is None
    assert conflict.resolution_data is None


@pytest.mark.parametrize("wrapped", [False, True], ids=["bare", "wrapped"])
def test_get_merge_conflict(wrapped: bool, user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"conflict": CONFLICT} if wrapped else CONFLICT)
    _check_conflict(run(user.get_merge_conflict("c")))


def test_list_merge_conflicts_page(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        json=page(
            "conflicts",
            [CONFLICT, {**CONFLICT, "id": "d", "status": "SNOOZED"}],
            total=5,
            has_more=True,
        )
    )
    conflicts = run(user.list_merge_conflicts(status=MergeConflictStatus.PENDING))
    assert conflicts.total == 5 and conflicts.has_more is True
    first, second = conflicts.conflicts
    _check_conflict(first)
    assert second.conflict_id == "d"
    assert second.status.value == "SNOOZED"  # unknown status: kept, no crash


def test_resolve_updates_conflict_in_place(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    conflict = fetch_conflict(run, user, httpx_mock)
    httpx_mock.add_response(
        method="POST",
        json={
            "conflict": {
                **CONFLICT,
                "status": "RESOLVED",
                "resolved_at": "2024-04-02T02:00:00+02:00",
                "resolution_data": {"kept": "Paris"},
            }
        },
    )
    answers = [
        MergeConflictAnswer(question=q.question, answer=q.options[0], message="recent")
        for q in conflict.clarifying_questions
    ]
    assert run(conflict.resolve(answers)) is None
    assert conflict.status is MergeConflictStatus.RESOLVED
    assert utc(conflict.resolved_at) == datetime(2024, 4, 2, tzinfo=UTC)
    assert conflict.resolution_data == {"kept": "Paris"}
    sent = body(httpx_mock.get_requests()[-1])
    assert sent == {
        "answers": {
            "question_answers": [
                {"question": "Where do you live?", "answer": "Paris", "message": "recent"}
            ]
        }
    }


def test_conflict_refresh(user: Any, run: Any, httpx_mock: HTTPXMock) -> None:
    conflict = fetch_conflict(run, user, httpx_mock)
    httpx_mock.add_response(json={**CONFLICT, "status": "IN_QUEUE"})
    assert run(conflict.refresh()) is None
    assert conflict.status is MergeConflictStatus.IN_QUEUE


# The derived sync code -------------------------------------------------------------------


def test_sync_code_is_derived_from_async_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "unasync"), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_both_clients_are_exported() -> None:
    assert RecallrAI.__name__ == "RecallrAI"
    assert AsyncRecallrAI.__name__ == "AsyncRecallrAI"
    assert httpx.__version__  # the SDK's transport


def test_models_module_exposes_the_page_types() -> None:
    import recallrai.models as models
    from recallrai import pagination

    for name in ("UserList", "SessionList", "MessageList", "MemoryList", "MergeConflictList"):
        assert getattr(models, name) is getattr(pagination, name)
        assert getattr(models, "Async" + name) is getattr(pagination, "Async" + name)
    with pytest.raises(AttributeError):
        models.NoSuchThing  # noqa: B018
