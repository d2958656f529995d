"""An httpx transport that serves requests in-process from a local app (sync and async)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator

import anyio
import anyio.to_thread
import httpx

from ._faults import Admission, AppLike, FaultPlan, control_response, is_control
from ._wire import LocalRequest, LocalResponse

_DISCONNECTED = "Server disconnected without sending a response."


class LocalTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Route httpx requests straight into `app.handle`, no sockets involved.

    Works for both `httpx.Client(transport=...)` and `httpx.AsyncClient(transport=...)`.
    The async side runs the app in a worker thread so the event loop stays free.
    Faults: a failure becomes a synthesized response; a drop before handling
    raises `httpx.ConnectError`, a drop after handling (the app has done the
    work) raises `httpx.RemoteProtocolError`, as a lost response would.
    """

    def __init__(self, app: AppLike, faults: FaultPlan | None = None) -> None:
        self.app = app
        self.faults = faults if faults is not None else FaultPlan()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request synchronously."""
        local = _to_local(request, request.read())
        if is_control(local):
            return _to_httpx(control_response(self.faults, self.app, local))
        admission = self.faults.admit(local)
        if admission.latency:
            time.sleep(admission.latency)
        early = _before(admission, request)
        if early is not None:
            return early
        response = self.app.handle(local)
        self.faults.record_handled(local)
        _after(admission, response, request)
        return _to_httpx(response)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Serve one request from async code."""
        local = _to_local(request, await request.aread())
        if is_control(local):
            reply = await anyio.to_thread.run_sync(control_response, self.faults, self.app, local)
            return _to_httpx(reply)
        admission = self.faults.admit(local)
        if admission.latency:
            await anyio.sleep(admission.latency)
        early = _before(admission, request)
        if early is not None:
            return early
        response = await anyio.to_thread.run_sync(self.app.handle, local)
        self.faults.record_handled(local)
        _after(admission, response, request)
        return _to_httpx(response)

    def close(self) -> None:
        """Nothing to release: the app belongs to the caller."""

    async def aclose(self) -> None:
        """Nothing to release: the app belongs to the caller."""


def _before(admission: Admission, request: httpx.Request) -> httpx.Response | None:
    """Apply a fault that keeps the request from the app, if any."""
    if admission.drop == "before":
        raise httpx.ConnectError("Connection dropped by the local fault plan", request=request)
    if admission.response is not None:
        return _to_httpx(admission.response)
    return None


def _after(admission: Admission, response: LocalResponse, request: httpx.Request) -> None:
    """Lose the response on the way back when the plan says so."""
    if admission.drop == "after":
        _close(response.stream)
        raise httpx.RemoteProtocolError(_DISCONNECTED, request=request)


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


def _to_httpx(response: LocalResponse) -> httpx.Response:
    if response.stream is None:
        return httpx.Response(response.status, headers=response.headers, content=response.body)
    return httpx.Response(
        response.status, headers=response.headers, stream=_EventStream(response.stream)
    )


def _close(stream: Iterator[bytes] | None) -> None:
    close = getattr(stream, "close", None)
    if callable(close):
        close()


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
        _close(self._events)

    async def aclose(self) -> None:
        _close(self._events)
