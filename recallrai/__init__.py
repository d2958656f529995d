"""RecallrAI: contextual memory for AI assistants.

    from recallrai import RecallrAI         # sync client
    from recallrai import AsyncRecallrAI    # async client

Names load on first use, so ``import recallrai`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from ._async.client import AsyncRecallrAI
    from ._sync.client import RecallrAI

__all__ = ["AsyncRecallrAI", "RecallrAI", "__version__"]

_LAZY = {
    "RecallrAI": "recallrai._sync.client",
    "AsyncRecallrAI": "recallrai._async.client",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'recallrai' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
