"""Clients of both flavours on a fresh in-process local server, one per test."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any

import pytest

from recallrai.local.testing import LocalEnv, async_local_client, local_client


class Flavour:
    """A client on a local server, and ``run``/``collect`` that hide sync vs async."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self._runner = asyncio.Runner() if mode == "async" else None
        self._sync_cm: AbstractContextManager[LocalEnv[Any]] | None = None
        self._async_cm: AbstractAsyncContextManager[LocalEnv[Any]] | None = None
        if self._runner is None:
            self._sync_cm = local_client()
            self.env = self._sync_cm.__enter__()
        else:
            self._async_cm = async_local_client()
            self.env = self._runner.run(self._async_cm.__aenter__())
        self.client: Any = self.env.client

    def run(self, value: Any) -> Any:
        if self._runner is None:
            return value
        assert asyncio.iscoroutine(value), f"expected a coroutine, got {value!r}"
        return self._runner.run(value)

    def collect(self, iterable: Iterable[Any] | AsyncIterable[Any]) -> list[Any]:
        if self._runner is None:
            assert isinstance(iterable, Iterable)
            return list(iterable)
        assert isinstance(iterable, AsyncIterable)

        async def gather() -> list[Any]:
            return [item async for item in iterable]

        return self._runner.run(gather())

    def close(self) -> None:
        if self._sync_cm is not None:
            self._sync_cm.__exit__(None, None, None)
        if self._async_cm is not None and self._runner is not None:
            try:
                self._runner.run(self._async_cm.__aexit__(None, None, None))
            finally:
                self._runner.close()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[Flavour]:
    harness = Flavour(request.param)
    try:
        yield harness
    finally:
        harness.close()
