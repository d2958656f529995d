"""One harness for the sync and the async client, so that each wire test is written once.

A test takes ``client``, ``run`` and ``collect`` (all from the ``sdk`` harness, which is
parametrised over ``"sync"`` and ``"async"``) and the ``httpx_mock`` fixture of
pytest-httpx, which intercepts both ``httpx.Client`` and ``httpx.AsyncClient``::

    def test_get_user(client, run, httpx_mock):
        httpx_mock.add_response(json=USER)
        user = run(client.get_user("u"))

``run(x)`` returns ``x`` for the sync client and drives the coroutine ``x`` to completion
for the async one; ``collect(it)`` lists an iterable or async iterable. Every async test
uses one event loop (an ``asyncio.Runner``) from setup to teardown, because an
``httpx.AsyncClient``'s connections belong to the loop that opened them.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Callable, Iterable, Iterator
from typing import Any

import pytest
from sdk_helpers import API_KEY, BASE_URL, PROJECT

from recallrai import AsyncRecallrAI, RecallrAI


class Harness:
    """A client of one flavour and the means to call it the same way in both."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._runner: asyncio.Runner | None = None
        kwargs: dict[str, Any] = {
            "api_key": API_KEY,
            "project_id": PROJECT,
            "base_url": BASE_URL,
            "max_retries": 0,
        }
        if mode == "async":
            self._runner = asyncio.Runner()
            self.client: Any = AsyncRecallrAI(**kwargs)
        else:
            self.client = RecallrAI(**kwargs)

    @property
    def is_async(self) -> bool:
        return self._runner is not None

    def run(self, value: Any) -> Any:
        """The result of an SDK call: as is (sync), or awaited on this test's loop (async)."""
        if self._runner is None:
            return value
        if not asyncio.iscoroutine(value):
            raise TypeError(f"expected a coroutine from the async client, got {value!r}")
        return self._runner.run(value)

    def collect(self, iterable: Iterable[Any] | AsyncIterable[Any]) -> list[Any]:
        """Every item of a page (across pages) or an event stream."""
        if self._runner is None:
            assert isinstance(iterable, Iterable)
            return list(iterable)
        assert isinstance(iterable, AsyncIterable), f"not async-iterable: {iterable!r}"

        async def gather() -> list[Any]:
            return [item async for item in iterable]

        return self._runner.run(gather())

    def close(self) -> None:
        if self._runner is None:
            self.client.close()
            return
        try:
            self._runner.run(self.client.aclose())
        finally:
            self._runner.close()


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest) -> Iterator[Harness]:
    harness = Harness(request.param)
    yield harness
    harness.close()


@pytest.fixture
def client(sdk: Harness) -> Any:
    return sdk.client


@pytest.fixture
def run(sdk: Harness) -> Callable[[Any], Any]:
    return sdk.run


@pytest.fixture
def collect(sdk: Harness) -> Callable[[Any], list[Any]]:
    return sdk.collect


@pytest.fixture
def user(client: Any, run: Callable[[Any], Any]) -> Any:
    """User ``u``, made without a request (``validate=False``)."""
    return run(client.get_user("u", validate=False))


@pytest.fixture
def session(user: Any, run: Callable[[Any], Any]) -> Any:
    """Session ``s`` of user ``u``, made without a request (``validate=False``)."""
    return run(user.get_session("s", validate=False))
