"""Helpers for testing your own code against a local RecallrAI server, offline.

    from recallrai.local.testing import local_client

    def test_remembers_city() -> None:
        with local_client() as env:
            user = env.client.create_user("alice")
            ...
            env.faults.fail_next(2, 503)      # the next two calls fail, retries recover
            env.advance(600)                  # move the clock, run due work

A pytest fixture is a few lines in your `conftest.py`:

    from collections.abc import Iterator

    import pytest
    from recallrai import RecallrAI
    from recallrai.local.testing import LocalEnv, local_client

    @pytest.fixture
    def recallr() -> Iterator[LocalEnv[RecallrAI]]:
        with local_client() as env:
            yield env

The client is a real `recallrai.RecallrAI` (or `AsyncRecallrAI`) whose httpx
client routes requests in-process to a fresh in-memory `LocalApp`; nothing
listens on a port. `local_http_server()` starts a real loopback server instead.
These helpers serve the `/_local/*` test controls (pass `test_controls=False` to
leave them out); `LocalServer` and `LocalTransport` themselves do not by default.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Collection, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

import httpx

from ._clock import Clock, ManualClock
from ._faults import FaultPlan
from ._transport import LocalTransport

if TYPE_CHECKING:
    from recallrai import AsyncRecallrAI, RecallrAI

    from ._app import LocalApp
    from ._http import LocalServer

BASE_URL = "http://recallrai.local"
API_KEY = "rai_local_test"
PROJECT_ID = "local-project"

_ClientT = TypeVar("_ClientT")


@dataclass
class LocalEnv(Generic[_ClientT]):
    """A client wired to an in-process app, with the app and its fault plan."""

    client: _ClientT
    app: LocalApp
    faults: FaultPlan
    transport: LocalTransport

    def advance(self, seconds: float) -> None:
        """Move the app's manual clock forward and run the work that fell due."""
        clock = self.app.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("advance() needs the app to run on a ManualClock")
        clock.advance(seconds)
        self.app.run_due_work()


@contextmanager
def local_client(
    db: str = ":memory:",
    *,
    api_keys: Collection[str] | None = None,
    clock: Clock | None = None,
    merge_conflicts_default: bool = False,
    max_retries: int = 2,
    faults: FaultPlan | None = None,
    test_controls: bool = True,
) -> Iterator[LocalEnv[RecallrAI]]:
    """A `RecallrAI` client on a fresh local app (manual clock unless `clock` is given)."""
    from recallrai import RecallrAI

    app, transport = _app_and_transport(
        db, api_keys, clock, merge_conflicts_default, faults, test_controls
    )
    try:
        with httpx.Client(transport=transport) as http:
            client = RecallrAI(
                api_key=_key(api_keys),
                project_id=PROJECT_ID,
                base_url=BASE_URL,
                max_retries=max_retries,
                http_client=http,
            )
            yield LocalEnv(client, app, transport.faults, transport)
    finally:
        app.close()


@asynccontextmanager
async def async_local_client(
    db: str = ":memory:",
    *,
    api_keys: Collection[str] | None = None,
    clock: Clock | None = None,
    merge_conflicts_default: bool = False,
    max_retries: int = 2,
    faults: FaultPlan | None = None,
    test_controls: bool = True,
) -> AsyncIterator[LocalEnv[AsyncRecallrAI]]:
    """An `AsyncRecallrAI` client on a fresh local app (manual clock unless `clock` is given)."""
    from recallrai import AsyncRecallrAI

    app, transport = _app_and_transport(
        db, api_keys, clock, merge_conflicts_default, faults, test_controls
    )
    try:
        async with httpx.AsyncClient(transport=transport) as http:
            client = AsyncRecallrAI(
                api_key=_key(api_keys),
                project_id=PROJECT_ID,
                base_url=BASE_URL,
                max_retries=max_retries,
                http_client=http,
            )
            yield LocalEnv(client, app, transport.faults, transport)
    finally:
        app.close()


@contextmanager
def local_http_server(
    db: str = ":memory:",
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    api_keys: Collection[str] | None = None,
    clock: Clock | None = None,
    merge_conflicts_default: bool = False,
    faults: FaultPlan | None = None,
    test_controls: bool = True,
) -> Iterator[LocalServer]:
    """A started loopback `LocalServer` on a fresh app; its `url` is the base URL."""
    from ._app import LocalApp
    from ._http import LocalServer

    app = LocalApp(
        db, api_keys=api_keys, clock=clock, merge_conflicts_default=merge_conflicts_default
    )
    try:
        with LocalServer(app, host, port, faults, test_controls=test_controls) as server:
            yield server
    finally:
        app.close()


def _app_and_transport(
    db: str,
    api_keys: Collection[str] | None,
    clock: Clock | None,
    merge_conflicts_default: bool,
    faults: FaultPlan | None,
    test_controls: bool,
) -> tuple[LocalApp, LocalTransport]:
    from ._app import LocalApp

    app = LocalApp(
        db,
        api_keys=api_keys,
        clock=clock if clock is not None else ManualClock(),
        merge_conflicts_default=merge_conflicts_default,
    )
    return app, LocalTransport(app, faults, test_controls=test_controls)


def _key(api_keys: Collection[str] | None) -> str:
    """The test key, or the first configured key when keys are restricted."""
    if api_keys:
        return next(iter(api_keys))
    return API_KEY
