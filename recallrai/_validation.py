"""Checks of user input, made before anything is sent; failures raise ``ValidationError``.

Every message names the argument and the rule it broke, and shows at most a short
excerpt of the value. The limits are the project's agreed bounds (the spec's
``maxLength``/``maximum``, the local server's 422s), kept in ``BOUNDS`` by argument
name, so a check applies them wherever that argument is checked.
"""

from __future__ import annotations

import json
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any, Final, TypeVar

from .exceptions import ValidationError

E = TypeVar("E", bound=Enum)

INT32_MAX: Final = 2_147_483_647
ID_MAX: Final = 255
METADATA_MAX_BYTES: Final = 65_536
FILTER_MAX_BYTES: Final = 4_096
JSON_MAX_DEPTH: Final = 32
FREE_TEXT_MAX: Final = 10_000
LIST_MAX_ITEMS: Final = 100


@dataclass(frozen=True, slots=True)
class Bounds:
    """Limits of one argument: string length, integer range, list size, JSON size."""

    min_length: int = 1
    max_length: int = ID_MAX
    low: int = 0
    high: int = INT32_MAX
    max_items: int = LIST_MAX_ITEMS
    max_bytes: int = METADATA_MAX_BYTES


_ID = Bounds()
_FILTER = Bounds(max_bytes=FILTER_MAX_BYTES)
_FREE_TEXT = Bounds(min_length=0, max_length=FREE_TEXT_MAX)

BOUNDS: Final[Mapping[str, Bounds]] = {
    "content": Bounds(min_length=1, max_length=1_000_000),
    "timezone": Bounds(max_length=64),
    "question": _FREE_TEXT,
    "answer": _FREE_TEXT,
    "message": _FREE_TEXT,
    "categories": Bounds(max_length=100),
    "session_id_filter": _ID,
    "auto_process_after_seconds": Bounds(low=600, high=31_536_000),
    "metadata_filter": _FILTER,
    "user_metadata_filter": _FILTER,
    "session_metadata_filter": _FILTER,
}
"""Arguments whose limits differ from an id's (1..255 characters) or a metadata object's."""

_DEFAULT = Bounds()
_repr = reprlib.Repr()
_repr.maxstring = 40
_repr.maxother = 40


def show(value: object) -> str:
    """A short, safe rendering of a value for an error message."""
    try:
        return _repr.repr(value)
    except Exception:  # a hostile __repr__ must not hide the real problem
        return f"<{type(value).__name__}>"


def _bounds(name: str) -> Bounds:
    return BOUNDS.get(name, _DEFAULT)


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _control_at(value: str) -> int:
    """The index of the first control character (U+0000-U+001F, U+007F), or -1."""
    found = _CONTROL.search(value)
    return -1 if found is None else found.start()


