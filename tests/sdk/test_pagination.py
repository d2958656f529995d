"""Auto-pagination of every list, sync and async, against an emulated server.

Each test runs for both clients (the ``sdk`` harness of ``conftest.py``) and, where it
matters, for each of the five lists. The server is a pytest-httpx callback that serves
``offset``/``limit`` slices of N synthetic items and records the offsets asked for.
"""

from __future__ import annotations

import gc
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from sdk_helpers import API

if TYPE_CHECKING:
    from conftest import Harness

STAMP = "2025-01-01T00:00:00Z"
MAX_REQUESTS = 500  # more than any test needs


@dataclass(frozen=True)
class Kind:
    """One list: where it lives, how its items look on the wire and in the SDK."""

    name: str
    path: str  # a regex for the URL path under /api/v1
    key: str  # the list's field in the answer
    max_limit: int
    wire: Callable[[int], dict[str, Any]]
    ident: Callable[[Any], str]
    open: Callable[[Harness, int, int], Any]  # (sdk, offset, limit) -> first page

    def pattern(self) -> re.Pattern[str]:
        return re.compile(re.escape(API) + self.path + r"(\?.*)?$")


def _user(sdk: Harness) -> Any:
    return sdk.run(sdk.client.get_user("u1", validate=False))


def _session(sdk: Harness) -> Any:
    return sdk.run(_user(sdk).get_session("s1", validate=False))


KINDS = [
    Kind(
        "users",
        "/users",
        "users",
        100,
        lambda i: {"custom_user_id": f"id-{i}", "metadata": {}, "created_at": STAMP},
        lambda u: u.user_id,
        lambda sdk, offset, limit: sdk.run(sdk.client.list_users(offset=offset, limit=limit)),
    ),
    Kind(
        "sessions",
        "/users/u1/sessions",
        "sessions",
        100,
        lambda i: {"session_id": f"id-{i}", "status": "pending", "created_at": STAMP},
        lambda s: s.session_id,
        lambda sdk, offset, limit: sdk.run(_user(sdk).list_sessions(offset=offset, limit=limit)),
    ),
    Kind(
        "memories",
        "/users/u1/memories",
        "items",
        200,
        lambda i: {"memory_id": f"id-{i}", "categories": ["c"], "content": f"m{i}"},
        lambda m: m.memory_id,
        lambda sdk, offset, limit: sdk.run(_user(sdk).list_memories(offset=offset, limit=limit)),
    ),
    Kind(
        "messages",
        "/users/u1/sessions/s1/messages",
        "messages",
        200,
        lambda i: {"role": "user", "content": f"id-{i}", "timestamp": STAMP},
        lambda m: m.content,
        lambda sdk, offset, limit: sdk.run(_session(sdk).get_messages(offset=offset, limit=limit)),
    ),
    Kind(
        "conflicts",
        "/users/u1/merge-conflicts",
        "conflicts",
        100,
        lambda i: {"id": f"id-{i}", "status": "PENDING", "created_at": STAMP},
        lambda c: c.conflict_id,
        lambda sdk, offset, limit: sdk.run(
            _user(sdk).list_merge_conflicts(offset=offset, limit=limit)
        ),
    ),
]


