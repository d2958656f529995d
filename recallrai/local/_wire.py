"""What crosses the wire: request and response values, JSON replies, parameter checks.

The checks mirror FastAPI's: a rejected request gets ``422`` with ``detail`` as
a list of ``{type, loc, msg, input}`` objects, and nothing is stored.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recallrai.local._clock import parse_time

__all__ = [
    "MAX_BODY_BYTES",
    "Body",
    "HTTPError",
    "LocalRequest",
    "LocalResponse",
    "Query",
    "error_response",
    "json_response",
    "not_found_page",
]

JSON = dict[str, Any]

# -- bounds every layer agrees on (spec maxLength/maximum, this server's 422, the SDK) ------

MAX_BODY_BYTES = 4 * 1024 * 1024
"""The largest request body the local server reads (both doors); larger ones get 413."""

MAX_ID_LENGTH = 255
"""user_id, new_user_id, session_id, memory_id, conflict_id: 1..255 characters."""

MAX_METADATA_BYTES = 65_536
"""A metadata object, serialized as compact UTF-8 JSON, is at most this many bytes."""

MAX_FILTER_BYTES = 4_096
"""A metadata filter (a query parameter holding JSON) is at most this many bytes."""

MAX_METADATA_DEPTH = 32
"""Metadata objects and filters nest at most this deep (the object itself is level 1)."""

MAX_CATEGORIES = 100
"""A categories filter names at most this many categories, each 1..100 characters."""

MAX_CATEGORY_LENGTH = 100

MAX_MESSAGE_LENGTH = 1_000_000
"""A message's content: 1..1,000,000 characters."""

MIN_AUTO_PROCESS_SECONDS = 600
MAX_AUTO_PROCESS_SECONDS = 31_536_000
"""auto_process_after_seconds: 600 (ten minutes) .. 31,536,000 (a year)."""

MAX_OFFSET = 2_147_483_647
"""Page offsets are int32."""

MAX_TEXT_LENGTH = 10_000
"""Other free text (question answers, resolve messages) is at most this many characters."""

MAX_TIMEZONE_LENGTH = 64

_CONTROL = frozenset(chr(c) for c in (*range(0x20), 0x7F))
ID_PATTERN = "^[^\\x00-\\x1f\\x7f]+$"
"""The pattern an id matches (as the spec writes it): no control characters."""


def id_problem(loc: list[str | int], value: str) -> JSON | None:
    """Why ``value`` cannot be an id (a 422 problem), or None if it can."""
    if len(value) < 1:
        return _problem("string_too_short", loc, "String should have at least 1 character", value)
    if len(value) > MAX_ID_LENGTH:
        msg = f"String should have at most {MAX_ID_LENGTH} characters"
        return _problem("string_too_long", loc, msg, value)
    if not value.strip():  # the SDK's rule (recallrai._validation.identifier): str.strip()
        return _problem("value_error", loc, "Value error, must not be blank", value)
    if not _CONTROL.isdisjoint(value):
        msg = f"String should match pattern '{ID_PATTERN}'"
        return _problem("string_pattern_mismatch", loc, msg, value)
    try:
        value.encode()
    except UnicodeEncodeError:
        return _problem("string_unicode", loc, "Input should be a valid string", value)
    return None


def json_depth(value: Any) -> int:
    """How deep arrays and objects nest in ``value`` (a scalar is 0, ``{}`` is 1)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            pending.extend(
                (child, depth) for child in (item.values() if isinstance(item, dict) else item)
            )
    return deepest


def compact_size(value: Any) -> int:
    """Bytes of ``value`` as compact UTF-8 JSON (how the bounds measure metadata)."""
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


@dataclass(frozen=True)
class LocalRequest:
    """One HTTP request as the adapters hand it to the app."""

    method: str
    path: str  # raw, still percent-encoded, no query string
    query: list[tuple[str, str]]  # decoded pairs, in order; repeated keys repeat
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""


@dataclass
class LocalResponse:
    """One HTTP response; ``stream`` (SSE) yields complete ``data: ...\\n\\n`` events."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    stream: Iterator[bytes] | None = None


def json_response(
    status: int, payload: Any, headers: Collection[tuple[str, str]] = ()
) -> LocalResponse:
    """A JSON response (``204`` gets no body)."""
    if status == 204:
        return LocalResponse(204, list(headers))
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return LocalResponse(status, [("content-type", "application/json"), *headers], body)


