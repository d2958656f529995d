"""The one path a request takes through either door: controls, faults, the app, counters.

`Gate.steps(request)` is the sequence admit -> latency -> fail/drop -> handle -> record,
written once as a generator (sans-I/O): it yields what the door must do — `Wait` a
while, run a `Call` (the app, or a test control) — and returns the `Outcome`: a
`Respond` or a `Drop`. Each door drives it its own way: `run` blocks (the HTTP server,
the sync transport), `arun` awaits (the async transport: sleeps on the event loop and
runs the app in a worker thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Generator, Iterator
from dataclasses import dataclass
from functools import partial

import anyio
import anyio.to_thread

from ._faults import AppLike, FaultPlan, control_response, is_control
from ._wire import LocalRequest, LocalResponse, error_response, log_failure

__all__ = ["Call", "Drop", "Gate", "Outcome", "Respond", "Step", "Wait", "arun", "run"]

_log = logging.getLogger("recallrai.local")


@dataclass(frozen=True)
class Wait:
    """Sleep this many seconds (injected latency)."""

    seconds: float


@dataclass(frozen=True)
class Call:
    """Run this (blocking) function and send its response back into the sequence."""

    function: Callable[[], LocalResponse]


@dataclass(frozen=True)
class Respond:
    """Send this response."""

    response: LocalResponse


@dataclass(frozen=True)
class Drop:
    """Close the connection without a response; `after_handling`: the app did the work."""

    after_handling: bool


Step = Wait | Call
Outcome = Respond | Drop
Steps = Generator[Step, LocalResponse | None, Outcome]


class Gate:
    """What stands between a door and the app: test controls, faults and counters.

    The `/_local/*` test controls exist only with `test_controls=True`; otherwise those
    paths are ordinary requests (the app answers 404). When the app restricts its API
    keys (`app.api_keys` is not None), a control request must carry one of them.
    """

    def __init__(self, app: AppLike, faults: FaultPlan, *, test_controls: bool) -> None:
        self.app = app
        self.faults = faults
        self.test_controls = test_controls

    def steps(self, request: LocalRequest) -> Steps:
        """The admission sequence for one request (drive it with `run` or `arun`)."""
        if self.test_controls and is_control(request):
            if not self._may_control(request):
                detail = "Invalid API key: the test controls need one of the server's API keys"
                return Respond(error_response(401, detail))
            reply = yield Call(partial(control_response, self.faults, self.app, request))
            assert reply is not None
            return Respond(reply)
        admission = self.faults.admit(request)
        if admission.latency:
            yield Wait(admission.latency)
        if admission.drop == "before":
            return Drop(after_handling=False)
        if admission.response is not None:
            return Respond(admission.response)
        response = yield Call(partial(self._handle, request))
        assert response is not None
        self.faults.record_handled(request)
        if admission.drop == "after":
            close_stream(response.stream)
            return Drop(after_handling=True)
        return Respond(response)

    def _handle(self, request: LocalRequest) -> LocalResponse:
        try:
            return self.app.handle(request)
        except Exception as exc:
            log_failure(_log, f"the local app failed on {request.method} {request.path}", exc)
            return error_response(500, "Internal Server Error")

    def _may_control(self, request: LocalRequest) -> bool:
        keys: Collection[str] | None = getattr(self.app, "api_keys", None)
        if keys is None:
            return True
        key = request.headers.get("x-recallr-api-key")
        return key is not None and key in keys  # no header matches no key, not even ""


def run(steps: Steps, sleep: Callable[[float], object]) -> Outcome:
    """Drive the sequence in this thread; `sleep` waits (and may return early)."""
    try:
        step = next(steps)
        while True:
            if isinstance(step, Wait):
                sleep(step.seconds)
                step = steps.send(None)
            else:
                step = steps.send(step.function())
    except StopIteration as done:
        outcome: Outcome = done.value
        return outcome


async def arun(steps: Steps) -> Outcome:
    """Drive the sequence from async code: sleep on the loop, call in a worker thread."""
    try:
        step = next(steps)
        while True:
            if isinstance(step, Wait):
                await anyio.sleep(step.seconds)
                step = steps.send(None)
            else:
                step = steps.send(await anyio.to_thread.run_sync(step.function))
    except StopIteration as done:
        outcome: Outcome = done.value
        return outcome


def close_stream(stream: Iterator[bytes] | None) -> None:
    """Close a streamed body (a generator) that will not be sent."""
    close = getattr(stream, "close", None)
    if callable(close):
        close()
