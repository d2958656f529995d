"""The bounds every layer agrees on: past them a 422 in the app's shape, and nothing stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from test_app import START, Client, enc, make_session, make_user, say

from recallrai.local._app import LocalApp
from recallrai.local._clock import ManualClock
from recallrai.local._wire import (
    MAX_CATEGORIES,
    MAX_FILTER_BYTES,
    MAX_ID_LENGTH,
    MAX_MESSAGE_LENGTH,
    MAX_METADATA_BYTES,
    MAX_METADATA_DEPTH,
    MAX_TEXT_LENGTH,
)


@pytest.fixture
def client() -> Iterator[Client]:
    app = LocalApp(clock=ManualClock(START), background=False)
    yield Client(app)
    app.close()


def _refused(reply: Any, loc: list[str | int]) -> None:
    assert reply.status == 422, reply.text
    assert [p["loc"] for p in reply.detail] == [loc], reply.detail
    assert all({"type", "loc", "msg", "input"} <= set(p) for p in reply.detail)


def _blob(size: int) -> dict[str, str]:
    """A metadata object of exactly ``size`` bytes as compact JSON."""
    overhead = len(json.dumps({"b": ""}, separators=(",", ":")))
    return {"b": "x" * (size - overhead)}


def _nested(depth: int) -> dict[str, Any]:
    """A metadata object nested ``depth`` levels deep (``{}`` is 1)."""
    value: dict[str, Any] = {}
    for _ in range(depth - 1):
        value = {"n": value}
    return value


@pytest.mark.parametrize(
    "bad",
    ["u" * (MAX_ID_LENGTH + 1), "u" * 1_000_000, "", "a\x00b", "tab\there", "del\x7f", "nl\n"],
    ids=["256", "million", "empty", "nul", "tab", "del", "newline"],
)
def test_a_user_id_that_could_not_be_addressed_again_is_refused(client: Client, bad: str) -> None:
    _refused(client.post("/users", {"custom_user_id": bad}), ["body", "custom_user_id"])
    assert client.get("/users").json["total"] == 0
    if bad:
        _refused(client.get(f"/users/{enc(bad)}"), ["path", "user_id"])
    user = make_user(client, "alice")
    _refused(client.call("PUT", user, {"new_custom_user_id": bad}), ["body", "new_custom_user_id"])
    assert client.get(user).status == 200


def test_ids_at_the_limit_round_trip(client: Client) -> None:
    longest = "ü" * MAX_ID_LENGTH  # characters, not bytes
    user = make_user(client, longest)
    assert client.get(user).json["custom_user_id"] == longest
    session = make_session(client, user)
    say(client, session, "hello")
    assert client.get(f"{session}/messages").json["total"] == 1
    for path in (
        f"{user}/sessions/{'s' * 256}",
        f"{user}/memory/{'m' * 256}",
        f"{user}/merge-conflicts/{'c' * 256}",
    ):
        name = {"sessions": "session_id", "memory": "memory_id", "merge-conflicts": "conflict_id"}
        reply = client.get(path)
        _refused(reply, ["path", name[path.split("/")[-2]]])
    _refused(
        client.get(f"{user}/memories", session_id_filter=["s" * 256]),
        ["query", "session_id_filter", 0],
    )


def test_metadata_past_its_size_or_depth_is_refused(client: Client) -> None:
    kept = make_user(client, "kept", metadata=_blob(MAX_METADATA_BYTES))
    assert len(json.dumps(client.get(kept).json["metadata"], separators=(",", ":"))) == (
        MAX_METADATA_BYTES
    )
    deep_ok = make_user(client, "deep", metadata=_nested(MAX_METADATA_DEPTH))
    assert client.get(deep_ok).json["metadata"] == _nested(MAX_METADATA_DEPTH)
    for metadata in (_blob(MAX_METADATA_BYTES + 1), _nested(MAX_METADATA_DEPTH + 1)):
        _refused(
            client.post("/users", {"custom_user_id": "x", "metadata": metadata}),
            ["body", "metadata"],
        )
        _refused(client.call("PUT", kept, {"new_metadata": metadata}), ["body", "new_metadata"])
        _refused(client.post(f"{kept}/sessions", {"metadata": metadata}), ["body", "metadata"])
        session = make_session(client, kept)
        _refused(client.call("PUT", session, {"new_metadata": metadata}), ["body", "new_metadata"])
        assert client.get(session).json["metadata"] == {}
    assert client.get("/users").json["total"] == 2
    assert client.get(kept).json["metadata"] == _blob(MAX_METADATA_BYTES)


def test_filters_past_their_bounds_are_refused(client: Client) -> None:
    user = make_user(client)
    big_filter = json.dumps(_blob(MAX_FILTER_BYTES + 1))
    _refused(client.get("/users", metadata_filter=big_filter), ["query", "metadata_filter"])
    _refused(
        client.get(f"{user}/sessions", user_metadata_filter=big_filter),
        ["query", "user_metadata_filter"],
    )
    _refused(
        client.get(f"{user}/memories", session_metadata_filter=json.dumps(_nested(33))),
        ["query", "session_metadata_filter"],
    )
    assert client.get("/users", metadata_filter=json.dumps(_blob(MAX_FILTER_BYTES))).status == 200
    many = ["location"] * (MAX_CATEGORIES + 1)
    _refused(client.get(f"{user}/memories", categories=many), ["query", "categories"])
    _refused(client.get(f"{user}/memories", categories=["x" * 101]), ["query", "categories", 0])
    _refused(client.get(f"{user}/memories", categories=[""]), ["query", "categories", 0])
    assert client.get(f"{user}/memories", categories=["location"] * MAX_CATEGORIES).status == 200


def test_message_content_is_one_to_a_million_characters(client: Client) -> None:
    session = make_session(client, make_user(client))
    for content in ("", "x" * (MAX_MESSAGE_LENGTH + 1)):
        reply = client.post(f"{session}/add-message", {"message": content, "role": "user"})
        _refused(reply, ["body", "message"])
    assert client.get(f"{session}/messages").json["total"] == 0
    longest = "y" * MAX_MESSAGE_LENGTH
    say(client, session, longest)
    assert client.get(f"{session}/messages").json["messages"][0]["content"] == longest


def test_free_text_past_its_bound_is_refused(client: Client) -> None:
    user = make_user(client, merge_conflict_enabled=True)
    session = make_session(client, user)
    _refused(client.get(f"{session}/context", timezone="E" * 65), ["query", "timezone"])
    answers = {"question_answers": [{"question": "q" * (MAX_TEXT_LENGTH + 1), "answer": "a"}]}
    reply = client.post(f"{user}/merge-conflicts/some-id/resolve", {"answers": answers})
    _refused(reply, ["body", "answers", "question_answers", 0, "question"])