def error_response(status: int, detail: Any, **extra: Any) -> LocalResponse:
    """An error response ``{"detail": ..., **extra}``."""
    return json_response(status, {"detail": detail, **extra})


def not_found_page() -> LocalResponse:
    """The gateway's answer for a route that does not exist."""
    return LocalResponse(
        404, [("content-type", "text/plain; charset=utf-8")], b"404 page not found"
    )


class HTTPError(Exception):
    """Raised by handlers to answer with an error response."""

    def __init__(self, status: int, detail: Any, **extra: Any) -> None:
        super().__init__(status, detail)
        self.response = error_response(status, detail, **extra)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number out of range: {text}")
    return value


MAX_JSON_DEPTH = 200
"""JSON with more arrays and objects inside each other than this is refused as invalid."""


def _loads_json(raw: str | bytes) -> Any:
    """JSON the server can store and write back; ``ValueError`` otherwise.

    Python's ``json`` also accepts ``NaN`` and ``Infinity`` (not JSON), numbers that
    overflow a double (``1e999``, read as infinity) and lone surrogates (``"\\ud800"``),
    and raises RecursionError on deep nesting; each would turn into a 500 or a reply that
    is not JSON.
    """
    try:
        value = json.loads(raw, parse_constant=_no_constant, parse_float=_finite)
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise ValueError("JSON nested too deeply")
            if isinstance(item, dict):
                for key in item:
                    _check_text(key)
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return value


def _check_text(text: str) -> None:
    try:
        text.encode()
    except UnicodeEncodeError as exc:  # a lone surrogate, from a \\ud800 escape
        raise ValueError("lone surrogate in a string") from exc


MAX_ECHO_CHARS = 100
"""A 422 echoes at most this much of the rejected input (then "…")."""


def echo(value: Any) -> Any:
    """``value`` as a 422 shows it: as is when short, else an excerpt of its text.

    A string keeps its first MAX_ECHO_CHARS characters; an object or array whose compact
    JSON is longer than that is shown as the start of that JSON text.
    """
    if isinstance(value, str):
        return value if len(value) <= MAX_ECHO_CHARS else value[:MAX_ECHO_CHARS] + "…"
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return value if len(text) <= MAX_ECHO_CHARS else text[:MAX_ECHO_CHARS] + "…"
    return value


def _problem(kind: str, loc: list[str | int], msg: str, value: Any) -> JSON:
    return {"type": kind, "loc": loc, "msg": msg, "input": echo(value)}


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Log an unexpected failure as one line; the traceback only when logging at INFO.

    The server logs at WARNING unless ``--verbose``: a failure then is one line on stderr,
    never a bare traceback; ``--verbose`` (INFO) keeps the traceback for debugging.
    """
    reason = str(exc)
    if len(reason) > 200:
        reason = reason[:200] + "…"
    trace = exc if log.isEnabledFor(logging.INFO) else None
    log.error("%s: %s: %s", what, type(exc).__name__, reason, exc_info=trace)


def loads_json(raw: str | bytes) -> Any:
    """Parse JSON as the API does (depth-limited, finite numbers); ``ValueError`` otherwise."""
    return _loads_json(raw)


def api_key_problem(key: object) -> str | None:
    """Why ``key`` cannot be one of a server's API keys, or None if it can.

    A key must be sendable as an HTTP header value as is (visible ASCII, no spaces:
    servers strip or refuse anything else) and start with ``rai_`` (the SDK refuses
    other keys). The key itself is never part of the reason.
    """
    if not isinstance(key, str):
        return f"an API key must be a string, not {type(key).__name__}"
    if not key:
        return "an API key must not be empty"
    if not all("\x21" <= c <= "\x7e" for c in key):
        return (
            "an API key may hold only visible ASCII characters (no spaces or control"
            " characters), so that it can be sent in an HTTP header as is"
        )
    if not key.startswith("rai_"):
        return "an API key must start with 'rai_' (the RecallrAI SDK refuses other keys)"
    return None


def _options_text(choices: Collection[str]) -> str:
    quoted = [f"'{c}'" for c in choices]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class _Checker:
    """Collects validation problems; ``done()`` raises the 422 if there are any."""

    def __init__(self) -> None:
        self.problems: list[JSON] = []

    def fail(self, kind: str, loc: list[str | int], msg: str, value: Any) -> None:
        self.problems.append(_problem(kind, loc, msg, value))

    def bounds(
        self, loc: list[str | int], value: float, ge: float | None, le: float | None
    ) -> bool:
        if ge is not None and value < ge:
            self.fail(
                "greater_than_equal", loc, f"Input should be greater than or equal to {ge}", value
            )
            return False
        if le is not None and value > le:
            self.fail("less_than_equal", loc, f"Input should be less than or equal to {le}", value)
            return False
        return True

    def done(self) -> None:
        if self.problems:
            raise HTTPError(422, self.problems)

    def sized(self, loc: list[str | int], value: JSON, max_bytes: int) -> JSON | None:
        """``value`` if it is within a metadata object's size and depth, else a problem."""
        size = compact_size(value)
        if size > max_bytes:
            msg = f"Value error, at most {max_bytes} bytes as compact JSON, got {size}"
            self.fail("value_error", loc, msg, value)
            return None
        depth = json_depth(value)
        if depth > MAX_METADATA_DEPTH:
            msg = f"Value error, nested at most {MAX_METADATA_DEPTH} levels deep, got {depth}"
            self.fail("value_error", loc, msg, value)
            return None
        return value

    def long_text(self, loc: list[str | int], value: str, max_length: int) -> bool:
        if len(value) > max_length:
            msg = f"String should have at most {max_length} character{'s' * (max_length != 1)}"
            self.fail("string_too_long", loc, msg, value)
            return False
        return True


