"""Drive the sync and the async SDK the same way, so each test is written once.

``run(x)`` returns ``x`` for the sync flavour and awaits the coroutine ``x`` for the
async one; ``collect(it)`` lists an iterable or async iterable. An async flavour keeps
one event loop (an ``asyncio.Runner``) for the whole test, because an
``httpx.AsyncClient``'s connections belong to the loop that opened them.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterable, Iterable
from typing import Any


class Flavour:
    """The sync or async way of calling the SDK, for one test."""

    def __init__(self, mode: str) -> None:
        assert mode in ("sync", "async"), mode
        self.mode = mode
        self.is_async = mode == "async"
        self._runner = asyncio.Runner() if self.is_async else None

    def run(self, value: Any) -> Any:
        """A sync call's result as is; an async call's coroutine awaited on this test's loop."""
        if self._runner is None:
            assert not inspect.isawaitable(value), "the sync client returned an awaitable"
            return value
        assert inspect.isawaitable(value), f"the async client returned {value!r}, not an awaitable"

        async def wait() -> Any:
            return await value

        return self._runner.run(wait())

    def collect(self, iterable: Iterable[Any] | AsyncIterable[Any]) -> list[Any]:
        """Every item of a page (across pages) or an event stream."""
        if self._runner is None:
            assert isinstance(iterable, Iterable), f"not iterable: {iterable!r}"
            return list(iterable)
        assert isinstance(iterable, AsyncIterable), f"not async-iterable: {iterable!r}"

        async def gather() -> list[Any]:
            return [item async for item in iterable]

        return self._runner.run(gather())

    def close(self, closable: Any) -> None:
        """``close()`` a sync client or ``aclose()`` an async one."""
        self.run(closable.aclose() if self.is_async else closable.close())

    def close_loop(self) -> None:
        if self._runner is not None:
            self._runner.close()
