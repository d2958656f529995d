"""Pytest fixtures for testing your own code against a local RecallrAI server.

Enable them in your ``conftest.py``::

    pytest_plugins = ["recallrai.local.pytest_plugin"]

then ask for them by name::

    def test_bot_remembers(recallrai_local):
        client = recallrai_local.client          # a RecallrAI on a fresh in-memory server
        user = client.create_user("alice")
        recallrai_local.faults.fail_next(1, 503) # the next request fails; retries recover
        recallrai_local.advance(600)             # move the server's clock

    @pytest.mark.recallrai(merge_conflicts_default=True, max_retries=0)
    def test_conflicts(recallrai_local): ...     # the marker takes local_client()'s arguments

    def test_two_projects(recallrai_local_factory):
        strict = recallrai_local_factory(api_keys=["rai_a"])   # as many as a test needs

    def test_async(recallrai_local_async):       # an AsyncRecallrAI; works with anyio,
        ...                                      # pytest-asyncio or asyncio.run in the test

Retries never sleep for real: ``env.retry_delays`` holds the backoffs the SDK chose
(pass ``real_sleep=True`` to the marker to sleep). ``recallrai_local_server`` is a
started loopback HTTP server instead (``.url``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

import pytest

from .testing import LocalEnv, async_local_env, local_client, local_http_server

if TYPE_CHECKING:
    from recallrai import AsyncRecallrAI, RecallrAI

    from ._http import LocalServer

MARKER = "recallrai"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(**options): configure the recallrai_local fixtures; the options are "
        "recallrai.local.testing.local_client()'s keyword arguments",
    )


def _marker_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if marker.args:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes keyword arguments only")
    return dict(marker.kwargs)


@pytest.fixture
def recallrai_local_factory() -> Iterator[Callable[..., LocalEnv[RecallrAI]]]:
    """Make ``RecallrAI`` clients on fresh local servers: ``factory(**local_client options)``."""
    with ExitStack() as stack:

        def make(**options: Any) -> LocalEnv[RecallrAI]:
            return stack.enter_context(local_client(**options))

        yield make


@pytest.fixture
def recallrai_local(
    request: pytest.FixtureRequest,
    recallrai_local_factory: Callable[..., LocalEnv[RecallrAI]],
) -> LocalEnv[RecallrAI]:
    """A ``RecallrAI`` client on a fresh in-memory local server (manual clock).

    Configured by ``@pytest.mark.recallrai(...)`` with ``local_client()``'s arguments.
    """
    return recallrai_local_factory(**_marker_options(request))


@pytest.fixture
def recallrai_local_async(request: pytest.FixtureRequest) -> Iterator[LocalEnv[AsyncRecallrAI]]:
    """An ``AsyncRecallrAI`` client on a fresh in-memory local server (manual clock).

    A plain fixture, so it serves any async test runner. The in-process transport holds
    no socket, so the client may be used from whichever event loop the test runs.
    """
    with async_local_env(**_marker_options(request)) as (env, http):
        try:
            yield env
        finally:
            asyncio.run(http.aclose())


@pytest.fixture
def recallrai_local_server() -> Iterator[LocalServer]:
    """A started loopback ``LocalServer`` on a fresh in-memory app."""
    with local_http_server() as server:
        yield server
