"""Checks of user input, made before anything is sent; failures raise ``ValidationError``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import Enum
from typing import Any, TypeVar

from .exceptions import ValidationError

E = TypeVar("E", bound=Enum)


def identifier(name: str, value: object) -> str:
    """A non-empty id string."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValidationError(f"{name} must not be empty")
    return value


def text(name: str, value: object) -> str:
    """A string (may be empty)."""
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, not {type(value).__name__}")
    return value


def integer(name: str, value: object, low: int, high: int | None = None) -> int:
    """An int within ``low..high`` (bools are not ints here)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{name} must be an integer, not {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise ValidationError(f"{name} must be {bounds}, not {value}")
    return value


def number(name: str, value: object, low: float, high: float) -> float:
    """A float within ``low..high``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{name} must be a number, not {value!r}")
    if not low <= value <= high:
        raise ValidationError(f"{name} must be between {low} and {high}, not {value}")
    return float(value)


def flag(name: str, value: object) -> bool:
    """A bool."""
    if not isinstance(value, bool):
        raise ValidationError(f"{name} must be True or False, not {value!r}")
    return value


def metadata(name: str, value: object) -> dict[str, Any]:
    """A JSON-serialisable mapping with string keys."""
    if not isinstance(value, Mapping):
        raise ValidationError(f"{name} must be a dict, not {type(value).__name__}")
    try:
        json.dumps(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(f"{name} must be JSON-serialisable: {error}") from None
    if not all(isinstance(key, str) for key in value):
        raise ValidationError(f"{name} keys must be strings")
    return dict(value)


def json_filter(name: str, value: object) -> str | None:
    """An object filter, JSON-encoded for the query string."""
    if value is None:
        return None
    return json.dumps(metadata(name, value), separators=(",", ":"), sort_keys=True)


def member(enum: type[E], name: str, value: object) -> E:
    """A known member of ``enum``, given as the member or its wire value."""
    for candidate in enum.__members__.values():
        if value is candidate or value == candidate.value:
            return candidate
    allowed = ", ".join(sorted({str(m.value) for m in enum.__members__.values()}))
    raise ValidationError(f"{name} must be one of {allowed}, not {value!r}")


def members(enum: type[E], name: str, values: object) -> list[E]:
    """A list of known members (a single value is not accepted as a list)."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(f"{name} must be a list, not {type(values).__name__}")
    return [member(enum, name, value) for value in values]


def strings(name: str, values: object) -> list[str]:
    """A list of non-empty strings."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValidationError(f"{name} must be a list of strings, not {type(values).__name__}")
    return [identifier(name, value) for value in values]


def utc_datetime(name: str, value: object) -> datetime:
    """An aware datetime in UTC (offset zero)."""
    if not isinstance(value, datetime):
        raise ValidationError(f"{name} must be a datetime, not {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(f"{name} must be timezone-aware (UTC); got a naive datetime")
    if value.utcoffset() != timedelta(0):
        raise ValidationError(f"{name} must be in UTC; got offset {value.utcoffset()}")
    return value
