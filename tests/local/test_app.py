"""Behaviour of the local server core, driven through ``LocalApp.handle``."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from recallrai.local._app import LocalApp
from recallrai.local._clock import ManualClock
from recallrai.local._wire import (
    MAX_AUTO_PROCESS_SECONDS,
    MAX_BODY_BYTES,
    MAX_JSON_DEPTH,
    MAX_METADATA_BYTES,
    MAX_METADATA_DEPTH,
    MAX_OFFSET,
    LocalRequest,
)

START = datetime(2026, 1, 15, 12, 0, 0, tzinfo=UTC)
HEADERS = {"x-recallr-api-key": "rai_test", "x-recallr-project-id": "proj-1"}


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def json(self) -> Any:
        return json.loads(self.text)

    @property
    def detail(self) -> Any:
        return self.json["detail"]


class Client:
    """A tiny caller of ``LocalApp.handle``."""

    def __init__(self, app: LocalApp, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = dict(HEADERS if headers is None else headers)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        query: list[tuple[str, str]] | None = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Reply:
        data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        request = LocalRequest(
            method,
            "/api/v1" + path,
            query or [],
            self.headers if headers is None else headers,
            data,
        )
        response = self.app.handle(request)
        names = {k.lower(): v for k, v in response.headers}
        if response.stream is not None:
            chunks = list(response.stream)
            events = [json.loads(c.decode().removeprefix("data: ")) for c in chunks]
            return Reply(response.status, names, b"".join(chunks).decode(), events)
        return Reply(response.status, names, response.body.decode())

    def get(self, path: str, **query: Any) -> Reply:
        return self.call("GET", path, query=_pairs(query))

    def post(self, path: str, body: Any = None) -> Reply:
        return self.call("POST", path, body)


def _pairs(query: dict[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in query.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item).lower() if isinstance(item, bool) else str(item)))
    return pairs


def enc(value: str) -> str:
    return quote(value, safe="")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def app(clock: ManualClock) -> Iterator[LocalApp]:
    app = LocalApp(clock=clock, background=False)
    yield app
    app.close()


@pytest.fixture
def client(app: LocalApp) -> Client:
    return Client(app)


def make_user(client: Client, user_id: str = "alice", **fields: Any) -> str:
    reply = client.post("/users", {"custom_user_id": user_id, **fields})
    assert reply.status == 201, reply.text
    return f"/users/{enc(user_id)}"


def make_session(client: Client, user: str, **fields: Any) -> str:
    reply = client.post(f"{user}/sessions", fields)
    assert reply.status == 201, reply.text
    return f"{user}/sessions/{reply.json['session_id']}"


def say(client: Client, session: str, *messages: str, role: str = "user") -> None:
    for message in messages:
        reply = client.post(f"{session}/add-message", {"message": message, "role": role})
        assert reply.status == 200, reply.text


def process(client: Client, session: str) -> None:
    assert client.post(f"{session}/process").status == 200
    client.app.run_due_work()
    assert client.get(session).json["status"] == "processed"


def learn(client: Client, user: str, *messages: str) -> str:
    session = make_session(client, user)
    say(client, session, *messages)
    process(client, session)
    return session


def memories(client: Client, user: str, **query: Any) -> list[dict[str, Any]]:
    reply = client.get(f"{user}/memories", **query)
    assert reply.status == 200, reply.text
    items: list[dict[str, Any]] = reply.json["items"]
    return items


# -- auth, routing ---------------------------------------------------------------------


def test_missing_or_malformed_credentials_get_401(client: Client) -> None:
    for headers in (
        {},
        {"x-recallr-api-key": "rai_x"},
        {"x-recallr-project-id": "p"},
        {"x-recallr-api-key": "sk_x", "x-recallr-project-id": "p"},
    ):
        reply = client.call("GET", "/users", headers=headers)
        assert reply.status == 401
        assert reply.detail == "Invalid API key or project ID"


def test_configured_keys_are_enforced(clock: ManualClock) -> None:
    app = LocalApp(api_keys={"rai_good"}, clock=clock, background=False)
    try:
        good = Client(app, {"x-recallr-api-key": "rai_good", "x-recallr-project-id": "p"})
        bad = Client(app, {"x-recallr-api-key": "rai_other", "x-recallr-project-id": "p"})
        assert good.get("/users").status == 200
        assert bad.get("/users").status == 401
    finally:
        app.close()


def test_projects_are_isolated(app: LocalApp) -> None:
    one = Client(app, {"x-recallr-api-key": "rai_a", "x-recallr-project-id": "one"})
    two = Client(app, {"x-recallr-api-key": "rai_a", "x-recallr-project-id": "two"})
    make_user(one, "shared", metadata={"p": 1})
    assert two.get("/users/shared").status == 404
    assert two.get("/users").json == {"users": [], "total": 0, "has_more": False}
    make_user(two, "shared", metadata={"p": 2})
    assert one.get("/users/shared").json["metadata"] == {"p": 1}
    assert two.get("/users/shared").json["metadata"] == {"p": 2}


def test_unknown_route_is_the_gateway_404_and_wrong_method_is_405(client: Client) -> None:
    for path in ("/api/v1/nope", "/api/v2/users", "/api/v1/users/a/b/c/d/e/f", "/"):
        raw = client.app.handle(LocalRequest("GET", path, [], HEADERS))
        assert raw.status == 404
        assert raw.body == b"404 page not found"
    reply = client.call("PATCH", "/users")
    assert reply.status == 405
    assert "detail" in reply.json


# -- users --------------------------------------------------------------------------------


def test_user_crud(client: Client, clock: ManualClock) -> None:
    reply = client.post("/users", {"custom_user_id": "u1", "metadata": {"role": "admin"}})
    assert reply.status == 201
    user = reply.json
    assert user == {
        "custom_user_id": "u1",
        "metadata": {"role": "admin"},
        "merge_conflict_enabled": None,
        "created_at": "2026-01-15T12:00:00.000000+00:00",
        "last_active_at": "2026-01-15T12:00:00.000000+00:00",
    }
    duplicate = client.post("/users", {"custom_user_id": "u1"})
    assert duplicate.status == 409
    assert duplicate.detail == "User with id u1 already exists"

    make_user(client, "u2", metadata={"role": "user"})
    make_user(client, "u3", metadata={"role": "admin", "team": "x"})
    admins = client.get("/users", metadata_filter=json.dumps({"role": "admin"})).json
    assert [u["custom_user_id"] for u in admins["users"]] == ["u1", "u3"]
    page = client.get("/users", offset=1, limit=1).json
    assert (page["total"], page["has_more"], page["users"][0]["custom_user_id"]) == (3, True, "u2")

    taken = client.call("PUT", "/users/u1", {"new_custom_user_id": "u2"})
    assert taken.status == 409
    assert taken.detail == "User with id u2 already exists"
    updated = client.call(
        "PUT",
        "/users/u1",
        {"new_custom_user_id": "u9", "new_metadata": {"n": 1}, "merge_conflict_enabled": True},
    )
    assert updated.status == 200
    assert updated.json["custom_user_id"] == "u9"
    assert updated.json["metadata"] == {"n": 1}
    assert updated.json["merge_conflict_enabled"] is True
    assert client.get("/users/u1").status == 404

    clock.advance(60)
    make_session(client, "/users/u9")
    assert client.get("/users/u9").json["last_active_at"] == "2026-01-15T12:01:00.000000+00:00"

    assert client.call("DELETE", "/users/u9").status == 204
    missing = client.get("/users/u9")
    assert missing.status == 404
    assert missing.detail == "User u9 not found"
    assert client.call("DELETE", "/users/u9").status == 404


@pytest.mark.parametrize(
    "user_id", ["a/b", "..", ".", "%", "?", "#", "with space", "a%2Fb", "ünï©ødé 🙂", "+x&y=z"]
)
def test_awkward_ids_round_trip(client: Client, user_id: str) -> None:
    path = make_user(client, user_id)
    reply = client.get(path)
    assert reply.status == 200
    assert reply.json["custom_user_id"] == user_id
    session = make_session(client, path)
    say(client, session, "I live in Lisbon.")
    assert client.get(f"{session}/messages").json["total"] == 1
    assert [u["custom_user_id"] for u in client.get("/users").json["users"]] == [user_id]


# -- sessions --------------------------------------------------------------------------


def test_session_lifecycle_and_state_errors(client: Client) -> None:
    user = make_user(client)
    reply = client.post(f"{user}/sessions", {"metadata": {"type": "chat"}})
    assert reply.status == 201
    session_json = reply.json
    assert session_json["status"] == "pending"
    assert session_json["metadata"] == {"type": "chat"}
    session = f"{user}/sessions/{session_json['session_id']}"

    say(client, session, "Hello there, how are you?")
    say(client, session, "Fine, thanks!", role="assistant")
    messages = client.get(f"{session}/messages").json
    assert [(m["role"], m["content"]) for m in messages["messages"]] == [
        ("user", "Hello there, how are you?"),
        ("assistant", "Fine, thanks!"),
    ]
    assert (messages["total"], messages["has_more"]) == (2, False)

    assert client.post(f"{session}/process").json == {"message": "Session processing started"}
    assert client.get(session).json["status"] == "processing"
    again = client.post(f"{session}/process")
    assert again.status == 400
    assert "processing" in again.detail
    late = client.post(f"{session}/add-message", {"message": "hi", "role": "user"})
    assert late.status == 400
    assert late.detail == "Cannot add message to session in processing state"

    client.app.run_due_work()
    assert client.get(session).json["status"] == "processed"
    done = client.post(f"{session}/add-message", {"message": "hi", "role": "user"})
    assert done.status == 400
    assert "processed" in done.detail
    assert "processed" in client.post(f"{session}/process").detail

    renamed = client.call("PUT", session, {"new_metadata": {"type": "support"}})
    assert renamed.json["metadata"] == {"type": "support"}
    assert client.call("DELETE", session).status == 204
    gone = client.get(session)
    assert gone.status == 404
    assert gone.detail == f"Session {session.rsplit('/', 1)[1]} not found"
    assert client.get(f"/users/nobody/sessions/{session.rsplit('/', 1)[1]}").detail == (
        "User nobody not found"
    )


def test_session_list_filters(client: Client) -> None:
    user = make_user(client, metadata={"role": "admin"})
    chat = make_session(client, user, metadata={"type": "chat"})
    make_session(client, user, metadata={"type": "mail"})
    old = client.post(
        f"{user}/sessions", {"custom_created_at_utc": "2020-05-01T10:00:00+02:00"}
    ).json
    assert old["created_at"] == "2020-05-01T08:00:00.000000+00:00"
    assert client.post(f"{chat}/process").status == 200

    def ids(**query: Any) -> list[str]:
        reply = client.get(f"{user}/sessions", **query)
        assert reply.status == 200, reply.text
        return [s["metadata"].get("type", "-") for s in reply.json["sessions"]]

    assert ids() == ["mail", "chat", "-"]
    assert ids(metadata_filter=json.dumps({"type": "chat"})) == ["chat"]
    assert ids(status_filter=["processing"]) == ["chat"]
    assert ids(status_filter=["pending", "processing"]) == ["mail", "chat", "-"]
    assert ids(user_metadata_filter=json.dumps({"role": "admin"})) == ["mail", "chat", "-"]
    assert ids(user_metadata_filter=json.dumps({"role": "guest"})) == []
    assert client.get(f"{user}/sessions", status_filter="bogus").status == 422
    assert client.get("/users/ghost/sessions").detail == "User ghost not found"


def test_messages_pagination_and_last_messages(client: Client, clock: ManualClock) -> None:
    user = make_user(client)
    first = make_session(client, user)
    say(client, first, *[f"message {i}" for i in range(5)])
    second = make_session(client, user)
    say(client, second, "latest one")
    page = client.get(f"{first}/messages", offset=1, limit=2).json
    assert [m["content"] for m in page["messages"]] == ["message 1", "message 2"]
    assert (page["total"], page["has_more"]) == (5, True)
    last = client.get(f"{user}/messages", limit=3).json["messages"]
    assert [m["content"] for m in last] == ["message 3", "message 4", "latest one"]
    assert last[-1]["session_id"] == second.rsplit("/", 1)[1]
    default = client.get(f"{user}/messages").json["messages"]  # no limit: 10, as 0.6.6 says
    assert [m["content"] for m in default] == [f"message {i}" for i in range(5)] + ["latest one"]
    assert client.get(f"{user}/messages", limit=101).status == 422


# -- validation -------------------------------------------------------------------------


def test_rejected_requests_store_nothing(client: Client) -> None:
    bad_bodies: list[bytes] = [
        b"{not json",
        b"[]",
        b"",
        json.dumps({"custom_user_id": 5}).encode(),
        json.dumps({"custom_user_id": "x", "metadata": "nope"}).encode(),
        json.dumps({"custom_user_id": "x", "merge_conflict_enabled": "yes"}).encode(),
        json.dumps({"metadata": {}}).encode(),
    ]
    for raw in bad_bodies:
        reply = client.call("POST", "/users", raw=raw)
        assert reply.status == 422, raw
        assert all({"loc", "msg", "type"} <= set(p) for p in reply.detail)
    big = json.dumps({"custom_user_id": "x", "metadata": {"blob": "x" * MAX_BODY_BYTES}}).encode()
    too_big = client.call("POST", "/users", raw=big)
    assert too_big.status == 413
    assert too_big.detail == "Request body too large"
    big_metadata = {"custom_user_id": "x", "metadata": {"blob": "x" * MAX_METADATA_BYTES}}
    assert client.post("/users", big_metadata).status == 422
    assert client.get("/users").json["total"] == 0

    user = make_user(client)
    for fields in ({"auto_process_after_seconds": 599}, {"auto_process_after_seconds": "x"}):
        assert client.post(f"{user}/sessions", fields).status == 422
    assert client.get(f"{user}/sessions").json["total"] == 0
    session = make_session(client, user)
    for body in (
        {"message": "hi", "role": "system"},
        {"message": 3, "role": "user"},
        {"role": "user"},
    ):
        assert client.post(f"{session}/add-message", body).status == 422
    assert client.get(f"{session}/messages").json["total"] == 0

    missing = client.call("POST", "/users", raw=b'{"metadata": {}}').detail[0]
    assert missing["loc"] == ["body", "custom_user_id"]
    assert missing["type"] == "missing"
    out_of_range: dict[str, list[dict[str, Any]]] = {
        "/users": [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}],
        f"{user}/memories": [{"limit": 201}],
        f"{session}/messages": [{"limit": 201}],
        f"{user}/merge-conflicts": [{"limit": 101}, {"status": "pending"}, {"sort_by": "x"}],
        f"{session}/context": [
            {"min_top_k": 4},
            {"max_top_k": 101},
            {"memories_threshold": 0.9},
            {"summaries_threshold": 0.1},
            {"last_n_messages": 0},
            {"last_n_summaries": 21},
            {"recall_strategy": "deep"},
            {"stream": "maybe"},
            {"timezone": "Mars/Olympus"},
        ],
        "/users?": [{"metadata_filter": "{bad"}],
    }
    for path, queries in out_of_range.items():
        for query in queries:
            reply = client.get(path.rstrip("?"), **query)
            assert reply.status == 422, (path, query, reply.text)
            assert reply.detail[0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "value",
    [
        b"NaN",
        b"-Infinity",
        b"1e999",
        b'"\\ud800"',
        b'{"x": "a\\udfffb"}',
        b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH,
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=["nan", "infinity", "overflow", "lone-surrogate", "nested-surrogate", "deep", "deeper"],
)
def test_json_that_cannot_be_stored_or_sent_back_is_invalid(client: Client, value: bytes) -> None:
    # Python's json reads all but the last (RecursionError: a 500). Kept, NaN, infinity and
    # surrogates gave a 500 or a reply that is not JSON; nesting is capped at MAX_JSON_DEPTH.
    raw = b'{"custom_user_id": "x", "metadata": {"v": ' + value + b"}}"
    reply = client.call("POST", "/users", raw=raw)
    assert (reply.status, reply.detail[0]["type"]) == (422, "json_invalid")
    user = make_user(client, "alice")
    message = b'{"role": "user", "message": ' + value + b"}"
    session = make_session(client, user)
    assert client.call("POST", f"{session}/add-message", raw=message).status == 422
    query = [("metadata_filter", '{"v": ' + value.decode() + "}")]
    filtered = client.call("GET", "/users", query=query)
    assert (filtered.status, filtered.detail[0]["type"]) == (422, "json_invalid")
    assert [u["custom_user_id"] for u in client.get("/users").json["users"]] == ["alice"]


def test_metadata_nested_up_to_the_limit_is_kept(client: Client) -> None:
    levels = MAX_METADATA_DEPTH - 1  # inside the metadata object
    nested = json.loads("[" * levels + "]" * levels)
    raw = json.dumps({"custom_user_id": "deep", "metadata": {"v": nested}}).encode()
    created = client.call("POST", "/users", raw=raw)
    assert (created.status, created.json["metadata"]["v"]) == (201, nested)
    deeper = json.dumps({"custom_user_id": "deeper", "metadata": {"v": [nested]}}).encode()
    refused = client.call("POST", "/users", raw=deeper)
    assert (refused.status, refused.detail[0]["loc"]) == (422, ["body", "metadata"])


def test_integers_beyond_the_bounds_are_refused(client: Client) -> None:
    # Offsets are int32 and auto-processing waits at most a year: past that, a 422.
    user = make_user(client)
    for wait in (MAX_AUTO_PROCESS_SECONDS + 1, 2**70, 10**30):
        refused = client.post(f"{user}/sessions", {"auto_process_after_seconds": wait})
        assert (refused.status, refused.detail[0]["loc"]) == (
            422,
            ["body", "auto_process_after_seconds"],
        )
    assert client.get(f"{user}/sessions").json["total"] == 0
    session = make_session(client, user, auto_process_after_seconds=MAX_AUTO_PROCESS_SECONDS)
    say(client, session, "hello")
    paths = (f"{user}/sessions", f"{session}/messages", "/users", f"{user}/memories")
    for path in (*paths, f"{user}/merge-conflicts"):
        last = client.get(path, offset=MAX_OFFSET)
        assert last.status == 200, (path, last.text)
        assert last.json["has_more"] is False
        assert next(v for v in last.json.values() if isinstance(v, list)) == []
        beyond = client.get(path, offset=MAX_OFFSET + 1)
        assert (beyond.status, beyond.detail[0]["loc"]) == (422, ["query", "offset"])


# -- memories -------------------------------------------------------------------------------


def test_processing_extracts_categorised_memories(client: Client) -> None:
    user = make_user(client)
    session = learn(
        client,
        user,
        "Hi! I live in Berlin and I'm allergic to peanuts.",
        "My favourite food is sushi. I work at Acme Corp.",
        "I have a dog named Rex. I'm 34 years old.",
        "I love hiking in the mountains, and my name is Alice.",
    )
    assistant_only = make_session(client, user)
    say(client, assistant_only, "I live in Narnia.", role="assistant")
    process(client, assistant_only)

    items = memories(client, user)
    by_content = {m["content"]: m for m in items}
    assert set(by_content) == {
        "User lives in Berlin",
        "User is allergic to peanuts",
        "User's favourite food is sushi",
        "User works at Acme Corp",
        "User has a dog named Rex",
        "User is 34 years old",
        "User loves hiking in the mountains",
        "User's name is Alice",
    }
    assert by_content["User lives in Berlin"]["categories"] == ["location"]
    assert "allergies" in by_content["User is allergic to peanuts"]["categories"]
    assert "food_preferences" in by_content["User's favourite food is sushi"]["categories"]
    assert by_content["User works at Acme Corp"]["categories"] == ["work"]
    assert by_content["User has a dog named Rex"]["categories"] == ["pets"]
    memory = by_content["User is 34 years old"]
    assert memory["session_id"] == session.rsplit("/", 1)[1]
    assert (memory["version_number"], memory["total_versions"]) == (1, 1)
    assert memory["has_previous_versions"] is False
    assert memory["merge_conflict_in_progress"] is False
    connected = {c["content"] for c in memory["connected_memories"]}
    assert connected == {"User's name is Alice"}  # both personal_info

    allergies = memories(client, user, categories=["allergies"])
    assert [m["content"] for m in allergies] == ["User is allergic to peanuts"]
    invalid = client.get(f"{user}/memories", categories=["allergies", "astrology", "zodiac"])
    assert invalid.status == 400
    assert invalid.detail == {
        "message": "Invalid categories provided",
        "invalid_categories": ["astrology", "zodiac"],
    }
    bare = memories(
        client, user, include_previous_versions=False, include_connected_memories=False, limit=1
    )
    assert "previous_versions" not in bare[0]
    assert "connected_memories" not in bare[0]
    page = client.get(f"{user}/memories", limit=3, offset=6).json
    assert (len(page["items"]), page["total"], page["has_more"]) == (2, 8, False)
    assert memories(client, user, session_id_filter=[assistant_only.rsplit("/", 1)[1]]) == []


def test_contradiction_makes_a_new_version_when_merging_is_off(client: Client) -> None:
    user = make_user(client)
    learn(client, user, "I live in Berlin.")
    [berlin] = memories(client, user)
    learn(client, user, "Actually I live in Paris now.")
    [paris] = memories(client, user, categories=["location"])
    assert paris["content"] == "User lives in Paris"
    assert paris["memory_id"] != berlin["memory_id"]
    assert (paris["version_number"], paris["total_versions"]) == (2, 2)
    assert paris["has_previous_versions"] is True
    [old] = paris["previous_versions"]
    assert (old["memory_id"], old["version_number"], old["content"]) == (
        berlin["memory_id"],
        1,
        "User lives in Berlin",
    )
    assert old["expired_at"] is not None
    assert old["expiration_reason"] == "NEW_INFORMATION"  # a code (spec: ExpirationReason)
    assert "merge_conflict_id" not in old
    by_old_id = client.get(f"{user}/memory/{berlin['memory_id']}").json
    assert by_old_id["memory_id"] == paris["memory_id"]
    assert by_old_id["content"] == "User lives in Paris"

    learn(client, user, "I live in Paris.")  # the same fact again: nothing new
    assert memories(client, user)[0]["total_versions"] == 2

    no_history = client.call(
        "DELETE",
        f"{user}/memory/{paris['memory_id']}",
        query=[("delete_previous_versions", "true")],
    )
    assert no_history.status == 204
    assert memories(client, user) == []
    missing = client.get(f"{user}/memory/{berlin['memory_id']}")
    assert (missing.status, missing.detail) == (404, f"Memory {berlin['memory_id']} not found")


def test_deleting_a_version_with_its_previous_ones_keeps_the_later_ones(client: Client) -> None:
    # 0.6.6 (recallrai/user.py:449-452): any version's id; that version and all earlier ones.
    user = make_user(client)
    for city in ("Berlin", "Paris", "Rome"):
        learn(client, user, f"I live in {city}.")
    [rome] = memories(client, user)
    berlin, paris = rome["previous_versions"]
    reply = client.call(
        "DELETE",
        f"{user}/memory/{paris['memory_id']}",
        query=[("delete_previous_versions", "true")],
    )
    assert reply.status == 204
    [left] = memories(client, user)
    assert (left["memory_id"], left["content"]) == (rome["memory_id"], "User lives in Rome")
    assert (left["total_versions"], left["previous_versions"]) == (1, [])
    for gone in (berlin, paris):
        assert client.get(f"{user}/memory/{gone['memory_id']}").status == 404


def test_event_dates_are_when_the_fact_was_said(client: Client, clock: ManualClock) -> None:
    # The official 0.6.6 models require event_date_start/end (memories, versions, conflict
    # memories) and a previous version's expired_at/expiration_reason: never null.
    user = make_user(client, merge_conflict_enabled=True)
    session = make_session(client, user)
    say(client, session, "I live in Berlin.")
    said_berlin = clock.now()
    clock.advance(60)
    say(client, session, "I love sushi.")
    said_sushi = clock.now()
    clock.advance(60)
    process(client, session)
    by_content = {m["content"]: m for m in memories(client, user)}
    for content, said in (("User lives in Berlin", said_berlin), ("User loves sushi", said_sushi)):
        memory = by_content[content]
        assert memory["event_date_start"] == memory["event_date_end"]
        assert datetime.fromisoformat(memory["event_date_start"]) == said
        assert datetime.fromisoformat(memory["created_at"]) == clock.now()

    paris_session = make_session(client, user)
    say(client, paris_session, "I live in Paris now.")
    said_paris = clock.now()
    clock.advance(60)
    process(client, paris_session)
    [conflict] = client.get(f"{user}/merge-conflicts").json["conflicts"]
    assert conflict["project_user_session_id"] == paris_session.rsplit("/", 1)[1]
    assert conflict["new_memories"] is None  # until a resolution creates them
    [old] = conflict["conflicting_memories"]
    assert datetime.fromisoformat(old["event_date_start"]) == said_berlin
    question = conflict["clarifying_questions"][0]
    answer = {"question": question["question"], "answer": "User lives in Paris"}
    resolved = _resolve(client, user, conflict["id"], [answer])
    assert resolved.status == 200
    [new] = resolved.json["new_memories"]
    assert datetime.fromisoformat(new["event_date_start"]) == said_paris
    assert datetime.fromisoformat(new["event_date_end"]) == said_paris
    [paris] = memories(client, user, categories=["location"])
    assert datetime.fromisoformat(paris["event_date_start"]) == said_paris
    [berlin] = paris["previous_versions"]
    assert datetime.fromisoformat(berlin["event_date_start"]) == said_berlin
    assert datetime.fromisoformat(berlin["expired_at"]) == clock.now()
    assert berlin["expiration_reason"] == "MERGE_CONFLICT"
    assert berlin["merge_conflict_id"] == conflict["id"]
    assert "merge_conflict_enabled" in client.get(user).json


def test_deleting_a_session_removes_its_versions(client: Client) -> None:
    user = make_user(client)
    learn(client, user, "I live in Berlin.")
    paris = learn(client, user, "I live in Paris.")
    assert client.call("DELETE", paris).status == 204
    [memory] = memories(client, user)
    assert (memory["content"], memory["total_versions"]) == ("User lives in Berlin", 1)
    assert "expired_at" not in memory


def _conflicted(client: Client, user: str) -> dict[str, Any]:
    learn(client, user, "I live in Berlin.")
    learn(client, user, "I live in Paris now.")
    conflicts = client.get(f"{user}/merge-conflicts").json
    assert conflicts["total"] == 1
    conflict: dict[str, Any] = conflicts["conflicts"][0]
    return conflict


def test_contradiction_raises_a_pending_conflict_when_merging_is_on(client: Client) -> None:
    user = make_user(client, merge_conflict_enabled=True)
    conflict = _conflicted(client, user)
    assert conflict["status"] == "PENDING"
    assert conflict["proposed_memory_content"] == "User lives in Paris"
    assert conflict["new_memories"] is None  # only a resolution creates new memories
    [existing] = conflict["conflicting_memories"]
    assert existing["content"] == "User lives in Berlin"
    assert existing["reason"]
    [question] = conflict["clarifying_questions"]
    assert "User lives in Paris" in question["options"]
    assert "User lives in Berlin" in question["options"]
    assert "resolved_at" not in conflict
    [memory] = memories(client, user)
    assert memory["content"] == "User lives in Berlin"
    assert memory["merge_conflict_in_progress"] is True
    assert "merge_conflict_id" not in memory  # that names the conflict that *expired* it
    got = client.get(f"{user}/merge-conflicts/{conflict['id']}")
    assert got.json == conflict
    assert client.get(f"{user}/merge-conflicts/nope").detail == "Merge conflict nope not found"
    assert client.get(f"{user}/merge-conflicts", status="RESOLVED").json["total"] == 0


def test_project_default_turns_merging_on_unless_the_user_opts_out(clock: ManualClock) -> None:
    app = LocalApp(clock=clock, merge_conflicts_default=True, background=False)
    try:
        client = Client(app)
        inherits = make_user(client, "inherits")
        _conflicted(client, inherits)
        opted_out = make_user(client, "out", merge_conflict_enabled=False)
        learn(client, opted_out, "I live in Berlin.")
        learn(client, opted_out, "I live in Paris.")
        assert client.get(f"{opted_out}/merge-conflicts").json["total"] == 0
        assert memories(client, opted_out)[0]["total_versions"] == 2
    finally:
        app.close()


def _resolve(client: Client, user: str, conflict_id: str, answers: list[dict[str, str]]) -> Reply:
    body = {"answers": {"question_answers": answers}}
    return client.post(f"{user}/merge-conflicts/{conflict_id}/resolve", body)


def test_resolve_errors_carry_structured_facts(client: Client) -> None:
    user = make_user(client, merge_conflict_enabled=True)
    conflict = _conflicted(client, user)
    question = conflict["clarifying_questions"][0]["question"]
    options = conflict["clarifying_questions"][0]["options"]

    wrong = _resolve(client, user, conflict["id"], [{"question": "Who?", "answer": "Me"}])
    assert wrong.status == 400
    assert wrong.detail.startswith("Invalid questions provided")
    assert wrong.json["invalid_questions"] == ["Who?"]

    missing = _resolve(client, user, conflict["id"], [])
    assert missing.status == 400
    assert missing.detail.startswith("Missing answers for the following questions")
    assert missing.json["missing_questions"] == [question]

    bad = _resolve(client, user, conflict["id"], [{"question": question, "answer": "Mars"}])
    assert bad.status == 400
    assert bad.detail.startswith("Invalid answer 'Mars' for question")
    assert (bad.json["question"], bad.json["valid_options"]) == (question, options)

    malformed = client.post(f"{user}/merge-conflicts/{conflict['id']}/resolve", {"answers": []})
    assert malformed.status == 422
    assert client.get(f"{user}/merge-conflicts/{conflict['id']}").json["status"] == "PENDING"

    ok = _resolve(client, user, conflict["id"], [{"question": question, "answer": options[0]}])
    assert ok.status == 200
    again = _resolve(client, user, conflict["id"], [{"question": question, "answer": options[0]}])
    assert again.status == 400
    assert "already resolved" in again.detail
    assert again.json["error_code"] == "already_resolved"
    nope = _resolve(client, user, "nope", [{"question": question, "answer": options[0]}])
    assert (nope.status, nope.detail) == (404, "Merge conflict nope not found")


@pytest.mark.parametrize(
    ("pick", "contents", "applied"),
    [
        ("new", ["User lives in Paris"], "replaced_existing_memory"),
        ("old", ["User lives in Berlin"], "kept_existing_memory"),
        ("both", ["User lives in Paris", "User lives in Berlin"], "kept_both_memories"),
    ],
)
def test_resolving_applies_the_choice(
    client: Client, clock: ManualClock, pick: str, contents: list[str], applied: str
) -> None:
    user = make_user(client, merge_conflict_enabled=True)
    conflict = _conflicted(client, user)
    question = conflict["clarifying_questions"][0]
    answer = {
        "new": "User lives in Paris",
        "old": "User lives in Berlin",
        "both": "Both are true",
    }[pick]
    assert answer in question["options"]
    clock.advance(30)
    reply = _resolve(
        client,
        user,
        conflict["id"],
        [{"question": question["question"], "answer": answer, "message": "m"}],
    )
    assert reply.status == 200, reply.text
    resolved = reply.json
    assert resolved["status"] == "RESOLVED"
    assert resolved["resolved_at"] == "2026-01-15T12:00:30.000000+00:00"
    assert resolved["resolution_data"]["applied"] == applied
    assert resolved["resolution_data"]["answers"][0]["answer"] == answer
    items = memories(client, user)
    assert [m["content"] for m in items] == contents
    assert not any(m["merge_conflict_in_progress"] for m in items)
    if pick == "old":
        assert resolved["new_memories"] is None  # the answer kept the existing memory
    else:
        assert [m["content"] for m in resolved["new_memories"]] == ["User lives in Paris"]
    if pick == "new":
        assert items[0]["memory_id"] == resolved["new_memories"][0]["memory_id"]
        assert items[0]["previous_versions"][0]["content"] == "User lives in Berlin"
    listed = client.get(f"{user}/merge-conflicts", status="RESOLVED", sort_by="resolved_at").json
    assert [c["id"] for c in listed["conflicts"]] == [conflict["id"]]


# -- context ------------------------------------------------------------------------------


FACTS = [
    "I live in Berlin.",
    "I'm allergic to peanuts.",
    "My favourite food is sushi.",
    "I work at Acme Corp.",
    "I have a dog named Rex.",
    "I'm 34 years old.",
    "I love hiking in the mountains.",
    "I speak German and English.",
    "I play the violin.",
    "My name is Alice.",
    "I'm married.",
    "I graduated from MIT.",
]


def _context(client: Client, session: str, **query: Any) -> dict[str, Any]:
    reply = client.get(f"{session}/context", **query)
    assert reply.status == 200, reply.text
    assert reply.headers["content-type"] == "application/json"
    result: dict[str, Any] = reply.json
    return result


def test_context_ranks_the_relevant_memory_first_and_honours_limits(client: Client) -> None:
    user = make_user(client)
    learn(client, user, *FACTS)
    session = make_session(client, user)
    say(
        client,
        session,
        "Can you suggest a snack? Remember my peanut allergy, I'm allergic to peanuts!",
    )

    base = {"include_system_prompt": False, "include_metadata_ids": True}
    result = _context(client, session, **base, min_top_k=5, max_top_k=10, memories_threshold=0.8)
    assert result["is_final"] is True
    assert result["metadata"]["recall_strategy_used"] == "balanced"
    ids = result["metadata"]["memory_ids"]
    assert len(ids) == 5  # only one clears the threshold; min_top_k fills up to five
    top = client.get(f"{user}/memory/{ids[0]}").json
    assert top["content"] == "User is allergic to peanuts"
    text = result["context"]
    assert text.index("User is allergic to peanuts") < text.index("## Summaries")
    assert "peanut" in " ".join(result["metadata"]["keywords"])

    everything = _context(client, session, **base, min_top_k=50, max_top_k=100)
    assert len(everything["metadata"]["memory_ids"]) == len(FACTS)
    capped = _context(client, session, **base, min_top_k=50, max_top_k=10)
    assert len(capped["metadata"]["memory_ids"]) == 10
    assert "memory_ids" not in _context(client, session)["metadata"]


def test_context_text_options(client: Client) -> None:
    user = make_user(client)
    first = learn(client, user, "I live in Berlin and I love skiing.")
    session = make_session(client, user)
    say(client, session, "Where should I go skiing this winter?", "Somewhere near Berlin?")
    say(client, session, "Try the Alps.", role="assistant")

    with_prompt = _context(client, session)["context"]
    prompt = client.get("/system-prompt", recall_strategy="balanced").json["system_prompt"]
    assert with_prompt.startswith(prompt + "\n\n\n")
    bare = _context(client, session, include_system_prompt=False)
    assert bare["context"] == with_prompt[len(prompt) + 3 :]
    assert "Current time: 2026-01-15 12:00 UTC" in bare["context"]
    assert "Recent messages" not in bare["context"]

    local = _context(
        client,
        session,
        include_system_prompt=False,
        timezone="America/Los_Angeles",
        last_n_messages=2,
        include_metadata_ids=True,
    )
    text = local["context"]
    assert "Current time: 2026-01-15 04:00 PST" in text
    assert "[2026-01-15 04:00 PST] User lives in Berlin" in text
    assert "assistant: Try the Alps." in text
    assert "Somewhere near Berlin?" in text
    assert "Where should I go skiing" not in text
    assert local["metadata"]["session_ids"] == [first.rsplit("/", 1)[1]]

    auto = _context(client, session, recall_strategy="auto")
    assert auto["metadata"]["recall_strategy_used"] == "balanced"
    agentic = _context(client, session, recall_strategy="agentic", include_system_prompt=True)
    agentic_prompt = client.get("/system-prompt", recall_strategy="agentic").json["system_prompt"]
    assert agentic["context"].startswith(agentic_prompt + "\n\n\n")
    assert agentic_prompt != prompt
    assert client.get(f"{user}/sessions/nope/context").status == 404


def test_context_stream_sends_status_events_then_the_final_context(client: Client) -> None:
    user = make_user(client)
    learn(client, user, "I live in Berlin.")
    session = make_session(client, user)
    say(client, session, "What's the weather in Berlin?")
    reply = client.get(f"{session}/context", stream=True, include_system_prompt=False)
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/event-stream")
    assert reply.text.startswith("data: ") and reply.text.endswith("\n\n")
    *updates, final = reply.events
    assert 2 <= len(updates) <= 3
    assert all(e["is_final"] is False and e["status_update_message"] for e in updates)
    assert final["is_final"] is True
    assert "User lives in Berlin" in final["context"]
    plain = _context(client, session, include_system_prompt=False)
    assert final == plain


# -- lifecycle, durability, concurrency ----------------------------------------------------


def test_idle_sessions_are_processed_after_their_timeout(
    client: Client, clock: ManualClock
) -> None:
    user = make_user(client)
    session = make_session(client, user, auto_process_after_seconds=900)
    say(client, session, "I live in Oslo.")
    clock.advance(899)
    client.app.run_due_work()
    assert client.get(session).json["status"] == "pending"
    say(client, session, "I'm allergic to cats.")  # activity restarts the idle timer
    clock.advance(899)
    client.app.run_due_work()
    assert client.get(session).json["status"] == "pending"
    clock.advance(1)
    # handle() notices the deadline before answering: no more messages are accepted
    late = client.post(f"{session}/add-message", {"message": "too late", "role": "user"})
    assert late.status == 400
    client.app.run_due_work()
    assert client.get(session).json["status"] == "processed"
    assert {m["content"] for m in memories(client, user)} == {
        "User lives in Oslo",
        "User is allergic to cats",
    }


def test_background_worker_finishes_processing(clock: ManualClock) -> None:
    app = LocalApp(clock=clock)
    try:
        client = Client(app)
        user = make_user(client)
        session = make_session(client, user)
        say(client, session, "I work as a nurse.")
        assert client.post(f"{session}/process").status == 200
        deadline = time.monotonic() + 5
        while client.get(session).json["status"] != "processed" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert client.get(session).json["status"] == "processed"
        assert memories(client, user)[0]["content"] == "User works as a nurse"
    finally:
        app.close()


def test_data_survives_a_restart(tmp_path: Path, clock: ManualClock) -> None:
    db = str(tmp_path / "recallr.db")
    app = LocalApp(db, clock=clock, background=False)
    client = Client(app)
    user = make_user(client, "durable", metadata={"k": "v"})
    learn(client, user, "I live in Rome.")
    queued = make_session(client, user)
    say(client, queued, "I'm allergic to shellfish.")
    assert client.post(f"{queued}/process").status == 200
    app.close()

    reopened = LocalApp(db, clock=clock, background=False)
    try:
        client = Client(reopened)
        assert client.get(user).json["metadata"] == {"k": "v"}
        assert client.get(queued).json["status"] == "processing"
        reopened.run_due_work()  # queued work survives the restart too
        assert {m["content"] for m in memories(client, user)} == {
            "User lives in Rome",
            "User is allergic to shellfish",
        }
    finally:
        reopened.close()


def test_concurrent_messages_are_all_kept(client: Client) -> None:
    user = make_user(client)
    session = make_session(client, user)
    failures: list[int] = []

    def send(worker: int) -> None:
        for i in range(20):
            body = {"message": f"w{worker} m{i}", "role": "user"}
            status = client.post(f"{session}/add-message", body).status
            if status != 200:
                failures.append(status)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert failures == []
    listed = client.get(f"{session}/messages", limit=200).json
    assert listed["total"] == 320
    more = client.get(f"{session}/messages", offset=200, limit=200).json["messages"]
    contents = {m["content"] for m in listed["messages"] + more}
    assert contents == {f"w{w} m{i}" for w in range(16) for i in range(20)}


def test_deleting_a_user_cascades(client: Client) -> None:
    user = make_user(client, merge_conflict_enabled=True)
    _conflicted(client, user)
    assert client.call("DELETE", user).status == 204
    make_user(client)
    assert memories(client, user) == []
    assert client.get(f"{user}/merge-conflicts").json["total"] == 0
    assert client.get(f"{user}/sessions").json["total"] == 0
