"""``MergeConflict`` and ``AsyncMergeConflict``. The async one loads on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._sync.merge_conflict import MergeConflict

if TYPE_CHECKING:
    from ._async.merge_conflict import AsyncMergeConflict

__all__ = ["AsyncMergeConflict", "MergeConflict"]


def __getattr__(name: str) -> Any:
    if name == "AsyncMergeConflict":
        from ._async.merge_conflict import AsyncMergeConflict

        return AsyncMergeConflict
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
