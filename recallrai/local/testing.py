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
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

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
    """A client wired to an in-process app, with the app and its fault plan.

    ``retry_delays`` lists, in order, every backoff the client chose between retries.
    Unless the helper was asked for ``real_sleep=True``, the client does not sleep for
    them: a manual clock moves forward by each delay instead, so a test with injected
    faults runs in milliseconds and can still assert the backoff.
    """

    client: _ClientT
    app: LocalApp
    faults: FaultPlan
    transport: LocalTransport
    retry_delays: list[float] = field(default_factory=list)

    def advance(self, seconds: float) -> None:
        """Move the app's manual clock forward and run the work that fell due."""
        clock = self.app.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("advance() needs the app to run on a ManualClock")
        clock.advance(seconds)
        self.app.run_due_work()

    def _backoff(self, delay: float) -> None:
        """Stand in for the client's sleep between retries: record, move the manual clock."""
        self.retry_delays.append(delay)
        clock = self.app.clock
        if isinstance(clock, ManualClock):
            clock.advance(delay)

    async def _async_backoff(self, delay: float) -> None:
        self._backoff(delay)

    def _skip_sleeping(self) -> None:
        """Route the client's retry sleeps to ``_backoff`` (its with_options twins too)."""
        api: Any = self.client._api  # type: ignore[attr-defined]
        is_async = type(self.client).__name__.startswith("Async")
        api.sleep = self._async_backoff if is_async else self._backoff


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
    real_sleep: bool = False,
) -> Iterator[LocalEnv[RecallrAI]]:
    """A `RecallrAI` client on a fresh local app (manual clock unless `clock` is given).

    Retries do not sleep unless ``real_sleep=True``: see `LocalEnv.retry_delays`.
    """
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
            env = LocalEnv(client, app, transport.faults, transport)
            if not real_sleep:
                env._skip_sleeping()
            yield env
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
    real_sleep: bool = False,
) -> AsyncIterator[LocalEnv[AsyncRecallrAI]]:
    """An `AsyncRecallrAI` client on a fresh local app (manual clock unless `clock` is given).

    Retries do not sleep unless ``real_sleep=True``: see `LocalEnv.retry_delays`.
    """
    with async_local_env(
        db,
        api_keys=api_keys,
        clock=clock,
        merge_conflicts_default=merge_conflicts_default,
        max_retries=max_retries,
        faults=faults,
        test_controls=test_controls,
        real_sleep=real_sleep,
    ) as (env, http):
        async with http:
            yield env


@contextmanager
def async_local_env(
    db: str = ":memory:",
    *,
    api_keys: Collection[str] | None = None,
    clock: Clock | None = None,
    merge_conflicts_default: bool = False,
    max_retries: int = 2,
    faults: FaultPlan | None = None,
    test_controls: bool = True,
    real_sleep: bool = False,
) -> Iterator[tuple[LocalEnv[AsyncRecallrAI], httpx.AsyncClient]]:
    """Like `async_local_client`, entered without an event loop (for sync fixtures).

    The caller closes the returned ``httpx.AsyncClient`` from the loop of its choice.
    """
    from recallrai import AsyncRecallrAI

    app, transport = _app_and_transport(
        db, api_keys, clock, merge_conflicts_default, faults, test_controls
    )
    try:
        http = httpx.AsyncClient(transport=transport)
        client = AsyncRecallrAI(
            api_key=_key(api_keys),
            project_id=PROJECT_ID,
            base_url=BASE_URL,
            max_retries=max_retries,
            http_client=http,
        )
        env = LocalEnv(client, app, transport.faults, transport)
        if not real_sleep:
            env._skip_sleeping()
        yield env, http
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