class FakeList:
    """Serves slices of ``n`` items like the API does; ``shape`` can make it misbehave."""

    def __init__(self, kind: Kind, n: int) -> None:
        self.kind = kind
        self.n = n
        self.requests: list[tuple[int, int]] = []  # (offset, limit) of each request
        # shape(offset, limit) -> (items, total, has_more); the honest server by default
        self.shape: Callable[[int, int], tuple[list[dict[str, Any]], int, bool]] = self.honest

    def honest(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        end = min(offset + limit, self.n)
        items = [self.kind.wire(i) for i in range(offset, end)]
        return items, self.n, end < self.n

    def __call__(self, request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        limit = int(request.url.params["limit"])
        self.requests.append((offset, limit))
        if len(self.requests) > MAX_REQUESTS:  # fail, rather than hang, on a runaway loop
            raise AssertionError(f"runaway pagination: {self.requests[-3:]}")
        items, total, has_more = self.shape(offset, limit)
        return httpx.Response(
            200, json={self.kind.key: items, "total": total, "has_more": has_more}
        )

    @property
    def offsets(self) -> list[int]:
        return [offset for offset, _ in self.requests]


def serve(httpx_mock: Any, kind: Kind, n: int) -> FakeList:
    fake = FakeList(kind, n)
    httpx_mock.add_callback(fake, url=kind.pattern(), is_reusable=True)
    return fake


def step(sdk: Harness, iterator: Any) -> Any:
    """The next item of a (sync or async) iterator."""
    if not sdk.is_async:
        return next(iterator)

    async def advance() -> Any:
        return await iterator.__anext__()

    return sdk.run(advance())


def iterate(sdk: Harness, page: Any) -> Any:
    return aiter(page) if sdk.is_async else iter(page)


def close(sdk: Harness, iterator: Any) -> None:
    if sdk.is_async:
        sdk.run(iterator.aclose())
    else:
        iterator.close()


by_kind = pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])


# Every item exactly once ----------------------------------------------------------------


def _sizes() -> list[Any]:
    cases = []
    for kind in KINDS:
        for size in (1, 7, kind.max_limit):
            # a partial last page, and a total that is an exact multiple of the page size
            for n in (2 * size + 3, 2 * size):
                cases.append(pytest.param(kind, size, n, id=f"{kind.name}-limit{size}-n{n}"))
    return cases


@pytest.mark.parametrize(("kind", "size", "n"), _sizes())
def test_every_item_exactly_once(
    sdk: Harness, httpx_mock: Any, kind: Kind, size: int, n: int
) -> None:
    fake = serve(httpx_mock, kind, n)
    page = kind.open(sdk, 0, size)
    seen = [kind.ident(item) for item in sdk.collect(page)]
    assert seen == [f"id-{i}" for i in range(n)]
    assert fake.requests == [(offset, size) for offset in range(0, n, size)]


@by_kind
def test_empty_list_is_one_request(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 0)
    page = kind.open(sdk, 0, 10)
    assert sdk.collect(page) == []
    assert fake.offsets == [0]
    assert not page.has_next_page()
    assert sdk.run(page.next_page()) is None


@by_kind
def test_iterating_a_later_page_walks_from_it_on(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 10)
    page = kind.open(sdk, 4, 3)
    seen = [kind.ident(item) for item in sdk.collect(page)]
    assert seen == [f"id-{i}" for i in range(4, 10)]
    assert fake.offsets == [4, 7]


# Page objects ---------------------------------------------------------------------------


@by_kind
def test_page_fields_and_next_page(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 5)
    first = kind.open(sdk, 0, 2)
    assert (first.total, first.has_more, len(first)) == (5, True, 2)
    assert first.has_next_page()

    second = sdk.run(first.next_page())
    assert [kind.ident(i) for i in second.data] == ["id-2", "id-3"]
    third = sdk.run(second.next_page())
    assert [kind.ident(i) for i in third.data] == ["id-4"]
    assert (third.total, third.has_more) == (5, False)
    assert not third.has_next_page()
    assert sdk.run(third.next_page()) is None
    assert fake.offsets == [0, 2, 4]


def test_readme_page_attributes(sdk: Harness, httpx_mock: Any) -> None:
    """The README's names for each page's items."""
    for kind in KINDS:
        serve(httpx_mock, kind, 3)
    attrs = {
        "users": "users",
        "sessions": "sessions",
        "memories": "items",
        "messages": "messages",
        "conflicts": "conflicts",
    }
    for kind in KINDS:
        page = kind.open(sdk, 0, 10)
        items = getattr(page, attrs[kind.name])
        assert [kind.ident(i) for i in items] == ["id-0", "id-1", "id-2"], kind.name
        assert page.total == 3
        assert page.has_more is False


# Laziness -------------------------------------------------------------------------------


