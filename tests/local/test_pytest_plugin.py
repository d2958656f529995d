"""The fixtures SDK users get from ``recallrai.local.pytest_plugin``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from recallrai import AsyncRecallrAI, RecallrAI
from recallrai.exceptions import InternalServerError, UserNotFoundError
from recallrai.exceptions import ServerError as ServiceUnavailable
from recallrai.models import MergeConflictStatus, MessageRole, SessionStatus


def pending_conflicts_after_a_contradiction(client: RecallrAI) -> int:
    """Two sessions that contradict each other; how many conflicts wait for an answer."""
    user = client.create_user("mover")
    for text in ("I live in Berlin.", "I live in Paris now."):
        session = user.create_session()
        session.add_message(role=MessageRole.USER, content=text)
        session.process()
        deadline = time.monotonic() + 10
        while session.status in (SessionStatus.PENDING, SessionStatus.PROCESSING):
            assert time.monotonic() < deadline, "the session was not processed in time"
            time.sleep(0.01)
            session.refresh()
    return user.list_merge_conflicts(status=MergeConflictStatus.PENDING).total


def test_recallrai_local_gives_a_fresh_server_and_its_controls(recallrai_local: Any) -> None:
    client = recallrai_local.client
    assert isinstance(client, RecallrAI)
    with pytest.raises(UserNotFoundError):
        client.get_user("alice")
    client.create_user("alice")
    recallrai_local.faults.fail_next(1, 500)
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).get_user("alice")
    assert client.get_user("alice").user_id == "alice"


def test_each_test_gets_a_fresh_server(recallrai_local: Any) -> None:
    assert recallrai_local.client.list_users().total == 0


def test_recallrai_local_server_serves_http(recallrai_local_server: Any) -> None:
    with RecallrAI(
        api_key="rai_plugin", project_id="p", base_url=recallrai_local_server.url
    ) as client:
        assert client.create_user("bob").user_id == "bob"
        assert [u.user_id for u in client.list_users().users] == ["bob"]


@pytest.mark.recallrai(merge_conflicts_default=True, max_retries=0)
def test_the_marker_configures_the_fixture(recallrai_local: Any) -> None:
    assert pending_conflicts_after_a_contradiction(recallrai_local.client) == 1
    recallrai_local.faults.fail_next(1, 503)
    with pytest.raises(ServiceUnavailable):  # max_retries=0: the first failure surfaces
        recallrai_local.client.list_users()


def test_without_the_marker_merge_conflicts_are_off(recallrai_local: Any) -> None:
    assert pending_conflicts_after_a_contradiction(recallrai_local.client) == 0


def test_the_factory_makes_independent_configured_servers(recallrai_local_factory: Any) -> None:
    strict = recallrai_local_factory(api_keys=["rai_only_this"])
    open_ = recallrai_local_factory()
    strict.client.create_user("alice")
    assert open_.client.list_users().total == 0
    assert strict.client.list_users().total == 1
    assert strict.client._api.options.api_key == "rai_only_this"


def test_retries_do_not_sleep_but_record_the_backoff(recallrai_local: Any) -> None:
    recallrai_local.client.create_user("alice")
    before = recallrai_local.app.clock.now()
    recallrai_local.faults.fail_next(2, 503)
    started = time.perf_counter()
    assert recallrai_local.client.get_user("alice").user_id == "alice"
    elapsed = time.perf_counter() - started
    delays = recallrai_local.retry_delays
    assert len(delays) == 2 and 0 < delays[0] < delays[1]  # exponential backoff, as chosen
    moved = (recallrai_local.app.clock.now() - before).total_seconds()
    assert moved == pytest.approx(sum(delays))  # the manual clock took the waiting
    assert elapsed < sum(delays)  # and nobody actually slept through it


def test_retry_after_is_honoured_on_the_local_clock(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(1, 429, retry_after=7)
    assert recallrai_local.client.list_users().total == 0
    assert recallrai_local.retry_delays == [7.0]


@pytest.mark.recallrai(real_sleep=True, max_retries=1)
def test_real_sleep_opts_back_in(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(1, 429, retry_after=0.05)
    started = time.perf_counter()
    recallrai_local.client.list_users()
    assert time.perf_counter() - started >= 0.05
    assert recallrai_local.retry_delays == []


def test_the_async_fixture_serves_asyncio_run(recallrai_local_async: Any) -> None:
    async def scenario() -> list[str]:
        client = recallrai_local_async.client
        assert isinstance(client, AsyncRecallrAI)
        await client.create_user("carol")
        recallrai_local_async.faults.fail_next(1, 503)
        page = await client.list_users()
        return [u.user_id for u in page.users]

    assert asyncio.run(scenario()) == ["carol"]
    assert len(recallrai_local_async.retry_delays) == 1


@pytest.mark.anyio
@pytest.mark.recallrai(merge_conflicts_default=True)
async def test_the_async_fixture_serves_anyio_tests(recallrai_local_async: Any) -> None:
    user = await recallrai_local_async.client.create_user("dave")
    assert user.user_id == "dave"
    assert [u.user_id async for u in await recallrai_local_async.client.list_users()] == ["dave"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
