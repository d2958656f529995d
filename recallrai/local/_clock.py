"""Time source of the local server: real time by default, manual in tests."""

from __future__ import annotations

import math
import threading
from datetime import UTC, datetime, timedelta

__all__ = ["MAX_ADVANCE_SECONDS", "Clock", "ManualClock", "format_time", "parse_time"]

MAX_ADVANCE_SECONDS = 10 * 365 * 24 * 3600
"""The farthest a `ManualClock` moves in one step: ten years."""


def _as_utc(dt: datetime) -> datetime:
    """Return ``dt`` as an aware UTC datetime (a naive one is taken to be UTC)."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def format_time(dt: datetime) -> str:
    """Render a time the way the wire carries it: ISO 8601, UTC, with offset."""
    return _as_utc(dt).isoformat(timespec="microseconds")


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time (``Z`` allowed, naive means UTC); ValueError if malformed."""
    return _as_utc(datetime.fromisoformat(text))


class Clock:
    """The current time, read from the system clock."""

    def now(self) -> datetime:
        """Return the current time, aware, in UTC."""
        return datetime.now(UTC)


class ManualClock(Clock):
    """A clock that only moves when told to, for deterministic tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._now = _as_utc(start) if start is not None else datetime.now(UTC)

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds`` (0 to ten years); ValueError otherwise."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float):
            raise ValueError("seconds must be a number")
        if not (math.isfinite(seconds) and 0 <= seconds <= MAX_ADVANCE_SECONDS):
            raise ValueError(
                f"seconds must be a finite number from 0 to {MAX_ADVANCE_SECONDS} (ten years):"
                " the clock only moves forward"
            )
        with self._lock:
            try:
                self._now += timedelta(seconds=seconds)
            except OverflowError:
                raise ValueError("the clock cannot move past the year 9999") from None

    def set(self, dt: datetime) -> None:
        """Jump the clock forward to ``dt``; ValueError if that is earlier than now."""
        target = _as_utc(dt)
        with self._lock:
            if target < self._now:
                raise ValueError("the clock only moves forward")
            self._now = target
