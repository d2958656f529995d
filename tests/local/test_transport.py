"""The in-process httpx transport: request/response mapping, streaming, faults (sync and async)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from recallrai.local._clock import ManualClock
from recallrai.local._faults import FaultPlan
from recallrai.local._transport import LocalTransport
from recallrai.local._wire import LocalRequest, LocalResponse

BASE = "http://recallrai.local"


class StubApp:
    """Echoes each request as JSON; `/events` streams three SSE events through a gate."""

    def __init__(self) -> None:
        self.clock = ManualClock(datetime(2025, 1, 1, tzinfo=UTC))
        self.handled = 0
        self.due_runs = 0
        self.gate = threading.Event()
        self.stream_closed = threading.Event()
        self._lock = threading.Lock()

    def handle(self, request: LocalRequest) -> LocalResponse:
        with self._lock:
            self.handled += 1
        if request.path == "/events":
            return LocalResponse(
                200, [("content-type", "text/event-stream")], stream=self._events()
            )
        echo = {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": request.headers,
            "body": request.body.decode(),
        }
        return LocalResponse(201, [("content-type", "application/json")], json.dumps(echo).encode())

    def _events(self) -> Iterator[bytes]:
        try:
            yield b'data: {"n": 1}\n\n'
            released = self.gate.wait(5)  # the client must see event 1 before this returns
            yield b'data: {"n": 2, "released": %s}\n\n' % str(released).lower().encode()
            yield b'data: {"n": 3, "is_final": true}\n\n'
        finally:
            self.stream_closed.set()

    def run_due_work(self) -> None:
        self.due_runs += 1


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app() -> StubApp:
    return StubApp()


@pytest.fixture
def transport(app: StubApp) -> LocalTransport:
    return LocalTransport(app, test_controls=True)


@pytest.fixture
def client(transport: LocalTransport) -> Iterator[httpx.Client]:
    with httpx.Client(transport=transport, base_url=BASE) as c:
        yield c


def _echo(response: httpx.Response) -> dict[str, Any]:
    data: dict[str, Any] = response.json()
    return data


# -- mapping -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "raw"),
    [
        (f"{BASE}/api/v1/users/a%2Fb", "/api/v1/users/a%2Fb"),
        (f"{BASE}/api/v1/users/%2E%2E/sessions", "/api/v1/users/%2E%2E/sessions"),
        (f"{BASE}/api/v1/users/J%C3%BCrgen%20K", "/api/v1/users/J%C3%BCrgen%20K"),
        (f"{BASE}/api/v1/users/Jürgen", "/api/v1/users/J%C3%BCrgen"),
        (f"{BASE}/api/v1/users/100%25", "/api/v1/users/100%25"),
    ],
)
def test_raw_path_is_preserved(client: httpx.Client, url: str, raw: str) -> None:
    assert _echo(client.get(url))["path"] == raw


def test_query_repeats_and_decoding(client: httpx.Client) -> None:
    params = [
        ("status_filter", "pending"),
        ("status_filter", "processing"),
        ("metadata_filter", json.dumps({"a": "b & c"})),
        ("empty", ""),
        ("name", "Jürgen K"),
    ]
    echo = _echo(client.get("/api/v1/x", params=tuple(params)))
    assert [tuple(pair) for pair in echo["query"]] == params
    assert echo["path"] == "/api/v1/x"


def test_method_headers_body_and_response(client: httpx.Client) -> None:
    response = client.post(
        "/api/v1/users",
        json={"custom_user_id": "u1"},
        headers={"X-Recallr-Api-Key": "rai_x", "X-Recallr-Project-Id": "p"},
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    echo = _echo(response)
    assert echo["method"] == "POST"
    assert json.loads(echo["body"]) == {"custom_user_id": "u1"}
    assert echo["headers"]["x-recallr-api-key"] == "rai_x"
    assert echo["headers"]["x-recallr-project-id"] == "p"
    assert all(name == name.lower() for name in echo["headers"])


def test_sse_arrives_event_by_event(app: StubApp, client: httpx.Client) -> None:
    with client.stream("GET", "/events") as response:
        assert response.headers["content-type"] == "text/event-stream"
        chunks = response.iter_bytes()
        assert next(chunks) == b'data: {"n": 1}\n\n'
        app.gate.set()
        rest = b"".join(chunks)
    assert b'"released": true' in rest
    assert rest.endswith(b'data: {"n": 3, "is_final": true}\n\n')
    assert app.stream_closed.is_set()


def test_sse_closed_early_closes_the_app_stream(app: StubApp, client: httpx.Client) -> None:
    app.gate.set()
    with client.stream("GET", "/events") as response:
        next(response.iter_bytes())
    assert app.stream_closed.wait(5)


# -- faults --------------------------------------------------------------------------------


def test_fail_next_429_with_retry_after(
    app: StubApp, transport: LocalTransport, client: httpx.Client
) -> None:
    transport.faults.fail_next(2, 429, retry_after=1)
    for _ in range(2):
        response = client.get("/api/v1/users")
        assert response.status_code == 429
        assert response.headers["retry-after"] == "1"
        assert "429" in response.json()["detail"]
    assert client.get("/api/v1/users").status_code == 201
    assert app.handled == 1
    assert transport.faults.count("GET", "/api/v1/users") == 3
    assert transport.faults.handled_count("GET", "/api/v1/users") == 1


def test_fail_with_html_502(transport: LocalTransport, client: httpx.Client) -> None:
    transport.faults.fail_next(1, 502, body="<html><body>Bad Gateway</body></html>")
    response = client.get("/api/v1/users")
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == "<html><body>Bad Gateway</body></html>"


def test_drop_before_handling(
    app: StubApp, transport: LocalTransport, client: httpx.Client
) -> None:
    transport.faults.drop_next(1)
    with pytest.raises(httpx.ConnectError):
        client.post("/api/v1/users", json={})
    assert app.handled == 0
    assert client.post("/api/v1/users", json={}).status_code == 201
    assert app.handled == 1


def test_drop_after_handling_stores_but_loses_the_response(
    app: StubApp, transport: LocalTransport, client: httpx.Client
) -> None:
    transport.faults.drop_next(1, after_handling=True, match="POST /api/v1/users")
    assert client.get("/api/v1/users").status_code == 201  # not matched: passes
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/api/v1/users", json={})
    assert app.handled == 2
    assert transport.faults.count("POST", "/api/v1/users") == 1
    assert transport.faults.handled_count("POST", "/api/v1/users") == 1


def test_latency(transport: LocalTransport, client: httpx.Client) -> None:
    transport.faults.set_latency(0.2)
    started = time.monotonic()
    client.get("/api/v1/users")
    assert time.monotonic() - started >= 0.19
    transport.faults.clear()
    assert transport.faults.latency == 0


def test_shared_fault_plan(app: StubApp) -> None:
    plan = FaultPlan()
    transport = LocalTransport(app, plan)
    assert transport.faults is plan
    plan.fail_next(1, 500)
    with httpx.Client(transport=transport) as c:
        assert c.get(f"{BASE}/x").status_code == 500


def test_control_endpoints_through_the_transport(app: StubApp, client: httpx.Client) -> None:
    client.post("/_local/faults", json={"fail_next": 1, "status": 503})
    assert client.get("/_local/requests").status_code == 200  # controls are never faulted
    assert client.get("/api/v1/users").status_code == 503
    counters = client.get("/_local/requests").json()
    assert counters["total"] == 1
    moved = client.post("/_local/clock/advance", json={"seconds": 90})
    assert moved.status_code == 200
    assert moved.json()["now"].startswith("2025-01-01T00:01:30")
    assert app.due_runs == 1


# -- async ---------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_round_trip_and_raw_path(app: StubApp, transport: LocalTransport) -> None:
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
        response = await c.put(
            "/api/v1/users/a%2Fb", params=[("k", "1"), ("k", "2")], content=b"hi"
        )
    echo = _echo(response)
    assert (echo["method"], echo["path"], echo["body"]) == ("PUT", "/api/v1/users/a%2Fb", "hi")
    assert [tuple(pair) for pair in echo["query"]] == [("k", "1"), ("k", "2")]


@pytest.mark.anyio
async def test_async_sse_event_by_event(app: StubApp, transport: LocalTransport) -> None:
    async with (
        httpx.AsyncClient(transport=transport, base_url=BASE) as c,
        c.stream("GET", "/events") as response,
    ):
        chunks = response.aiter_bytes()
        assert await chunks.__anext__() == b'data: {"n": 1}\n\n'
        app.gate.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert b'"released": true' in rest
    assert rest.endswith(b'"is_final": true}\n\n')


@pytest.mark.anyio
async def test_async_faults(app: StubApp, transport: LocalTransport) -> None:
    transport.faults.fail_next(1, 429, retry_after=0.5)
    transport.faults.drop_next(1)
    transport.faults.drop_next(1, after_handling=True)
    transport.faults.set_latency(0.1)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as c:
        started = time.monotonic()
        failed = await c.get("/x")
        assert time.monotonic() - started >= 0.09
        assert (failed.status_code, failed.headers["retry-after"]) == (429, "0.5")
        with pytest.raises(httpx.ConnectError):
            await c.get("/x")
        assert app.handled == 0
        with pytest.raises(httpx.RemoteProtocolError):
            await c.post("/x", content=b"write")
        assert app.handled == 1
        assert (await c.get("/x")).status_code == 201
    assert transport.faults.count() == 4
    assert transport.faults.handled_count() == 2


# -- the real app behind the transport -----------------------------------------------------


@pytest.mark.anyio
async def test_real_app_through_async_transport() -> None:
    from recallrai.local._app import LocalApp

    app = LocalApp()
    transport = LocalTransport(app)
    headers = {"X-Recallr-Api-Key": "rai_t", "X-Recallr-Project-Id": "p"}
    try:
        async with httpx.AsyncClient(transport=transport, base_url=BASE, headers=headers) as c:
            transport.faults.drop_next(1, after_handling=True, match="POST /api/v1/users")
            with pytest.raises(httpx.RemoteProtocolError):
                await c.post("/api/v1/users", json={"custom_user_id": "%2E%2E"})
            # the write was stored: a retry now conflicts, and the user is there
            again = await c.post("/api/v1/users", json={"custom_user_id": "%2E%2E"})
            assert again.status_code == 409
            fetched = await c.get("/api/v1/users/%252E%252E")
            assert fetched.json()["custom_user_id"] == "%2E%2E"
            unauthorized = await c.get("/api/v1/users", headers={"X-Recallr-Api-Key": "nope"})
            assert unauthorized.status_code == 401
    finally:
        app.close()
    assert transport.faults.count("POST", "/api/v1/users") == 2
