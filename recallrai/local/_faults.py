"""Test controls shared by both doors: injected faults, latency, request counters.

A `FaultPlan` is consulted by the in-process transport and by the HTTP server
before a request reaches the app. It can make the next requests fail with an
error status, drop the connection (before the app sees the request, or after the
app has handled it), add latency, and it counts every request per (method, path).

The same controls are reachable over HTTP under the reserved prefix `/_local/`,
outside the public API, when the door is started with `test_controls=True` (see
the README's table). They are never faulted or counted; when the app restricts its
API keys, they need one of them.

Every input is bounded: statuses 400..599, counts 0..100,000, latency and
`Retry-After` finite, 0..60 s and 0..3,600 s, clock moves 0..10 years forward.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Any, Literal, Protocol, TypeVar

from ._wire import LocalRequest, LocalResponse, loads_json

CONTROL_PREFIX = "/_local/"

MAX_FAULT_COUNT = 100_000
"""The most requests one fault may apply to (`fail_next`, `drop_next`)."""
MAX_PENDING_FAULTS = 1_000
"""The most faults that may wait at once."""
MAX_LATENCY = 60.0
"""The longest injected latency, in seconds."""
MAX_RETRY_AFTER = 3_600.0
"""The longest `Retry-After` a fault may carry, in seconds."""
MAX_FAULT_BODY = 1024 * 1024
"""The largest body a fault may answer with, in bytes."""
MAX_MATCH_LENGTH = 2_048
"""The longest `match` filter, in characters."""
MAX_COUNTED_PATH_BYTES = 16 * 1024 * 1024
"""Counters keep distinct paths up to this many bytes in all; later new paths pool
under `("*", "*")`, so totals stay right and memory stays bounded."""

DropWhen = Literal["before", "after"]
_T = TypeVar("_T")


class AppLike(Protocol):
    """What a door needs from the app: `LocalApp` satisfies it, so can a test stub."""

    @property
    def clock(self) -> object: ...

    def handle(self, request: LocalRequest) -> LocalResponse: ...

    def run_due_work(self) -> None: ...


@dataclass(frozen=True)
class _Match:
    """A request filter: `"/sessions/"` (path substring) or `"POST /api/v1/users"`."""

    method: str | None
    fragment: str

    @classmethod
    def parse(cls, spec: str | None) -> _Match | None:
        if not spec:
            return None
        if len(spec) > MAX_MATCH_LENGTH or any(ord(c) < 32 or ord(c) == 127 for c in spec):
            raise ValueError(f"match must be at most {MAX_MATCH_LENGTH} printable characters")
        head, sep, rest = spec.strip().partition(" ")
        if sep and head.isalpha() and head.isupper():
            return cls(head, rest.strip())
        return cls(None, spec.strip())

    def __call__(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method.upper():
            return False
        return self.fragment in path

    def __str__(self) -> str:
        return f"{self.method} {self.fragment}" if self.method else self.fragment


@dataclass
class _Rule:
    """One pending fault: fail or drop the next `remaining` matching requests."""

    kind: Literal["fail", "drop"]
    remaining: int
    match: _Match | None
    status: int = 503
    retry_after: float | None = None
    body: bytes | None = None
    content_type: str | None = None
    after_handling: bool = False

    def describe(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "kind": self.kind,
            "remaining": self.remaining,
            "match": str(self.match) if self.match else None,
        }
        if self.kind == "fail":
            info.update(status=self.status, retry_after=self.retry_after)
        else:
            info.update(after_handling=self.after_handling)
        return info

    def response(self) -> LocalResponse:
        """The synthesized failure response."""
        headers: list[tuple[str, str]] = []
        if self.body is None:
            phrase = _reason(self.status)
            body = json.dumps({"detail": f"Injected fault: {self.status} {phrase}"}).encode()
            content_type = "application/json"
        else:
            body = self.body
            content_type = self.content_type or _sniff_content_type(body)
        headers.append(("content-type", content_type))
        if self.retry_after is not None:
            headers.append(("retry-after", _format_seconds(self.retry_after)))
        return LocalResponse(status=self.status, headers=headers, body=body)


@dataclass(frozen=True)
class Admission:
    """What a door must do with one request: wait, then fail, drop or pass it on."""

    latency: float = 0.0
    response: LocalResponse | None = None
    drop: DropWhen | None = None


@dataclass
class _Count:
    arrived: int = 0
    handled: int = 0


@dataclass
class FaultPlan:
    """Thread-safe fault injection and request counting for the local server.

    Faults queue up in the order they are added; each request consumes at most
    one fault, the first pending one whose `match` fits it. `match` is a raw
    (percent-encoded) path substring, optionally led by a method:
    `"/sessions/"` or `"POST /api/v1/users"`.
    """

    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _rules: list[_Rule] = field(default_factory=list, init=False)
    _latency: float = field(default=0.0, init=False)
    _latency_match: _Match | None = field(default=None, init=False)
    _counts: dict[tuple[str, str], _Count] = field(default_factory=dict, init=False)
    _counted_bytes: int = field(default=0, init=False)

    # -- arranging faults -------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        status: int = 503,
        *,
        retry_after: float | None = None,
        body: str | bytes | None = None,
        content_type: str | None = None,
        match: str | None = None,
    ) -> None:
        """Answer the next `n` (0..100,000) matching requests with `status` instead of the app.

        `status` must be an error (400..599): a fault that answers 200 would silently
        empty the answer. `retry_after` (0..3,600 seconds) becomes a `Retry-After`
        header. `body` (at most 1 MiB) replaces the default JSON `{"detail": ...}`; its
        content type is guessed (HTML, JSON or plain text) unless `content_type` is given.
        """
        rule = _Rule(
            "fail",
            _count(n),
            _Match.parse(match),
            _status(status),
            None if retry_after is None else _seconds("retry_after", retry_after, MAX_RETRY_AFTER),
            _fault_body(body),
            _content_type(content_type),
        )
        self._add(rule)

    def drop_next(
        self, n: int = 1, *, after_handling: bool = False, match: str | None = None
    ) -> None:
        """Drop the connection for the next `n` matching requests.

        With `after_handling=True` the app handles the request first (a write is
        stored) and only then is the connection dropped, as when a response is
        lost on the way back.
        """
        rule = _Rule("drop", _count(n), _Match.parse(match), after_handling=after_handling)
        self._add(rule)

    def set_latency(self, seconds: float, *, match: str | None = None) -> None:
        """Delay every matching request by `seconds` (0..60; 0 turns latency off)."""
        latency = _seconds("latency", seconds, MAX_LATENCY)
        parsed = _Match.parse(match)
        with self._lock:
            self._latency = latency
            self._latency_match = parsed

    @property
    def latency(self) -> float:
        """The latency added to each matching request, in seconds."""
        with self._lock:
            return self._latency

    def clear(self) -> None:
        """Remove pending faults and latency; counters stay."""
        with self._lock:
            self._rules.clear()
            self._latency = 0.0
            self._latency_match = None

    def reset(self) -> None:
        """Remove pending faults and latency, and zero the counters."""
        with self._lock:
            self._rules.clear()
            self._latency = 0.0
            self._latency_match = None
            self._counts.clear()
            self._counted_bytes = 0

    def pending(self) -> list[dict[str, Any]]:
        """The faults still waiting to fire, in order."""
        with self._lock:
            return [rule.describe() for rule in self._rules]

    # -- counters ----------------------------------------------------------------------

    def count(self, method: str | None = None, path: str | None = None) -> int:
        """How many requests arrived (faulted or not) with this method and raw path.

        `None` means any; `path` must equal the raw, percent-encoded path.
        """
        return sum(c.arrived for c in self._select(method, path))

    def handled_count(self, method: str | None = None, path: str | None = None) -> int:
        """How many of those requests actually reached the app."""
        return sum(c.handled for c in self._select(method, path))

    def requests(self) -> list[dict[str, Any]]:
        """Every (method, path) seen, with `count` (arrived) and `handled`."""
        with self._lock:
            return [
                {"method": m, "path": p, "count": c.arrived, "handled": c.handled}
                for (m, p), c in self._counts.items()
            ]

    # -- used by the doors -------------------------------------------------------------

    def admit(self, request: LocalRequest) -> Admission:
        """Count one arriving request and decide its fate (consumes a fault)."""
        method = request.method.upper()
        with self._lock:
            self._counter(method, request.path).arrived += 1
            latency = self._latency
            if self._latency_match is not None and not self._latency_match(method, request.path):
                latency = 0.0
            for index, rule in enumerate(self._rules):
                if rule.remaining <= 0 or (rule.match and not rule.match(method, request.path)):
                    continue
                rule.remaining -= 1
                if rule.remaining <= 0:
                    del self._rules[index]
                if rule.kind == "fail":
                    return Admission(latency, response=rule.response())
                return Admission(latency, drop="after" if rule.after_handling else "before")
            return Admission(latency)

    def record_handled(self, request: LocalRequest) -> None:
        """Note that the app handled this request."""
        with self._lock:
            self._counter(request.method.upper(), request.path).handled += 1

    # -- internals ---------------------------------------------------------------------

    def _add(self, rule: _Rule) -> None:
        self._add_all([rule])

    def _add_all(
        self, rules: list[_Rule], latency: tuple[float, _Match | None] | None = None
    ) -> None:
        """Queue `rules` and set `latency`, all or nothing."""
        wanted = [rule for rule in rules if rule.remaining > 0]
        with self._lock:
            if len(self._rules) + len(wanted) > MAX_PENDING_FAULTS:
                raise ValueError(f"at most {MAX_PENDING_FAULTS} faults may be pending")
            self._rules.extend(wanted)
            if latency is not None:
                self._latency, self._latency_match = latency

    def _counter(self, method: str, path: str) -> _Count:
        """The counter of (method, path); call with the lock held."""
        count = self._counts.get((method, path))
        if count is None:
            if self._counted_bytes + len(path) + len(method) > MAX_COUNTED_PATH_BYTES:
                return self._counts.setdefault(("*", "*"), _Count())
            self._counted_bytes += len(path) + len(method)
            count = self._counts[(method, path)] = _Count()
        return count

    def _select(self, method: str | None, path: str | None) -> list[_Count]:
        wanted = method.upper() if method is not None else None
        with self._lock:
            return [
                _Count(c.arrived, c.handled)
                for (m, p), c in self._counts.items()
                if (wanted is None or m == wanted) and (path is None or p == path)
            ]

    def _state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "faults": [rule.describe() for rule in self._rules],
                "latency": self._latency,
                "latency_match": str(self._latency_match) if self._latency_match else None,
            }


# -- the control endpoints ---------------------------------------------------------------


def is_control(request: LocalRequest) -> bool:
    """Whether the request targets the reserved test-control prefix."""
    return request.path.startswith(CONTROL_PREFIX) or request.path == CONTROL_PREFIX.rstrip("/")


def control_response(plan: FaultPlan, app: AppLike, request: LocalRequest) -> LocalResponse:
    """Serve one `/_local/...` control request."""
    routes: dict[str, dict[str, Callable[[], LocalResponse]]] = {
        "/_local/faults": {
            "GET": lambda: _json(200, plan._state()),
            "POST": lambda: _post_faults(plan, request),
            "DELETE": lambda: _cleared(plan),
        },
        "/_local/requests": {"GET": lambda: _counters(plan)},
        "/_local/clock/advance": {"POST": lambda: _advance(app, request)},
        "/_local/reset": {"POST": lambda: _reset(plan)},
    }
    methods = routes.get(request.path.rstrip("/") or "/")
    if methods is None:
        return _json(404, {"detail": f"Unknown local control endpoint {request.path}"})
    action = methods.get(request.method.upper())
    if action is None:
        response = _json(405, {"detail": f"Method {request.method} not allowed here"})
        response.headers.append(("allow", ", ".join(methods)))
        return response
    try:
        return action()
    except _BadControl as exc:
        return _json(422, {"detail": str(exc)})


class _BadControl(ValueError):
    """A malformed control request."""


def _post_faults(plan: FaultPlan, request: LocalRequest) -> LocalResponse:
    spec = _body_object(request)
    known = {
        "fail_next", "status", "retry_after", "body", "content_type", "latency",
        "drop_next", "drop_after_handling", "match",
    }  # fmt: skip
    unknown = sorted(set(spec) - known)
    if unknown:
        raise _BadControl(f"Unknown fault fields: {', '.join(unknown)}")
    try:  # check every field before anything changes: a bad request arms nothing
        match = _Match.parse(_opt(spec, "match", str))
        rules: list[_Rule] = []
        if "fail_next" in spec:
            status = _opt(spec, "status", int)
            retry_after = _opt(spec, "retry_after", float)
            rules.append(
                _Rule(
                    "fail",
                    _count(_req(spec, "fail_next", int)),
                    match,
                    _status(503 if status is None else status),
                    None
                    if retry_after is None
                    else _seconds("retry_after", retry_after, MAX_RETRY_AFTER),
                    _fault_body(_opt(spec, "body", str)),
                    _content_type(_opt(spec, "content_type", str)),
                )
            )
        if "drop_next" in spec:
            after = bool(_opt(spec, "drop_after_handling", bool))
            rules.append(
                _Rule("drop", _count(_req(spec, "drop_next", int)), match, after_handling=after)
            )
        latency = None
        if "latency" in spec:
            latency = (_seconds("latency", _req(spec, "latency", float), MAX_LATENCY), match)
        plan._add_all(rules, latency)
    except ValueError as exc:
        raise _BadControl(str(exc)) from exc
    return _json(200, plan._state())


def _cleared(plan: FaultPlan) -> LocalResponse:
    plan.clear()
    return _json(200, plan._state())


def _reset(plan: FaultPlan) -> LocalResponse:
    plan.reset()
    return _json(200, plan._state())


def _counters(plan: FaultPlan) -> LocalResponse:
    rows = plan.requests()
    return _json(200, {"requests": rows, "total": sum(row["count"] for row in rows)})


def _advance(app: AppLike, request: LocalRequest) -> LocalResponse:
    seconds = _req(_body_object(request), "seconds", float)
    advance = getattr(app.clock, "advance", None)
    if not callable(advance):
        detail = "The app's clock cannot be advanced: start the app with a ManualClock"
        return _json(409, {"detail": detail})
    try:
        advance(seconds)
    except ValueError as exc:
        raise _BadControl(str(exc)) from exc
    app.run_due_work()
    now = getattr(app.clock, "now", None)
    stamp = now() if callable(now) else None
    return _json(200, {"now": stamp.isoformat() if isinstance(stamp, datetime) else None})


# -- checks (each raises ValueError) -------------------------------------------------------


def _count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_FAULT_COUNT:
        raise ValueError(f"n must be an integer from 0 to {MAX_FAULT_COUNT}")
    return n


def _status(status: int) -> int:
    if isinstance(status, bool) or not isinstance(status, int) or not 400 <= status <= 599:
        raise ValueError("status must be an HTTP error status (400..599)")
    return status


def _seconds(name: str, seconds: float, most: float) -> float:
    if isinstance(seconds, bool) or not isinstance(seconds, int | float):
        raise ValueError(f"{name} must be a number of seconds")
    value = float(seconds)
    if not (math.isfinite(value) and 0 <= value <= most):
        raise ValueError(f"{name} must be a finite number of seconds from 0 to {most:g}")
    return value


def _fault_body(body: str | bytes | None) -> bytes | None:
    raw = body.encode() if isinstance(body, str) else body
    if raw is not None and len(raw) > MAX_FAULT_BODY:
        raise ValueError(f"body must be at most {MAX_FAULT_BODY} bytes")
    return raw


def _content_type(value: str | None) -> str | None:
    if value is not None and not (
        0 < len(value) <= 256 and value.isascii() and value.isprintable()
    ):
        raise ValueError("content_type must be 1..256 printable ASCII characters")
    return value


# -- small helpers -------------------------------------------------------------------------


def _body_object(request: LocalRequest) -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        value = loads_json(request.body)  # depth-limited, as the API parses bodies
    except ValueError as exc:
        raise _BadControl(f"Body is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise _BadControl("Body must be a JSON object")
    return value


def _opt(spec: dict[str, Any], key: str, kind: type[_T]) -> _T | None:
    value = spec.get(key)
    if value is None:
        return None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _BadControl(f"{key} must be of type {kind.__name__}")
    return value


def _req(spec: dict[str, Any], key: str, kind: type[_T]) -> _T:
    value = _opt(spec, key, kind)
    if value is None:
        raise _BadControl(f"{key} is required")
    return value


def _json(status: int, payload: object) -> LocalResponse:
    body = json.dumps(payload).encode()
    return LocalResponse(status=status, headers=[("content-type", "application/json")], body=body)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _sniff_content_type(body: bytes) -> str:
    text = body.lstrip()
    if text.startswith(b"<"):
        return "text/html; charset=utf-8"
    try:
        loads_json(body)
    except ValueError:
        return "text/plain; charset=utf-8"
    return "application/json"


def _format_seconds(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else repr(float(seconds))
