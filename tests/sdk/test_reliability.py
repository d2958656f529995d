"""Reliability of the transport: retries, no duplicate writes, timeouts, pools, env, secrets.

Every test runs for the sync and the async client from one body: the ``flavour``
fixture builds clients of either kind, drives their calls with ``flavour.run(...)`` on
one event loop per test, and swaps the clients' ``sleep`` for a recorder so that
backoff waits are checked, never slept.

Two kinds of wire: pytest-httpx (``httpx_mock``) for exact answer sequences, and real
loopback sockets (``recallrai.local.LocalServer`` with a ``FaultPlan``, plus a raw
socket server for a connection reset mid-response, and a closed port) for what only a
real connection shows: refused connections, resets, read timeouts, keep-alive reuse, and
a write that reached the server before its answer was lost being stored exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from flavours import Flavour

from recallrai import AsyncRecallrAI, RecallrAI, __version__
from recallrai import exceptions as exc
from recallrai.local._faults import FaultPlan
from recallrai.local._http import LocalServer
from recallrai.local._wire import LocalRequest, LocalResponse, json_response, not_found_page
from recallrai.models import MergeConflictAnswer, MergeConflictStatus

KEY = "rai_secret_9f8e7d6c5b4a"
PROJECT = "proj-rel"
BASE = "https://api.reliability.test"
API = BASE + "/api/v1"

USER_URL = f"{API}/users/u1"
USERS_URL = f"{API}/users"
MESSAGE_URL = f"{API}/users/u1/sessions/s1/add-message"
PROCESS_URL = f"{API}/users/u1/sessions/s1/process"
CONFLICT_URL = f"{API}/users/u1/merge-conflicts/c1"

USER = {
    "custom_user_id": "u1",
    "metadata": {},
    "merge_conflict_enabled": None,
    "created_at": "2025-01-01T00:00:00Z",
    "last_active_at": "2025-01-01T00:00:00Z",
}
SESSION = {
    "session_id": "s1",
    "status": "pending",
    "created_at": "2025-01-01T00:00:00Z",
    "metadata": {},
}
CONFLICT = {
    "id": "c1",
    "project_user_session_id": "s1",
    "conflicting_memories": [],
    "clarifying_questions": [{"question": "Where do you live?", "options": ["Berlin", "Paris"]}],
    "status": "PENDING",
    "created_at": "2025-01-01T00:00:00Z",
}
ANSWER = [MergeConflictAnswer(question="Where do you live?", answer="Paris")]

DEFAULT_TIMEOUT = {"connect": 5.0, "read": 60.0, "write": 60.0, "pool": 60.0}


# The harness ----------------------------------------------------------------------------


class RetryFlavour(Flavour):
    """Makes clients of one flavour whose retry waits are recorded instead of slept."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.waits: list[float] = []  # every backoff wait any client of this test asked for
        self._clients: list[Any] = []
        self._http_clients: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        """A client (API key, project, base URL filled in) whose retry waits are recorded."""
        kwargs.setdefault("api_key", KEY)
        kwargs.setdefault("project_id", PROJECT)
        kwargs.setdefault("base_url", BASE)
        client = (AsyncRecallrAI if self.is_async else RecallrAI)(**kwargs)
        self.record_waits(client)
        self._clients.append(client)
        return client

    def record_waits(self, client: Any) -> None:
        waits = self.waits
        if self.is_async:

            async def sleep(seconds: float) -> None:
                waits.append(seconds)

            client._api.sleep = sleep
        else:
            client._api.sleep = waits.append

    def http_client(self, **kwargs: Any) -> Any:
        http = (httpx.AsyncClient if self.is_async else httpx.Client)(**kwargs)
        self._http_clients.append(http)
        return http

    def enter_exit(self, client: Any) -> None:
        """Use ``client`` as a (async) context manager that does nothing inside."""
        if self.is_async:

            async def scoped() -> None:
                async with client as entered:
                    assert entered is client

            self.run(scoped())
        else:
            with client as entered:
                assert entered is client

    def finish(self) -> None:
        try:
            for closable in [*self._clients, *self._http_clients]:
                self.close(closable)
        finally:
            self.close_loop()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[RetryFlavour]:
    harness = RetryFlavour(request.param)
    yield harness
    harness.finish()


def user_of(f: RetryFlavour, client: Any, user_id: str = "u1") -> Any:
    return f.run(client.get_user(user_id, validate=False))


def session_of(f: RetryFlavour, client: Any, user_id: str = "u1", session_id: str = "s1") -> Any:
    return f.run(user_of(f, client, user_id).get_session(session_id, validate=False))


def methods(httpx_mock: Any) -> list[str]:
    return [f"{r.method} {r.url.path}" for r in httpx_mock.get_requests()]


def assert_backoff(waits: list[float], count: int) -> None:
    """``count`` waits of exponential backoff: 0.5 s doubling, capped at 8 s, jitter ≤ 25 % down."""
    assert len(waits) == count, waits
    for attempt, wait in enumerate(waits, start=1):
        base = min(0.5 * 2 ** (attempt - 1), 8.0)
        assert 0.75 * base <= wait <= base, (attempt, wait, waits)


# Rate limits and Retry-After ------------------------------------------------------------


