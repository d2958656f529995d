"""Pages of list results, and iteration over every item across pages.

A page keeps the README's shape (``.users``/``.sessions``/…, ``.total``, ``.has_more``).
Iterating a page itself walks every item from it onward, fetching one page at a
time, so memory stays flat. Iteration ends on ``has_more == false``, on an empty
page, or when the offset passes ``total``, so a misbehaving server cannot make it
loop forever.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from ..models import MemoryItem, Message

if TYPE_CHECKING:
    from .merge_conflict import AsyncMergeConflict
    from .session import AsyncSession
    from .user import AsyncUser

T = TypeVar("T")


class AsyncPage(Generic[T]):
    """One page of a list, able to fetch the next ones."""

    def __init__(
        self,
        data: list[T],
        *,
        total: int,
        has_more: bool,
        offset: int,
        fetch: Callable[[int], Awaitable[AsyncPage[T]]],
    ) -> None:
        self.data = data
        self.total = total
        self.has_more = has_more
        self.offset = offset
        self._fetch = fetch

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(offset={self.offset}, count={len(self.data)}, "
            f"total={self.total}, has_more={self.has_more})"
        )

    def __len__(self) -> int:
        return len(self.data)

    def has_next_page(self) -> bool:
        """Whether another page may follow, by what the server said and what it sent."""
        next_offset = self.offset + len(self.data)
        return self.has_more and bool(self.data) and next_offset < self.total

    async def next_page(self) -> AsyncPage[T] | None:
        """The next page, or ``None`` after the last one."""
        if not self.has_next_page():
            return None
        return await self._fetch(self.offset + len(self.data))

    async def __aiter__(self) -> AsyncIterator[T]:
        page: AsyncPage[T] | None = self
        del self  # let each page go once walked: memory stays flat however long the list
        while page is not None:
            for item in page.data:
                yield item
            page = await page.next_page()


class AsyncUserList(AsyncPage["AsyncUser"]):
    """A page of users."""

    @property
    def users(self) -> list[AsyncUser]:
        return self.data


class AsyncSessionList(AsyncPage["AsyncSession"]):
    """A page of a user's sessions."""

    @property
    def sessions(self) -> list[AsyncSession]:
        return self.data


class AsyncMessageList(AsyncPage[Message]):
    """A page of a session's messages."""

    @property
    def messages(self) -> list[Message]:
        return self.data


class AsyncMemoryList(AsyncPage[MemoryItem]):
    """A page of a user's memories."""

    @property
    def items(self) -> list[MemoryItem]:
        return self.data


class AsyncMergeConflictList(AsyncPage["AsyncMergeConflict"]):
    """A page of a user's merge conflicts."""

    @property
    def conflicts(self) -> list[AsyncMergeConflict]:
        return self.data
