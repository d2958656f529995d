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

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flavours import Flavour
from sdk_helpers import API_KEY, BASE_URL, PROJECT

from recallrai import AsyncRecallrAI, RecallrAI


class Harness(Flavour):
    """A client of one flavour (no retries) and the means to call it the same way in both."""

    def __init__(self, mode: str) -> None:
        super().__init__(mode)
        client_class = AsyncRecallrAI if self.is_async else RecallrAI
        self.client: Any = client_class(
            api_key=API_KEY, project_id=PROJECT, base_url=BASE_URL, max_retries=0
        )

    def finish(self) -> None:
        try:
            self.close(self.client)
        finally:
            self.close_loop()


@pytest.fixture(params=["sync", "async"])
def sdk(request: pytest.FixtureRequest) -> Iterator[Harness]:
    harness = Harness(request.param)
    yield harness
    harness.finish()


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