_TRUE = {"true", "1", "yes", "on", "t", "y"}
_FALSE = {"false", "0", "no", "off", "f", "n"}


class Query(_Checker):
    """Typed access to query parameters; the last of repeated scalar keys wins."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__()
        self._pairs = pairs

    def _raw(self, name: str) -> str | None:
        found = [v for k, v in self._pairs if k == name]
        return found[-1] if found else None

    def integer(
        self,
        name: str,
        default: int | None,
        ge: int | None = None,
        le: int | None = None,
        *,
        required: bool = False,
    ) -> int | None:
        raw = self._raw(name)
        if raw is None:
            if required:
                self.fail("missing", ["query", name], "Field required", None)
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            msg = "Input should be a valid integer, unable to parse string as an integer"
            self.fail("int_parsing", ["query", name], msg, raw)
            return default
        return value if self.bounds(["query", name], value, ge, le) else default

    def number(self, name: str, default: float, ge: float, le: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw.strip())
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            msg = "Input should be a valid number, unable to parse string as a number"
            self.fail("float_parsing", ["query", name], msg, raw)
            return default
        return value if self.bounds(["query", name], value, ge, le) else default

    def flag(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.strip().lower() in _TRUE:
            return True
        if raw.strip().lower() in _FALSE:
            return False
        msg = "Input should be a valid boolean, unable to interpret input"
        self.fail("bool_parsing", ["query", name], msg, raw)
        return default

    def text(self, name: str, max_length: int = MAX_TEXT_LENGTH) -> str | None:
        raw = self._raw(name)
        if raw is not None and not self.long_text(["query", name], raw, max_length):
            return None
        return raw

    def offset(self) -> int:
        """The page ``offset``: 0..MAX_OFFSET (int32), 0 by default."""
        return self.integer("offset", 0, ge=0, le=MAX_OFFSET) or 0

    def ids(self, name: str) -> list[str]:
        """A repeated id parameter (each a valid id)."""
        values = self.many(name)
        for i, value in enumerate(values):
            problem = id_problem(["query", name, i], value)
            if problem is not None:
                self.problems.append(problem)
        return values

    def categories(self, name: str) -> list[str]:
        """A repeated category parameter: at most MAX_CATEGORIES, each 1..100 characters."""
        values = self.many(name)
        if len(values) > MAX_CATEGORIES:
            msg = f"List should have at most {MAX_CATEGORIES} items, not {len(values)}"
            self.fail("too_long", ["query", name], msg, values)
            return []
        for i, value in enumerate(values):
            if not value:
                msg = "String should have at least 1 character"
                self.fail("string_too_short", ["query", name, i], msg, value)
            else:
                self.long_text(["query", name, i], value, MAX_CATEGORY_LENGTH)
        return values

    def choice(self, name: str, choices: Collection[str], default: str | None) -> str | None:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw not in choices:
            self.fail("enum", ["query", name], f"Input should be {_options_text(choices)}", raw)
            return default
        return raw

    def many(self, name: str) -> list[str]:
        return [v for k, v in self._pairs if k == name]

    def choices(self, name: str, choices: Collection[str]) -> list[str]:
        values = self.many(name)
        for i, value in enumerate(values):
            if value not in choices:
                msg = f"Input should be {_options_text(choices)}"
                self.fail("enum", ["query", name, i], msg, value)
        return values

    def json_object(self, name: str) -> JSON | None:
        raw = self._raw(name)
        if raw is None:
            return None
        try:
            value = _loads_json(raw)
        except ValueError:
            self.fail("json_invalid", ["query", name], "Invalid JSON", raw)
            return None
        if not isinstance(value, dict):
            self.fail("dict_type", ["query", name], "Input should be a valid dictionary", raw)
            return None
        return self.sized(["query", name], value, MAX_FILTER_BYTES)


class Body(_Checker):
    """Typed access to the fields of a JSON object body."""

    def __init__(self, raw: bytes) -> None:
        super().__init__()
        self.fields: JSON = {}
        if not raw.strip():
            self.fail("missing", ["body"], "Field required", None)
            self.done()
        try:
            value = _loads_json(raw)
        except ValueError as exc:  # UnicodeDecodeError is a ValueError too
            self.fail("json_invalid", ["body", getattr(exc, "pos", 0)], "JSON decode error", {})
            self.done()
        if not isinstance(value, dict):
            msg = "Input should be a valid dictionary or object to extract fields from"
            self.fail("model_attributes_type", ["body"], msg, value)
            self.done()
        self.fields = value

    def has(self, name: str) -> bool:
        return name in self.fields

    def _missing(self, name: str) -> None:
        self.fail("missing", ["body", name], "Field required", self.fields)

    def text(
        self,
        name: str,
        *,
        required: bool = False,
        min_length: int = 0,
        max_length: int = MAX_TEXT_LENGTH,
    ) -> str | None:
        if name not in self.fields or (self.fields[name] is None and not required):
            if required:
                self._missing(name)
            return None
        value = self.fields[name]
        if not isinstance(value, str):
            self.fail("string_type", ["body", name], "Input should be a valid string", value)
            return None
        if len(value) < min_length:
            msg = f"String should have at least {min_length} character{'s' * (min_length != 1)}"
            self.fail("string_too_short", ["body", name], msg, value)
            return None
        if not self.long_text(["body", name], value, max_length):
            return None
        return value

    def identifier(self, name: str, *, required: bool = False) -> str | None:
        """An id field (1..255 characters, no control characters)."""
        value = self.text(name, required=required)
        if value is None:
            return None
        problem = id_problem(["body", name], value)
        if problem is not None:
            self.problems.append(problem)
            return None
        return value

    def metadata(self, name: str) -> JSON | None:
        """A metadata object field, within the size and depth bounds."""
        value = self.obj(name)
        return None if value is None else self.sized(["body", name], value, MAX_METADATA_BYTES)

    def choice(self, name: str, choices: Collection[str]) -> str | None:
        value = self.text(name, required=True)
        if value is not None and value not in choices:
            self.fail("enum", ["body", name], f"Input should be {_options_text(choices)}", value)
            return None
        return value

    def integer(self, name: str, default: int, ge: int | None = None, le: int | None = None) -> int:
        if name not in self.fields:
            return default
        value = self.fields[name]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("int_type", ["body", name], "Input should be a valid integer", value)
            return default
        return value if self.bounds(["body", name], value, ge, le) else default

    def obj(self, name: str) -> JSON | None:
        if name not in self.fields or self.fields[name] is None:
            return None
        value = self.fields[name]
        if not isinstance(value, dict):
            self.fail("dict_type", ["body", name], "Input should be a valid dictionary", value)
            return None
        return value

    def optional_flag(self, name: str) -> bool | None:
        value = self.fields.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.fail("bool_type", ["body", name], "Input should be a valid boolean", value)
        return None

    def time(self, name: str) -> datetime | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return parse_time(value)
        except ValueError:
            msg = "Input should be a valid datetime"
            self.fail("datetime_from_date_parsing", ["body", name], msg, value)
            return None