@by_kind
def test_pages_are_fetched_lazily(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 9)
    page = kind.open(sdk, 0, 3)
    assert fake.offsets == [0]
    iterator = iterate(sdk, page)
    for expected in range(3):
        assert kind.ident(step(sdk, iterator)) == f"id-{expected}"
    assert fake.offsets == [0]  # the third item is on page one: nothing more asked
    assert kind.ident(step(sdk, iterator)) == "id-3"
    assert fake.offsets == [0, 3]  # page two only when iteration reached it
    close(sdk, iterator)
    assert fake.offsets == [0, 3]


def test_earlier_pages_are_let_go(sdk: Harness, httpx_mock: Any) -> None:
    """Memory stays flat: pages that iteration has moved past can be freed."""
    kind = KINDS[0]  # users: plain objects, so they can be watched with weak references
    fake = serve(httpx_mock, kind, 40)
    iterator = iterate(sdk, kind.open(sdk, 0, 10))
    passed = []
    for index in range(31):
        item = step(sdk, iterator)
        if 10 <= index < 20:
            passed.append(weakref.ref(item))
    del item
    assert fake.offsets == [0, 10, 20, 30]
    gc.collect()
    assert [ref() for ref in passed] == [None] * 10  # the second page is gone
    close(sdk, iterator)


# A misbehaving server cannot make iteration loop forever --------------------------------


@by_kind
def test_stops_on_an_empty_page_that_claims_more(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 4)

    def shape(offset: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        items, _, _ = fake.honest(offset, limit)
        return items, 1000, True  # always "more", even when empty

    fake.shape = shape
    page = kind.open(sdk, 0, 2)
    seen = [kind.ident(item) for item in sdk.collect(page)]
    assert seen == ["id-0", "id-1", "id-2", "id-3"]
    assert fake.offsets == [0, 2, 4]


@by_kind
def test_stops_when_the_total_shrinks(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 100)

    def shape(offset: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        items, _, _ = fake.honest(offset, limit)
        return items, max(10 - offset, 0), True  # total shrinks below the offset

    fake.shape = shape
    page = kind.open(sdk, 0, 3)
    seen = [kind.ident(item) for item in sdk.collect(page)]
    # page 1: offset 0, total 10 -> next at 3; page 2: offset 3, total 7 -> next at 6;
    # page 3: offset 6, total 4 -> 9 >= 4, stop.
    assert seen == [f"id-{i}" for i in range(9)]
    assert fake.offsets == [0, 3, 6]


@by_kind
def test_stops_on_has_more_false(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    fake = serve(httpx_mock, kind, 50)

    def shape(offset: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        items, _, _ = fake.honest(offset, limit)
        return items, 50, False  # the server says it is done, whatever the total

    fake.shape = shape
    page = kind.open(sdk, 0, 5)
    assert [kind.ident(item) for item in sdk.collect(page)] == [f"id-{i}" for i in range(5)]
    assert fake.offsets == [0]
    assert sdk.run(page.next_page()) is None


def test_a_server_ignoring_offset_is_bounded(sdk: Harness, httpx_mock: Any) -> None:
    """A server that serves page one forever still ends, once ``total`` is reached."""
    kind = KINDS[0]
    fake = serve(httpx_mock, kind, 6)

    def shape(offset: int, limit: int) -> tuple[list[dict[str, Any]], int, bool]:
        items, _, _ = fake.honest(0, limit)
        return items, 6, True

    fake.shape = shape
    page = kind.open(sdk, 0, 2)
    assert len(sdk.collect(page)) == 6
    assert fake.offsets == [0, 2, 4]


# Page size ------------------------------------------------------------------------------


@by_kind
def test_page_size_is_validated(sdk: Harness, httpx_mock: Any, kind: Kind) -> None:
    from recallrai.exceptions import ValidationError

    serve(httpx_mock, kind, 1)
    kind.open(sdk, 0, kind.max_limit)
    with pytest.raises(ValidationError):
        kind.open(sdk, 0, kind.max_limit + 1)
    with pytest.raises(ValidationError):
        kind.open(sdk, 0, 0)