def test_429_without_retry_after_backs_off_then_succeeds(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=429, json={"detail": "slow down"})
    httpx_mock.add_response(url=USER_URL, status_code=429, json={"detail": "slow down"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    user = flavour.run(client.get_user("u1"))

    assert user.user_id == "u1"
    assert len(httpx_mock.get_requests()) == 3
    assert_backoff(flavour.waits, 2)


def test_429_retry_after_seconds_is_honoured(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=429, headers={"Retry-After": "3"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(client.get_user("u1"))

    assert flavour.waits == [3.0]
    assert len(httpx_mock.get_requests()) == 2


def test_retry_after_http_date_and_milliseconds(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    httpx_mock.add_response(url=USER_URL, status_code=429, headers={"Retry-After": when})
    httpx_mock.add_response(url=USER_URL, status_code=503, headers={"retry-after-ms": "1500"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(client.get_user("u1"))

    date_wait, ms_wait = flavour.waits
    assert 27.0 <= date_wait <= 30.0  # the date has whole seconds; the clock moved on a bit
    assert ms_wait == 1.5


def test_unparseable_retry_after_falls_back_to_backoff(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=429, headers={"Retry-After": "soon"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(client.get_user("u1"))

    assert_backoff(flavour.waits, 1)


@pytest.mark.parametrize("retry_after", ["120", "60.5"])
def test_retry_after_beyond_60s_raises_at_once(
    flavour: RetryFlavour, httpx_mock: Any, retry_after: str
) -> None:
    client = flavour.client()
    httpx_mock.add_response(
        url=USER_URL, status_code=429, headers={"Retry-After": retry_after}, json={"detail": "x"}
    )

    with pytest.raises(exc.RateLimitError) as caught:
        flavour.run(client.get_user("u1"))

    assert caught.value.retry_after == float(retry_after)
    assert caught.value.http_status == 429
    assert len(httpx_mock.get_requests()) == 1
    assert flavour.waits == []


def test_retry_after_of_exactly_60s_is_waited(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=429, headers={"Retry-After": "60"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(client.get_user("u1"))

    assert flavour.waits == [60.0]


def test_exhausted_429_retries_raise_rate_limit_error_with_retry_after(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    for _ in range(3):
        httpx_mock.add_response(
            url=USER_URL,
            status_code=429,
            headers={"Retry-After": "2"},
            json={"detail": "Rate limit exceeded"},
        )

    with pytest.raises(exc.RateLimitError) as caught:
        flavour.run(client.get_user("u1"))

    assert caught.value.retry_after == 2.0
    assert len(httpx_mock.get_requests()) == 3  # max_retries (2) + 1
    assert flavour.waits == [2.0, 2.0]


def test_backoff_doubles_and_is_capped_at_8s(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client(max_retries=7)
    for _ in range(8):
        httpx_mock.add_response(url=USER_URL, status_code=503, json={"detail": "busy"})

    with pytest.raises(exc.InternalServerError):
        flavour.run(client.get_user("u1"))

    assert len(httpx_mock.get_requests()) == 8
    assert_backoff(flavour.waits, 7)  # 0.5, 1, 2, 4, 8, 8, 8 (each minus up to 25 %)
    assert max(flavour.waits) <= 8.0


# Server errors: idempotent calls are retried, writes are not repeated blindly -----------


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_on_get_is_retried_then_raised(
    flavour: RetryFlavour, httpx_mock: Any, status: int
) -> None:
    client = flavour.client()
    for _ in range(3):
        httpx_mock.add_response(url=USER_URL, status_code=status, json={"detail": "boom"})

    with pytest.raises(exc.InternalServerError) as caught:
        flavour.run(client.get_user("u1"))

    assert caught.value.http_status == status
    assert len(httpx_mock.get_requests()) == 3
    assert_backoff(flavour.waits, 2)


def test_408_on_get_is_retried_then_raised(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    for _ in range(3):
        httpx_mock.add_response(url=USER_URL, status_code=408, json={"detail": "Request Timeout"})

    with pytest.raises(exc.TimeoutError) as caught:
        flavour.run(client.get_user("u1"))

    assert caught.value.http_status == 408
    assert len(httpx_mock.get_requests()) == 3


@pytest.mark.parametrize("status", [500, 502, 503, 504, 408])
def test_transient_errors_then_success_on_get(
    flavour: RetryFlavour, httpx_mock: Any, status: int
) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=status, json={"detail": "transient"})
    httpx_mock.add_response(url=USER_URL, json=USER)

    assert flavour.run(client.get_user("u1")).user_id == "u1"
    assert len(httpx_mock.get_requests()) == 2


def test_put_and_delete_are_retried(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    user = user_of(flavour, client)
    httpx_mock.add_response(method="PUT", url=USER_URL, status_code=502)
    httpx_mock.add_response(method="PUT", url=USER_URL, json=USER)
    httpx_mock.add_response(method="DELETE", url=USER_URL, status_code=500)
    httpx_mock.add_response(method="DELETE", url=USER_URL, status_code=204)

    flavour.run(user.update(new_metadata={"a": 1}))
    flavour.run(user.delete())

    assert methods(httpx_mock) == ["PUT /api/v1/users/u1"] * 2 + ["DELETE /api/v1/users/u1"] * 2


@pytest.mark.parametrize("status", [500, 502, 504, 408])
def test_add_message_after_server_error_is_not_repeated(
    flavour: RetryFlavour, httpx_mock: Any, status: int
) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_response(url=MESSAGE_URL, status_code=status, json={"detail": "oops"})

    with pytest.raises(exc.RecallrAIError) as caught:
        flavour.run(session.add_message("user", "I live in Berlin"))

    assert caught.value.http_status == status
    assert len(httpx_mock.get_requests()) == 1
    assert flavour.waits == []


@pytest.mark.parametrize("status", [503, 429])
def test_add_message_after_503_or_429_is_retried(
    flavour: RetryFlavour, httpx_mock: Any, status: int
) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_response(url=MESSAGE_URL, status_code=status, json={"detail": "later"})
    httpx_mock.add_response(url=MESSAGE_URL, status_code=status, json={"detail": "later"})
    httpx_mock.add_response(url=MESSAGE_URL, json={"status": "ok"})

    flavour.run(session.add_message("user", "I live in Berlin"))

    requests = httpx_mock.get_requests()
    assert len(requests) == 3
    assert {r.content for r in requests} == {requests[0].content}  # the same message each time
    assert_backoff(flavour.waits, 2)


def test_create_session_after_500_is_not_repeated(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    user = user_of(flavour, client)
    httpx_mock.add_response(url=f"{USER_URL}/sessions", status_code=500, json={"detail": "x"})

    with pytest.raises(exc.InternalServerError):
        flavour.run(user.create_session())

    assert len(httpx_mock.get_requests()) == 1


# Transport failures ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError("refused"), httpx.ConnectTimeout("connect timed out")]
)
def test_post_that_never_left_is_retried(
    flavour: RetryFlavour, httpx_mock: Any, failure: Exception
) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_exception(failure, url=MESSAGE_URL)
    httpx_mock.add_response(url=MESSAGE_URL, json={"status": "ok"})

    flavour.run(session.add_message("user", "hello"))

    assert len(httpx_mock.get_requests()) == 2
    assert_backoff(flavour.waits, 1)


def test_connect_error_exhausted_raises_connection_error(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    for _ in range(3):
        httpx_mock.add_exception(httpx.ConnectError("All connection attempts failed"))

    with pytest.raises(exc.ConnectionError) as caught:
        flavour.run(client.create_user("u1"))

    assert isinstance(caught.value, ConnectionError)  # the built-in, too
    assert caught.value.http_status is None
    assert len(httpx_mock.get_requests()) == 3


def test_read_timeout_on_add_message_is_not_repeated(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=MESSAGE_URL)

    with pytest.raises(exc.TimeoutError) as caught:
        flavour.run(session.add_message("user", "hello"))

    assert isinstance(caught.value, TimeoutError)  # the built-in, too
    assert isinstance(caught.value, exc.NetworkError)
    assert len(httpx_mock.get_requests()) == 1
    assert flavour.waits == []


@pytest.mark.parametrize(
    "failure", [httpx.ReadError("reset"), httpx.RemoteProtocolError("disconnected")]
)
def test_broken_connection_after_sending_add_message_is_not_repeated(
    flavour: RetryFlavour, httpx_mock: Any, failure: Exception
) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_exception(failure, url=MESSAGE_URL)

    with pytest.raises(exc.ConnectionError):
        flavour.run(session.add_message("user", "hello"))

    assert len(httpx_mock.get_requests()) == 1


def test_read_timeout_on_get_is_retried(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=USER_URL)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=USER_URL)
    httpx_mock.add_response(url=USER_URL, json=USER)

    assert flavour.run(client.get_user("u1")).user_id == "u1"
    assert len(httpx_mock.get_requests()) == 3


def test_401_is_not_retried(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=401, json={"detail": "Invalid API key"})

    with pytest.raises(exc.AuthenticationError) as caught:
        flavour.run(client.get_user("u1"))

    assert caught.value.http_status == 401
    assert len(httpx_mock.get_requests()) == 1
    assert flavour.waits == []


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_client_errors_are_not_retried(flavour: RetryFlavour, httpx_mock: Any, status: int) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=status, json={"detail": "no"})

    with pytest.raises(exc.RecallrAIError):
        flavour.run(client.get_user("u1"))

    assert len(httpx_mock.get_requests()) == 1


# A repeat that finds the first attempt done is a success, not a false error -------------


def test_create_user_timed_out_then_409_returns_the_user(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), method="POST", url=USERS_URL)
    httpx_mock.add_response(
        method="POST", url=USERS_URL, status_code=409, json={"detail": "User u1 already exists"}
    )
    httpx_mock.add_response(method="GET", url=USER_URL, json=USER)

    user = flavour.run(client.create_user("u1"))

    assert user.user_id == "u1"
    assert methods(httpx_mock) == [
        "POST /api/v1/users",
        "POST /api/v1/users",
        "GET /api/v1/users/u1",
    ]


def test_create_user_500_then_409_returns_the_user(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_response(method="POST", url=USERS_URL, status_code=500)
    httpx_mock.add_response(method="POST", url=USERS_URL, status_code=409, json={"detail": "x"})
    httpx_mock.add_response(method="GET", url=USER_URL, json=USER)

    assert flavour.run(client.create_user("u1")).user_id == "u1"


def test_create_user_409_at_first_is_an_error(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_response(
        method="POST", url=USERS_URL, status_code=409, json={"detail": "User u1 already exists"}
    )

    with pytest.raises(exc.UserAlreadyExistsError):
        flavour.run(client.create_user("u1"))

    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize("first", [503, 429, "connect"])
def test_create_user_409_after_an_attempt_not_acted_on_is_an_error(
    flavour: RetryFlavour, httpx_mock: Any, first: int | str
) -> None:
    """A 503/429 or a refused connection means the first attempt made nothing: 409 is real."""
    client = flavour.client()
    if first == "connect":
        httpx_mock.add_exception(httpx.ConnectError("refused"), method="POST", url=USERS_URL)
    else:
        httpx_mock.add_response(method="POST", url=USERS_URL, status_code=int(first))
    httpx_mock.add_response(
        method="POST", url=USERS_URL, status_code=409, json={"detail": "User u1 already exists"}
    )

    with pytest.raises(exc.UserAlreadyExistsError):
        flavour.run(client.create_user("u1"))

    assert len(httpx_mock.get_requests()) == 2


def test_process_timed_out_then_400_is_success(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=PROCESS_URL)
    httpx_mock.add_response(
        url=PROCESS_URL, status_code=400, json={"detail": "Session is already processing"}
    )

    flavour.run(session.process())

    assert len(httpx_mock.get_requests()) == 2


def test_process_400_at_first_is_an_error(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    session = session_of(flavour, client)
    httpx_mock.add_response(
        url=PROCESS_URL, status_code=400, json={"detail": "Session is already processed"}
    )

    with pytest.raises(exc.InvalidSessionStateError):
        flavour.run(session.process())


def _conflict(flavour: RetryFlavour, client: Any, httpx_mock: Any) -> Any:
    httpx_mock.add_response(method="GET", url=CONFLICT_URL, json=CONFLICT)
    return flavour.run(user_of(flavour, client).get_merge_conflict("c1"))


def test_resolve_timed_out_then_already_resolved_is_success(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    conflict = _conflict(flavour, client, httpx_mock)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=CONFLICT_URL + "/resolve")
    httpx_mock.add_response(
        url=CONFLICT_URL + "/resolve",
        status_code=400,
        json={"detail": "Merge conflict already resolved"},
    )
    httpx_mock.add_response(method="GET", url=CONFLICT_URL, json={**CONFLICT, "status": "RESOLVED"})

    flavour.run(conflict.resolve(ANSWER))

    assert conflict.status is MergeConflictStatus.RESOLVED  # refreshed from the server
    assert [r.method for r in httpx_mock.get_requests()] == ["GET", "POST", "POST", "GET"]


def test_resolve_timed_out_then_invalid_answer_is_still_an_error(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    """Only "already resolved" shows the first attempt won; an invalid answer is the caller's."""
    client = flavour.client()
    conflict = _conflict(flavour, client, httpx_mock)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=CONFLICT_URL + "/resolve")
    httpx_mock.add_response(
        url=CONFLICT_URL + "/resolve",
        status_code=400,
        json={"detail": "Invalid answer 'Rome' for question 'Where do you live?'"},
    )

    with pytest.raises(exc.MergeConflictInvalidAnswerError):
        flavour.run(conflict.resolve(ANSWER))

    assert conflict.status is MergeConflictStatus.PENDING


def test_delete_timed_out_then_404_is_success(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    user = user_of(flavour, client)
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), method="DELETE", url=USER_URL)
    httpx_mock.add_response(
        method="DELETE", url=USER_URL, status_code=404, json={"detail": "User u1 not found"}
    )

    flavour.run(user.delete())

    assert len(httpx_mock.get_requests()) == 2


def test_delete_404_at_first_is_an_error(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    user = user_of(flavour, client)
    httpx_mock.add_response(
        method="DELETE", url=USER_URL, status_code=404, json={"detail": "User u1 not found"}
    )

    with pytest.raises(exc.UserNotFoundError):
        flavour.run(user.delete())


# Configuration: max_retries, timeout, with_options ---------------------------------------


def test_with_options_max_retries_0_makes_one_attempt(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    client = flavour.client()
    httpx_mock.add_response(url=USER_URL, status_code=503, json={"detail": "busy"})

    with pytest.raises(exc.InternalServerError):
        flavour.run(client.with_options(max_retries=0).get_user("u1"))

    assert len(httpx_mock.get_requests()) == 1
    assert flavour.waits == []

    # The original client still retries twice.
    httpx_mock.add_response(url=USER_URL, status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(url=USER_URL, status_code=503, json={"detail": "busy"})
    httpx_mock.add_response(url=USER_URL, json=USER)
    assert flavour.run(client.get_user("u1")).user_id == "u1"
    assert len(httpx_mock.get_requests()) == 4


def test_max_retries_on_the_client(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client(max_retries=4)
    for _ in range(5):
        httpx_mock.add_response(url=USER_URL, status_code=502)

    with pytest.raises(exc.InternalServerError):
        flavour.run(client.get_user("u1"))

    assert len(httpx_mock.get_requests()) == 5
    assert_backoff(flavour.waits, 4)


def test_timeout_reaches_the_request(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    for _ in range(5):
        httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(client.get_user("u1"))
    flavour.run(client.with_options(timeout=2.5).get_user("u1"))
    flavour.run(client.with_options(timeout=httpx.Timeout(30.0, connect=1.0)).get_user("u1"))
    flavour.run(client.with_options(timeout=12).get_user("u1"))
    flavour.run(client.get_user("u1"))

    seen = [r.extensions["timeout"] for r in httpx_mock.get_requests()]
    assert seen == [
        DEFAULT_TIMEOUT,  # 60 s, with a separate short connect timeout
        {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5},
        {"connect": 1.0, "read": 30.0, "write": 30.0, "pool": 30.0},
        {"connect": 5.0, "read": 12.0, "write": 12.0, "pool": 12.0},
        DEFAULT_TIMEOUT,  # the original client is unchanged
    ]


def test_client_timeout_argument(flavour: RetryFlavour, httpx_mock: Any) -> None:
    httpx_mock.add_response(url=USER_URL, json=USER)
    httpx_mock.add_response(url=USER_URL, json=USER)

    flavour.run(flavour.client(timeout=20).get_user("u1"))
    flavour.run(flavour.client(timeout=httpx.Timeout(3.0)).get_user("u1"))

    first, second = (r.extensions["timeout"] for r in httpx_mock.get_requests())
    assert first == {"connect": 5.0, "read": 20.0, "write": 20.0, "pool": 20.0}
    assert second == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}


def test_with_options_shares_the_pool_and_leaves_the_original(flavour: RetryFlavour) -> None:
    client = flavour.client(max_retries=3, timeout=9)
    child = client.with_options(max_retries=0, timeout=1)

    assert child._api.http is client._api.http
    assert (client._api.options.max_retries, client._api.options.timeout.read) == (3, 9.0)
    assert (child._api.options.max_retries, child._api.options.timeout.read) == (0, 1.0)
    assert child.with_options()._api.options == child._api.options

    flavour.close(child)  # closing a derived client leaves the shared pool open
    assert not client._api.http.is_closed


@pytest.mark.parametrize(
    "kwargs", [{"max_retries": -1}, {"max_retries": 1.5}, {"timeout": 0}, {"timeout": "10"}]
)
def test_bad_settings_are_rejected(flavour: RetryFlavour, kwargs: dict[str, Any]) -> None:
    with pytest.raises(exc.ValidationError):
        flavour.client(**kwargs)
    with pytest.raises(exc.ValidationError):
        flavour.client().with_options(**kwargs)


# Connections: one pool, closing, your own httpx client -----------------------------------


def test_close_and_context_manager_close_the_owned_pool(flavour: RetryFlavour) -> None:
    closed = flavour.client()
    flavour.close(closed)
    assert closed._api.http.is_closed

    scoped = flavour.client()
    flavour.enter_exit(scoped)
    assert scoped._api.http.is_closed


def test_own_http_client_keeps_auth_base_url_and_retries(
    flavour: RetryFlavour, httpx_mock: Any
) -> None:
    http = flavour.http_client(headers={"X-Mine": "1"}, base_url="https://elsewhere.test")
    client = flavour.client(http_client=http)
    assert client._api.http is http
    httpx_mock.add_response(url=USER_URL, status_code=503)
    httpx_mock.add_response(url=USER_URL, json=USER)

    assert flavour.run(client.get_user("u1")).user_id == "u1"

    _, second = httpx_mock.get_requests()
    assert str(second.url) == USER_URL
    assert second.headers["X-Recallr-Api-Key"] == KEY
    assert second.headers["X-Recallr-Project-Id"] == PROJECT
    assert second.headers["User-Agent"].startswith(f"recallrai-python/{__version__}")
    assert second.headers["X-Mine"] == "1"  # the user's own defaults still apply

    flavour.close(client)
    flavour.enter_exit(client)
    assert not http.is_closed  # the SDK never closes a client it did not make


def test_http_client_of_the_wrong_kind_is_rejected(flavour: RetryFlavour) -> None:
    wrong = httpx.Client() if flavour.is_async else httpx.AsyncClient()
    with pytest.raises(exc.ValidationError, match="http_client"):
        flavour.client(http_client=wrong)
    if isinstance(wrong, httpx.Client):
        wrong.close()
    else:
        asyncio.run(wrong.aclose())


def test_user_agent_names_the_sdk_and_version(flavour: RetryFlavour, httpx_mock: Any) -> None:
    httpx_mock.add_response(url=USER_URL, json=USER)
    flavour.run(flavour.client().get_user("u1"))
    agent = httpx_mock.get_requests()[0].headers["User-Agent"]
    assert agent.startswith(f"recallrai-python/{__version__}")


# Environment ------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("RECALLRAI_API_KEY", "RECALLRAI_PROJECT_ID", "RECALLRAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_settings_come_from_the_environment(
    flavour: RetryFlavour, httpx_mock: Any, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("RECALLRAI_API_KEY", KEY)
    clean_env.setenv("RECALLRAI_PROJECT_ID", "env-project")
    clean_env.setenv("RECALLRAI_BASE_URL", "http://env.test:8080/")
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    client = cls()
    flavour.record_waits(client)
    flavour._clients.append(client)
    httpx_mock.add_response(url="http://env.test:8080/api/v1/users/u1", json=USER)

    flavour.run(client.get_user("u1"))

    assert client.base_url == "http://env.test:8080"
    assert client.project_id == "env-project"
    sent = httpx_mock.get_requests()[0]
    assert sent.headers["X-Recallr-Api-Key"] == KEY
    assert sent.headers["X-Recallr-Project-Id"] == "env-project"


def test_arguments_beat_the_environment(
    flavour: RetryFlavour, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("RECALLRAI_API_KEY", "rai_from_env")
    clean_env.setenv("RECALLRAI_PROJECT_ID", "env-project")
    clean_env.setenv("RECALLRAI_BASE_URL", "http://env.test")
    client = flavour.client(api_key=KEY, project_id="arg-project", base_url="http://arg.test")
    assert (client.project_id, client.base_url) == ("arg-project", "http://arg.test")
    assert client._api.options.headers["X-Recallr-Api-Key"] == KEY


def test_missing_key_and_project_name_both_ways(
    flavour: RetryFlavour, clean_env: pytest.MonkeyPatch
) -> None:
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    with pytest.raises(exc.ValidationError) as no_key:
        cls()
    assert "api_key" in str(no_key.value) and "RECALLRAI_API_KEY" in str(no_key.value)

    clean_env.setenv("RECALLRAI_API_KEY", KEY)
    with pytest.raises(exc.ValidationError) as no_project:
        cls()
    text = str(no_project.value)
    assert "project_id" in text and "RECALLRAI_PROJECT_ID" in text
    assert KEY not in text

    with pytest.raises(exc.ValidationError) as no_key_either:
        cls(project_id="p", api_key="")
    assert "RECALLRAI_API_KEY" in str(no_key_either.value)


def test_default_base_url(flavour: RetryFlavour, clean_env: pytest.MonkeyPatch) -> None:
    client = flavour.client(base_url=None)
    assert client.base_url == "https://api.recallrai.com"


# Secrets and logging -----------------------------------------------------------------------


def _texts_of_error(error: BaseException) -> list[str]:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    if error.__cause__ is not None:
        texts += [str(error.__cause__), repr(error.__cause__)]
    return texts


def test_api_key_never_shows(
    flavour: RetryFlavour, httpx_mock: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, httpx and httpcore included
    client = flavour.client()
    child = client.with_options(max_retries=1, timeout=3)
    texts = [repr(client), str(client), repr(child), repr(client._api.options)]
    texts += [str(client._api.options), repr(client._api), repr(client._api.http)]

    httpx_mock.add_response(method="POST", url=USERS_URL, status_code=201, json=USER)
    httpx_mock.add_response(method="POST", url=f"{USER_URL}/sessions", json=SESSION)
    httpx_mock.add_response(
        method="GET", url=f"{USERS_URL}?offset=0&limit=10", json={"users": [USER], "total": 1}
    )
    httpx_mock.add_response(method="GET", url=CONFLICT_URL, json=CONFLICT)
    user = flavour.run(client.create_user("u1"))
    session = flavour.run(user.create_session())
    page = flavour.run(client.list_users())
    conflict = flavour.run(user.get_merge_conflict("c1"))
    for obj in (user, session, page, conflict, *page.data):
        texts += [repr(obj), str(obj)]

    failures: list[Callable[[], Any]] = []
    httpx_mock.add_response(url=USER_URL, status_code=401, json={"detail": "Invalid API key"})
    failures.append(lambda: client.get_user("u1"))
    for _ in range(2):
        httpx_mock.add_response(url=USER_URL, status_code=429, headers={"Retry-After": "1"})
    failures.append(lambda: child.get_user("u1"))
    httpx_mock.add_response(url=MESSAGE_URL, status_code=500, text="<html>500</html>")
    failures.append(lambda: session.add_message("user", "hi"))
    httpx_mock.add_exception(httpx.ReadTimeout("timed out"), url=MESSAGE_URL)
    failures.append(lambda: session.add_message("user", "hi"))
    for _ in range(2):
        httpx_mock.add_exception(httpx.ConnectError("refused"), url=USER_URL)
    failures.append(lambda: child.get_user("u1"))
    httpx_mock.add_response(url=USER_URL, status_code=422, json={"detail": [{"msg": "bad"}]})
    failures.append(lambda: client.get_user("u1"))
    failures.append(lambda: client.with_options(max_retries=-1))

    errors = []
    for failure in failures:
        with pytest.raises(exc.RecallrAIError) as caught:
            flavour.run(failure())
        errors.append(caught.value)
    for error in errors:
        texts += _texts_of_error(error)

    assert len(errors) == 7
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /api/v1/users/u1 -> 429 (attempt 2" in logged  # logging did happen
    assert "ConnectError (attempt 1" in logged
    for text in [*texts, logged]:
        assert KEY not in text, text
        assert KEY[4:] not in text, text


_LOG_SCRIPT = """
import httpx, recallrai
def answer(request):
    return httpx.Response(200, json={"custom_user_id": "u1", "metadata": {}})
http = httpx.Client(transport=httpx.MockTransport(answer))
client = recallrai.RecallrAI(
    api_key=%r, project_id="p", base_url="http://logs.test", http_client=http
)
client.get_user("u1")
"""


@pytest.mark.parametrize("level", ["debug", ""])
def test_recallrai_log_env_switches_output(level: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECALLRAI_")}
    if level:
        env["RECALLRAI_LOG"] = level
    done = subprocess.run(
        [sys.executable, "-c", _LOG_SCRIPT % KEY],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    if level:
        assert "GET /api/v1/users/u1 -> 200 (attempt 1" in done.stderr
        assert " ms)" in done.stderr
    else:
        assert done.stderr == ""
    assert KEY not in done.stderr + done.stdout


# Real sockets ----------------------------------------------------------------------------


class MiniApp:
    """Just enough of the API for transport tests, over the real ``LocalServer`` door.

    Users, sessions and messages in memory; any other route gets the gateway's plain
    ``404 page not found``. (The full ``LocalApp`` is not needed to test the transport.)
    """

    clock = None

    def __init__(self) -> None:
        self.users: set[str] = set()
        self.messages: dict[str, list[dict[str, str]]] = {}
        self._lock = threading.Lock()

    def run_due_work(self) -> None:
        return None

    def handle(self, request: LocalRequest) -> LocalResponse:
        parts = request.path.split("/")[1:]
        if parts[:3] != ["api", "v1", "users"]:
            return not_found_page()
        rest, method = parts[3:], request.method
        with self._lock:
            if method == "POST" and not rest:
                user_id = json.loads(request.body)["custom_user_id"]
                if user_id in self.users:
                    return json_response(409, {"detail": f"User {user_id} already exists"})
                self.users.add(user_id)
                return json_response(201, {**USER, "custom_user_id": user_id})
            if not rest or rest[0] not in self.users:
                return json_response(404, {"detail": f"User {rest[:1]} not found"})
            if method == "GET" and len(rest) == 1:
                return json_response(200, {**USER, "custom_user_id": rest[0]})
            if method == "POST" and rest[1:] == ["sessions"]:
                session_id = f"s{sum(len(m) for m in self.messages.values()) + 1}"
                self.messages.setdefault(f"{rest[0]}/{session_id}", [])
                return json_response(201, {**SESSION, "session_id": session_id})
            key = "/".join(rest[:1] + rest[2:3])
            if len(rest) == 4 and rest[1] == "sessions" and key in self.messages:
                if method == "POST" and rest[3] == "add-message":
                    body = json.loads(request.body)
                    self.messages[key].append({"role": body["role"], "content": body["message"]})
                    return json_response(200, {"status": "ok"})
                if method == "GET" and rest[3] == "messages":
                    stored = self.messages[key]
                    return json_response(
                        200, {"messages": stored, "total": len(stored), "has_more": False}
                    )
            return not_found_page()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer(MiniApp(), faults=FaultPlan()) as running:
        yield running


def _served(f: RetryFlavour, server: LocalServer, **kwargs: Any) -> tuple[Any, Any]:
    """A client of ``server`` with user u1 and session s1 in place, and that session."""
    client = f.client(base_url=server.url, **kwargs)
    user = f.run(client.create_user("u1"))
    session = f.run(user.create_session())
    assert session.session_id == "s1"
    server.faults.reset()  # count only what the test does
    return client, session


def _stored(f: RetryFlavour, session: Any) -> list[str]:
    page = f.run(session.get_messages())
    return [m.content for m in page.data]


def _wait_for(predicate: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for the server"
        time.sleep(0.005)


MESSAGE_PATH = "/api/v1/users/u1/sessions/s1/add-message"


def test_connection_refused_raises_connection_error_after_retries(flavour: RetryFlavour) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago, now closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = flavour.client(base_url=f"http://127.0.0.1:{port}")
    session = session_of(flavour, client)

    with pytest.raises(exc.ConnectionError):
        flavour.run(client.get_user("u1"))
    assert_backoff(flavour.waits, 2)

    flavour.waits.clear()
    with pytest.raises(exc.ConnectionError):  # never sent, so even a message is retried
        flavour.run(session.add_message("user", "hi"))
    assert_backoff(flavour.waits, 2)


def test_add_message_503_is_retried_and_stored_once(
    flavour: RetryFlavour, server: LocalServer
) -> None:
    _, session = _served(flavour, server)
    server.faults.fail_next(1, 503, match="add-message")

    flavour.run(session.add_message("user", "I live in Berlin"))

    assert server.faults.count("POST", MESSAGE_PATH) == 2
    assert server.faults.handled_count("POST", MESSAGE_PATH) == 1
    assert _stored(flavour, session) == ["I live in Berlin"]
    assert_backoff(flavour.waits, 1)


def test_429_retry_after_on_a_real_socket(flavour: RetryFlavour, server: LocalServer) -> None:
    client, _ = _served(flavour, server)
    server.faults.fail_next(2, 429, retry_after=1.5, match="GET /api/v1/users/u1")

    assert flavour.run(client.get_user("u1")).user_id == "u1"

    assert flavour.waits == [1.5, 1.5]
    assert server.faults.count("GET", "/api/v1/users/u1") == 3


def test_add_message_answer_lost_after_handling_is_stored_once(
    flavour: RetryFlavour, server: LocalServer
) -> None:
    _, session = _served(flavour, server)
    server.faults.drop_next(1, after_handling=True, match="add-message")

    with pytest.raises(exc.ConnectionError):
        flavour.run(session.add_message("user", "I live in Berlin"))

    assert server.faults.count("POST", MESSAGE_PATH) == 1
    assert _stored(flavour, session) == ["I live in Berlin"]
    assert flavour.waits == []


def test_add_message_timed_out_after_reaching_server_is_stored_once(
    flavour: RetryFlavour, server: LocalServer
) -> None:
    client, session = _served(flavour, server)
    server.faults.set_latency(0.15, match="add-message")
    hasty = session_of(flavour, client.with_options(timeout=0.03))

    with pytest.raises(exc.TimeoutError):
        flavour.run(hasty.add_message("user", "I live in Berlin"))

    _wait_for(lambda: server.faults.handled_count("POST", MESSAGE_PATH) == 1)
    assert server.faults.count("POST", MESSAGE_PATH) == 1
    assert _stored(flavour, session) == ["I live in Berlin"]


def test_read_timeout_on_get_retries_then_raises(
    flavour: RetryFlavour, server: LocalServer
) -> None:
    client, _ = _served(flavour, server)
    server.faults.set_latency(0.1, match="GET /api/v1/users/u1")
    hasty = client.with_options(timeout=0.03, max_retries=1)

    with pytest.raises(exc.TimeoutError):
        flavour.run(hasty.get_user("u1"))

    assert server.faults.count("GET", "/api/v1/users/u1") == 2
    assert_backoff(flavour.waits, 1)


def test_dropped_connection_on_get_is_retried(flavour: RetryFlavour, server: LocalServer) -> None:
    client, _ = _served(flavour, server)
    server.faults.drop_next(2, match="GET /api/v1/users/u1")

    assert flavour.run(client.get_user("u1")).user_id == "u1"
    assert server.faults.count("GET", "/api/v1/users/u1") == 3


def test_html_502_page_is_a_clear_error(flavour: RetryFlavour, server: LocalServer) -> None:
    client, session = _served(flavour, server)
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    server.faults.fail_next(3, 502, body=page)

    with pytest.raises(exc.InternalServerError) as caught:
        flavour.run(client.get_user("u1"))
    assert caught.value.http_status == 502
    assert "502 Bad Gateway" in str(caught.value)
    assert server.faults.count("GET", "/api/v1/users/u1") == 3

    server.faults.fail_next(1, 502, body=page)
    with pytest.raises(exc.InternalServerError):
        flavour.run(session.add_message("user", "hi"))
    assert server.faults.count("POST", MESSAGE_PATH) == 1  # a write is not repeated
    assert _stored(flavour, session) == []


def test_gateway_404_page_says_check_base_url(flavour: RetryFlavour, server: LocalServer) -> None:
    client = flavour.client(base_url=server.url + "/wrong-prefix")

    with pytest.raises(exc.RecallrAIError) as caught:
        flavour.run(client.get_user("u1"))

    assert type(caught.value) is exc.RecallrAIError  # not UserNotFoundError
    assert caught.value.http_status == 404
    assert "404 page not found" in str(caught.value)
    assert "base_url" in str(caught.value)
    assert server.faults.count() == 1


def test_keep_alive_reuses_one_connection(flavour: RetryFlavour, server: LocalServer) -> None:
    client, session = _served(flavour, server)
    accepted = server.connections_accepted

    for index in range(20):
        flavour.run(client.get_user("u1"))
        flavour.run(session.add_message("user", f"message {index}"))

    assert server.connections_accepted == accepted == 1
    assert len(_stored(flavour, session)) == 20


def test_own_http_client_on_a_real_socket_is_left_open(
    flavour: RetryFlavour, server: LocalServer
) -> None:
    http = flavour.http_client()
    client, _ = _served(flavour, server, http_client=http)
    server.faults.fail_next(1, 503, match="GET /api/v1/users/u1")

    flavour.run(client.get_user("u1"))
    flavour.enter_exit(client)

    assert not http.is_closed
    assert server.faults.count("GET", "/api/v1/users/u1") == 2


class RawServer:
    """A socket server that answers each request with fixed bytes, then resets the connection."""

    def __init__(self, reply: bytes) -> None:
        self.reply = reply
        self.requests = 0
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                while len(body) < length:
                    body += conn.recv(65536)
                self.requests += 1
                conn.sendall(self.reply)
                # SO_LINGER 0: close with a TCP RST, as a crashed proxy would.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(timeout=5)


@pytest.fixture
def resetting_server() -> Iterator[RawServer]:
    partial = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n"
        b'{"custom_user_id": "u1", "meta'
    )
    raw = RawServer(partial)
    yield raw
    raw.close()


def test_reset_mid_response(flavour: RetryFlavour, resetting_server: RawServer) -> None:
    client = flavour.client(base_url=resetting_server.url)

    with pytest.raises(exc.ConnectionError):
        flavour.run(client.get_user("u1"))
    assert resetting_server.requests == 3  # a read is retried
    assert_backoff(flavour.waits, 2)

    with pytest.raises(exc.ConnectionError):
        flavour.run(session_of(flavour, client).add_message("user", "hi"))
    assert resetting_server.requests == 4  # a write that was sent is not


# The same guarantees end to end, against the real local app -------------------------------


@pytest.fixture
def local_server() -> Iterator[LocalServer]:
    from recallrai.local.testing import local_http_server

    with local_http_server(faults=FaultPlan()) as running:
        yield running


def test_real_app_create_user_answer_lost_then_409_returns_the_user(
    flavour: RetryFlavour, local_server: LocalServer
) -> None:
    client = flavour.client(base_url=local_server.url)
    local_server.faults.drop_next(1, after_handling=True, match="POST /api/v1/users")

    user = flavour.run(client.create_user("alice", metadata={"plan": "pro"}))

    assert user.user_id == "alice"
    assert user.metadata == {"plan": "pro"}  # read back from the server, not made up
    assert local_server.faults.count("POST", "/api/v1/users") == 2
    assert local_server.faults.handled_count("POST", "/api/v1/users") == 2
    assert local_server.faults.count("GET", "/api/v1/users/alice") == 1
    page = flavour.run(client.list_users())
    assert [u.user_id for u in page.data] == ["alice"]


def test_real_app_messages_are_stored_exactly_once(
    flavour: RetryFlavour, local_server: LocalServer
) -> None:
    client = flavour.client(base_url=local_server.url)
    user = flavour.run(client.create_user("bob"))
    session = flavour.run(user.create_session())
    faults = local_server.faults

    faults.fail_next(1, 503, match="add-message")  # not acted on: retried
    flavour.run(session.add_message("user", "one"))
    faults.drop_next(1, after_handling=True, match="add-message")  # acted on: not repeated
    with pytest.raises(exc.ConnectionError):
        flavour.run(session.add_message("user", "two"))
    faults.fail_next(1, 500, match="add-message")  # may have acted: not repeated
    with pytest.raises(exc.InternalServerError):
        flavour.run(session.add_message("user", "three"))
    flavour.run(session.add_message("assistant", "four"))

    page = flavour.run(session.get_messages())
    assert [m.content for m in page.data] == ["one", "two", "four"]


def test_real_app_process_answer_lost_then_repeat_is_success(
    flavour: RetryFlavour, local_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="recallrai")
    client = flavour.client(base_url=local_server.url)
    user = flavour.run(client.create_user("carol"))
    session = flavour.run(user.create_session())
    flavour.run(session.add_message("user", "I live in Berlin"))
    local_server.faults.drop_next(1, after_handling=True, match="/process")

    flavour.run(session.process())

    path = f"/api/v1/users/carol/sessions/{session.session_id}/process"
    assert local_server.faults.handled_count("POST", path) == 2
    assert f"POST {path} -> 400 (attempt 2" in caplog.text  # "already processing": success


def test_real_app_unknown_route_is_a_clear_404(
    flavour: RetryFlavour, local_server: LocalServer
) -> None:
    client = flavour.client(base_url=local_server.url + "/v2")

    with pytest.raises(exc.RecallrAIError) as caught:
        flavour.run(client.get_user("dave"))

    assert type(caught.value) is exc.RecallrAIError
    assert caught.value.http_status == 404
    assert "base_url" in str(caught.value)


def test_rename_that_timed_out_is_not_repeated(flavour: RetryFlavour, httpx_mock: Any) -> None:
    """A repeat would hit the old id after the rename went through, and fail falsely."""
    client = flavour.client()
    httpx_mock.add_exception(httpx.ReadTimeout("lost"), url=USER_URL, method="PUT")

    with pytest.raises(exc.TimeoutError):
        flavour.run(user_of(flavour, client).update(new_user_id="u2"))

    assert len(httpx_mock.get_requests()) == 1


def test_metadata_update_that_timed_out_is_repeated(flavour: RetryFlavour, httpx_mock: Any) -> None:
    client = flavour.client()
    httpx_mock.add_exception(httpx.ReadTimeout("lost"), url=USER_URL, method="PUT")
    httpx_mock.add_response(url=USER_URL, method="PUT", json={**USER, "metadata": {"a": 1}})

    user = user_of(flavour, client)
    flavour.run(user.update(new_metadata={"a": 1}))

    assert user.metadata == {"a": 1}
    assert len(httpx_mock.get_requests()) == 2
