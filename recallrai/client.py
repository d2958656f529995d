"""The clients: ``RecallrAI`` (sync) and ``AsyncRecallrAI``. The async one loads on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._sync.client import RecallrAI

if TYPE_CHECKING:
    from ._async.client import AsyncRecallrAI

__all__ = ["AsyncRecallrAI", "RecallrAI"]


def __getattr__(name: str) -> Any:
    if name == "AsyncRecallrAI":
        from ._async.client import AsyncRecallrAI

        return AsyncRecallrAI
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
