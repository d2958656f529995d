"""``User`` and ``AsyncUser``. The async one loads on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._sync.user import User

if TYPE_CHECKING:
    from ._async.user import AsyncUser

__all__ = ["AsyncUser", "User"]


def __getattr__(name: str) -> Any:
    if name == "AsyncUser":
        from ._async.user import AsyncUser

        return AsyncUser
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
