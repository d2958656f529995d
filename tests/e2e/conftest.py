"""Clients of both flavours on a fresh in-process local server, one per test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from typing import Any

import pytest
from flavours import Flavour

from recallrai.local.testing import LocalEnv, async_local_client, local_client


class LocalFlavour(Flavour):
    """A client of one flavour on its own in-memory local server."""

    def __init__(self, mode: str) -> None:
        super().__init__(mode)
        self._sync_cm: AbstractContextManager[LocalEnv[Any]] | None = None
        self._async_cm: AbstractAsyncContextManager[LocalEnv[Any]] | None = None
        if self.is_async:
            self._async_cm = async_local_client()
            self.env = self.run(self._async_cm.__aenter__())
        else:
            self._sync_cm = local_client()
            self.env = self._sync_cm.__enter__()
        self.client: Any = self.env.client

    def finish(self) -> None:
        try:
            if self._sync_cm is not None:
                self._sync_cm.__exit__(None, None, None)
            if self._async_cm is not None:
                self.run(self._async_cm.__aexit__(None, None, None))
        finally:
            self.close_loop()


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> Iterator[LocalFlavour]:
    harness = LocalFlavour(request.param)
    try:
        yield harness
    finally:
        harness.finish()
