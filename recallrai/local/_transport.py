"""An httpx transport that serves requests in-process from a local app (sync and async)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import anyio
import anyio.to_thread
import httpx

from ._admission import Drop, Gate, Outcome, arun, close_stream, run
from ._faults import AppLike, FaultPlan
from ._wire import LocalRequest

_DISCONNECTED = "Server disconnected without sending a response."


class LocalTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Route httpx requests straight into `app.handle`, no sockets involved.

    Works for both `httpx.Client(transport=...)` and `httpx.AsyncClient(transport=...)`.
    The async side runs the app in a worker thread so the event loop stays free.
    Faults: a failure becomes a synthesized response; a drop before handling
    raises `httpx.ConnectError`, a drop after handling (the app has done the
    work) raises `httpx.RemoteProtocolError`, as a lost response would.
    `test_controls=True` also serves the `/_local/*` test controls.
    """

    def __init__(
        self, app: AppLike, faults: FaultPlan | None = None, *, test_controls: bool = False
    ) -> None:
        self.app = app
        self.faults = faults if faults is not None else FaultPlan()
        self._gate = Gate(app, self.faults, test_controls=test_controls)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request synchronously."""
        local = _to_local(request, request.read())
        return _to_httpx(run(self._gate.steps(local), time.sleep), request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request from async code."""
        local = _to_local(request, await request.aread())
        return _to_httpx(await arun(self._gate.steps(local)), request)

    def close(self) -> None:
        """Nothing to release: the app belongs to the caller."""

    async def aclose(self) -> None:
        """Nothing to release: the app belongs to the caller."""


def _to_local(request: httpx.Request, body: bytes) -> LocalRequest:
    raw_path = request.url.raw_path.decode("ascii").split("?", 1)[0]
    headers: dict[str, str] = {}
    for name, value in request.headers.multi_items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return LocalRequest(
        method=request.method,
        path=raw_path,
        query=list(request.url.params.multi_items()),
        headers=headers,
        body=body,
    )


def _to_httpx(outcome: Outcome, request: httpx.Request) -> httpx.Response:
    """The httpx answer for an outcome: a response, or the error a lost connection raises."""
    if isinstance(outcome, Drop):
        if outcome.after_handling:
            raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)
        raise httpx.ConnectError("Connection dropped by the local fault plan", request=request)
    response = outcome.response
    if response.stream is None:
        return httpx.Response(response.status, headers=response.headers, content=response.body)
    return httpx.Response(
        response.status, headers=response.headers, stream=_EventStream(response.stream)
    )


class _EventStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that yields the app's events one at a time, as they come."""

    def __init__(self, events: Iterator[bytes]) -> None:
        self._events = events

    def __iter__(self) -> Iterator[bytes]:
        yield from self._events

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            event = await anyio.to_thread.run_sync(next, self._events, None)
            if event is None:
                return
            yield event

    def close(self) -> None:
        close_stream(self._events)

    async def aclose(self) -> None:
        close_stream(self._events)