def _encodable(name: str, value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValidationError(
            f"{name} must be valid Unicode text; it has a lone surrogate "
            f"(U+{ord(value[error.start]):04X}) at position {error.start}"
        ) from None


def _length(name: str, value: str, bounds: Bounds) -> None:
    if not bounds.min_length <= len(value) <= bounds.max_length:
        raise ValidationError(
            f"{name} must be {bounds.min_length} to {bounds.max_length:,} characters long, "
            f"not {len(value):,}"
        )


def identifier(name: str, value: object) -> str:
    """An id: 1..255 characters (or the argument's bound), not blank, no control characters."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValidationError(f"{name} must not be empty")
    _length(name, value, _bounds(name))
    where = _control_at(value)
    if where >= 0:
        raise ValidationError(
            f"{name} must not contain control characters; "
            f"found U+{ord(value[where]):04X} at position {where}"
        )
    _encodable(name, value)
    return value


def text(name: str, value: object) -> str:
    """A string within its argument's length bound (free text: up to 10,000 characters)."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    _length(name, value, BOUNDS.get(name, _FREE_TEXT))
    _encodable(name, value)
    return value


def integer(name: str, value: object, low: int, high: int | None = None) -> int:
    """An int within ``low..high``; no ``high`` means the argument's bound (at most int32)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, not {show(value)}")
    if high is None:
        bounds = _bounds(name)
        low, high = max(low, bounds.low), bounds.high
    if not low <= value <= high:
        shown = str(value) if value.bit_length() < 64 else "a larger number"
        raise ValidationError(f"{name} must be between {low:,} and {high:,}, not {shown}")
    return value


def number(name: str, value: object, low: float, high: float) -> float:
    """A finite float within ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{name} must be a number, not {show(value)}")
    try:
        within = low <= value <= high
    except OverflowError:  # an int too large for a float
        within = False
    if not within:  # NaN is never within
        raise ValidationError(f"{name} must be between {low} and {high}, not {show(value)}")
    return float(value)


def flag(name: str, value: object) -> bool:
    """A bool."""
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be True or False, not {show(value)}")
    return value


_Path = tuple[Any, Any] | None  # (parent path, key or index): built cheaply, shown on error


def _render(path: _Path) -> str:
    """``['a'][0]['b']`` for a path, shortened at the front when long."""
    parts: list[str] = []
    while path is not None:
        path, step = path
        parts.append(f"[{step}]" if isinstance(step, int) else f"[{show(step)}]")
    text = "".join(reversed(parts)) or "the top"
    return text if len(text) <= 80 else "…" + text[-80:]


def _json_problem(value: object, max_depth: int, max_bytes: int) -> str | None:
    """What makes ``value`` not plain JSON within ``max_depth`` nesting, or ``None``.

    Walks the value with an explicit stack, so that deep nesting cannot exhaust the
    interpreter's recursion limit, and stops at the first problem. Every value takes
    at least one byte of JSON, so a walk past ``max_bytes`` values has found one too
    large (a list repeating itself, say) without serialising it.
    """
    pending: list[tuple[object, int, _Path]] = [(value, 1, None)]
    visited = 0
    while pending:
        visited += 1
        if visited > max_bytes:
            return f"more than {max_bytes:,} values, more than {max_bytes:,} bytes as JSON"
        item, depth, path = pending.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                return f"a string with a lone surrogate at {_render(path)}"
        elif item is None or isinstance(item, bool | int):
            continue
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"{item} (not a JSON number) at {_render(path)}"
        elif isinstance(item, dict | list | tuple):
            if depth > max_depth:
                return f"nesting deeper than {max_depth} levels at {_render(path)}"
            if isinstance(item, dict):
                for key, child in item.items():
                    if not isinstance(key, str):
                        return f"a key that is not a string ({show(key)}) at {_render(path)}"
                    try:
                        key.encode("utf-8")
                    except UnicodeEncodeError:
                        return f"a key with a lone surrogate at {_render(path)}"
                    pending.append((child, depth + 1, (path, key)))
            else:
                pending.extend(
                    (child, depth + 1, (path, index)) for index, child in enumerate(item)
                )
        else:
            return f"a {type(item).__name__} at {_render(path)}, which is not a JSON value"
    return None


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _json_object(name: str, value: object, max_bytes: int) -> tuple[dict[str, Any], str]:
    if not isinstance(value, Mapping):
        raise ValidationError(f"{name} must be a dict, not {type(value).__name__}")
    body = dict(value)
    problem = _json_problem(body, JSON_MAX_DEPTH, max_bytes)
    if problem is not None:
        raise ValidationError(f"{name} must be a JSON object; it has {problem}")
    try:
        encoded = _compact(body)
    except (TypeError, ValueError) as error:  # e.g. an int too long to print
        raise ValidationError(f"{name} must be JSON-serialisable: {error}") from None
    size = len(encoded.encode("utf-8"))
    if size > max_bytes:
        raise ValidationError(
            f"{name} must be at most {max_bytes:,} bytes as compact JSON, not {size:,}"
        )
    return body, encoded


def metadata(name: str, value: object) -> dict[str, Any]:
    """A JSON object: string keys, nesting depth <= 32, <= 65,536 bytes as compact JSON."""
    return _json_object(name, value, _bounds(name).max_bytes)[0]


def json_filter(name: str, value: object) -> str | None:
    """An object filter, JSON-encoded for the query string (<= 4,096 bytes)."""
    if value is None:
        return None
    body, _ = _json_object(name, value, BOUNDS.get(name, _FILTER).max_bytes)
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


@cache
def _choices(enum: type[Enum]) -> tuple[dict[str, Any], str, frozenset[Any]]:
    """Every spelling of ``enum``'s members (values and names, case-insensitively),
    the listing for messages, and the members themselves."""
    index: dict[str, Any] = {}
    for member_name, candidate in enum.__members__.items():
        index.setdefault(str(candidate.value).casefold(), candidate)
        index.setdefault(member_name.casefold(), candidate)
    known = frozenset(enum.__members__.values())
    return index, _listing(enum.__members__.values()), known


def _listing(values: Iterable[Any]) -> str:
    seen = dict.fromkeys(str(getattr(v, "value", v)) for v in values)
    return ", ".join(repr(v) for v in seen)


def _pick(name: str, value: object, index: Mapping[str, Any], allowed: str) -> Any:
    if isinstance(value, str):
        found = index.get(value.casefold())
        if found is not None:
            return found
    raise ValidationError(f"{name} must be one of {allowed}, not {show(value)}")


def member(enum: type[E], name: str, value: object) -> E:
    """A member of ``enum``: the member itself, or its value or name in any case.

    ``"deep"`` is ``RecallStrategy.DEEP``, ``"pending"`` is ``MergeConflictStatus.PENDING``.
    """
    index, allowed, known = _choices(enum)
    if isinstance(value, enum) and value in known:  # not a pseudo-member from the wire
        return value
    result: E = _pick(name, value, index, allowed)
    return result


def choice(name: str, value: object, options: tuple[str, ...]) -> str:
    """One of ``options``, in any case (for string options that have no enum)."""
    return str(_pick(name, value, {o.casefold(): o for o in options}, _listing(options)))


def members(enum: type[E], name: str, values: object) -> list[E]:
    """A list of known members (a single value is not accepted as a list)."""
    items = _list(name, values)
    return [member(enum, name, value) for value in items]


def _list(name: str, values: object) -> list[Any]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(f"{name} must be a list, not {type(values).__name__}")
    items = list(values)
    limit = _bounds(name).max_items
    if len(items) > limit:
        raise ValidationError(f"{name} must have at most {limit} items, not {len(items):,}")
    return items


def strings(name: str, values: object) -> list[str]:
    """A list of at most 100 strings, each within the argument's bounds."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(f"{name} must be a list of strings, not {type(values).__name__}")
    return [identifier(name, value) for value in _list(name, values)]


def utc_datetime(name: str, value: object) -> datetime:
    """An aware datetime in UTC (offset zero)."""
    if not isinstance(value, datetime):
        raise ValidationError(f"{name} must be a datetime, not {type(value).__name__}")
    try:
        offset = value.utcoffset()
    except (TypeError, ValueError) as error:  # a tzinfo that answers nonsense
        raise ValidationError(f"{name} has an invalid time zone: {error}") from None
    if offset is None:
        raise ValidationError(f"{name} must be timezone-aware (UTC); got a naive datetime")
    if offset != timedelta(0):
        raise ValidationError(f"{name} must be in UTC; got offset {offset}")
    return value
