# Derived from recallrai/_async by scripts/unasync. Do not edit: edit the async source.
"""Pages of list results, and iteration over every item across pages.

A page keeps the README's shape (``.users``/``.sessions``/…, ``.total``, ``.has_more``).
Iterating a page itself walks every item from it onward, fetching one page at a
time, so memory stays flat. Iteration ends on ``has_more == false``, on an empty
page, or when the offset passes ``total``, so a misbehaving server cannot make it
loop forever.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

from ..models import MemoryItem, Message

if TYPE_CHECKING:
    from .merge_conflict import MergeConflict
    from .session import Session
    from .user import User

T = TypeVar("T")


class Page(Generic[T]):
    """One page of a list, able to fetch the next ones."""

    def __init__(
        self,
        data: list[T],
        *,
        total: int,
        has_more: bool,
        offset: int,
        fetch: Callable[[int], Page[T]],
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

    def next_page(self) -> Page[T] | None:
        """The next page, or ``None`` after the last one."""
        if not self.has_next_page():
            return None
        return self._fetch(self.offset + len(self.data))

    def __iter__(self) -> Iterator[T]:
        page: Page[T] | None = self
        del self  # let each page go once walked: memory stays flat however long the list
        while page is not None:
            for item in page.data:
                yield item
            page = page.next_page()


class UserList(Page["User"]):
    """A page of users."""

    @property
    def users(self) -> list[User]:
        return self.data


class SessionList(Page["Session"]):
    """A page of a user's sessions."""

    @property
    def sessions(self) -> list[Session]:
        return self.data


class MessageList(Page[Message]):
    """A page of a session's messages."""

    @property
    def messages(self) -> list[Message]:
        return self.data


class MemoryList(Page[MemoryItem]):
    """A page of a user's memories."""

    @property
    def items(self) -> list[MemoryItem]:
        return self.data


class MergeConflictList(Page["MergeConflict"]):
    """A page of a user's merge conflicts."""

    @property
    def conflicts(self) -> list[MergeConflict]:
        return self.data
