"""Pages of list results; iterate a page to walk every item across pages.

Sync: ``Page``, ``UserList``, ``SessionList``, ``MessageList``, ``MemoryList``,
``MergeConflictList``; the same names prefixed with ``Async`` load on first use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._sync.pagination import (
    MemoryList,
    MergeConflictList,
    MessageList,
    Page,
    SessionList,
    UserList,
)

if TYPE_CHECKING:
    from ._async.pagination import (
        AsyncMemoryList,
        AsyncMergeConflictList,
        AsyncMessageList,
        AsyncPage,
        AsyncSessionList,
        AsyncUserList,
    )

__all__ = [
    "AsyncMemoryList",
    "AsyncMergeConflictList",
    "AsyncMessageList",
    "AsyncPage",
    "AsyncSessionList",
    "AsyncUserList",
    "MemoryList",
    "MergeConflictList",
    "MessageList",
    "Page",
    "SessionList",
    "UserList",
]


def __getattr__(name: str) -> Any:
    if name.startswith("Async") and name in __all__:
        return getattr(importlib.import_module("recallrai._async.pagination"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
