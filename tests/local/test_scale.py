"""Ranking and paging that cost what the user's own data costs, and still answer right."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from test_app import START, Client, make_session, make_user, say

from recallrai.local._app import LocalApp
from recallrai.local._clock import ManualClock
from recallrai.local._store import SCORE_CAP


@pytest.fixture
def app() -> Iterator[LocalApp]:
    app = LocalApp(clock=ManualClock(START), background=False)
    yield app
    app.close()


def _seed(app: LocalApp, user: str, texts: list[str], first: int = 0) -> None:
    store = app._store
    client = Client(app)
    session = make_session(client, f"/users/{user}")
    user_pk = store.user("proj-1", user)["pk"]
    session_id = session.rsplit("/", 1)[1]
    store.import_memories(
        (user_pk, f"s{i}", '["preferences"]', f"{user}-{i}", text, session_id)
        for i, text in enumerate(texts, first)
    )


def _context_ids(client: Client, user: str, said: str) -> list[str]:
    session = make_session(client, f"/users/{user}")
    say(client, session, said)
    reply = client.get(f"{session}/context", include_metadata_ids="true", min_top_k=5)
    ids: list[str] = reply.json["metadata"]["memory_ids"]
    return ids


def test_a_rare_word_finds_an_old_memory_among_more_broad_matches_than_are_scored(
    app: LocalApp,
) -> None:
    client = Client(app)
    make_user(client, "many")
    texts = ["A note about zanzibar trips"] + [f"A note number {i}" for i in range(SCORE_CAP + 50)]
    _seed(app, "many", texts)
    ids = _context_ids(client, "many", "note zanzibar")
    assert ids[0] == "many-0"  # the oldest memory, far outside the newest SCORE_CAP
    last = SCORE_CAP + 50
    assert ids[1:] == [f"many-{i}" for i in range(last, last - 4, -1)]  # ties: newest first


def test_one_users_words_never_reach_another_users_ranking(app: LocalApp) -> None:
    client = Client(app)
    make_user(client, "a")
    make_user(client, "b")
    _seed(app, "a", ["User loves sushi", "User lives in Oslo"])
    _seed(app, "b", ["User loves ramen"])
    assert _context_ids(client, "b", "sushi in Oslo?") == ["b-0"]  # filled up, not a's
    assert _context_ids(client, "a", "sushi") == ["a-0", "a-1"]


def test_walking_pages_stays_right_when_the_list_changes_midway(app: LocalApp) -> None:
    client = Client(app)
    make_user(client, "walker")
    _seed(app, "walker", [f"fact {i}" for i in range(45)])

    def page(offset: int) -> list[str]:
        reply = client.get("/users/walker/memories", offset=offset, limit=10)
        assert reply.json["total"] == total
        return [m["memory_id"] for m in reply.json["items"]]

    total = 45
    walked = page(0) + page(10) + page(20)
    assert walked == [f"walker-{i}" for i in range(44, 14, -1)]
    _seed(app, "walker", ["a newer fact"], 45)  # goes first: everything shifts by one
    total = 46
    assert page(30)[0] == "walker-15"  # the shifted list, not where page 20 ended
    assert page(40) == [f"walker-{i}" for i in range(5, -1, -1)]
    assert page(46) == []


def test_deep_pages_start_from_milestones_and_stay_right(
    app: LocalApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recallrai.local import _store

    monkeypatch.setattr(_store, "MILESTONE", 10)
    client = Client(app)
    make_user(client, "deep")
    _seed(app, "deep", [f"fact {i}" for i in range(45)])

    def page(offset: int, limit: int = 4) -> list[str]:
        reply = client.get("/users/deep/memories", offset=offset, limit=limit)
        return [m["memory_id"] for m in reply.json["items"]]

    newest_first = [f"deep-{i}" for i in range(44, -1, -1)]
    for offset in (10, 23, 37, 44):
        assert page(offset) == newest_first[offset : offset + 4], offset
    store = app._store
    user_pk = store.user("proj-1", "deep")["pk"]
    [twelfth] = [r for r in store.memories(user_pk, 12, 1, [], [], None)[0]]
    store.delete_lineage(twelfth["lineage_pk"])  # the list changes: milestones rebuilt
    newest_first.remove("deep-32")
    assert page(23) == newest_first[23:27]
    assert page(40, 10) == newest_first[40:]
