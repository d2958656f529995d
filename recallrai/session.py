"""``Session`` and ``AsyncSession``. The async one loads on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._sync.session import Session

if TYPE_CHECKING:
    from ._async.session import AsyncSession

__all__ = ["AsyncSession", "Session"]


def __getattr__(name: str) -> Any:
    if name == "AsyncSession":
        from ._async.session import AsyncSession

        return AsyncSession
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
