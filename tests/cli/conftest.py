"""The command line, run as a real process against the local server in another process.

`server` starts `python -m recallrai.local serve --port 0` once per module and reads
the address from the line it prints. Every test gets its own project id (the server
partitions data by project), so tests share a server without seeing each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from cli_support import Env, start_server, stop_server


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    process, url = start_server("--merge-conflicts")
    try:
        yield url
    finally:
        stop_server(process)


@pytest.fixture
def env(server: str) -> Env:
    return Env(server, f"cli-{uuid.uuid4().hex[:12]}")
