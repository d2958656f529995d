"""Pytest fixtures for testing your own code against a local RecallrAI server.

Enable them in your ``conftest.py``::

    pytest_plugins = ["recallrai.local.pytest_plugin"]

then ask for them by name::

    def test_bot_remembers(recallrai_local):
        client = recallrai_local.client          # a RecallrAI on a fresh in-memory server
        user = client.create_user("alice")
        recallrai_local.faults.fail_next(1, 503) # the next request fails; retries recover
        recallrai_local.advance(600)             # move the server's clock

``recallrai_local_server`` is a started loopback HTTP server instead (``.url``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .testing import LocalEnv, local_client, local_http_server

if TYPE_CHECKING:
    from recallrai import RecallrAI

    from ._http import LocalServer


@pytest.fixture
def recallrai_local() -> Iterator[LocalEnv[RecallrAI]]:
    """A ``RecallrAI`` client on a fresh in-memory local server (manual clock)."""
    with local_client() as env:
        yield env


@pytest.fixture
def recallrai_local_server() -> Iterator[LocalServer]:
    """A started loopback ``LocalServer`` on a fresh in-memory app."""
    with local_http_server() as server:
        yield server
