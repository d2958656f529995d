"""The official RecallrAI SDK 0.6.6, unmodified, runs its README flow against our server.

``python -m recallrai.local serve`` is started as its own process on a free loopback port
(real HTTP, the command a user types); ``driver.py`` runs in an isolated venv holding the
official ``recallrai==0.6.6`` (see ``official_venv.py``) and does every README call, sync
and async. Evidence that nobody here wrote: if our server sends a shape the official
pydantic models reject, or an error the official SDK maps to the wrong exception, it fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from official.official_venv import run_official

API_KEY = "rai_official_sdk_flow"
STEPS = [
    "wrong key -> AuthenticationError",
    "create_user, duplicate -> UserAlreadyExistsError",
    "get_user, missing -> UserNotFoundError",
    "update (metadata, id), refresh",
    "list_users with metadata_filter",
    "create/get/update/refresh/list sessions, missing -> SessionNotFoundError",
    "add_message (user, assistant), get_messages, get_last_n_messages",
    "get_context (defaults, tuned, auto without prompt), get_context_stream",
    "process -> processed; process/add_message again -> InvalidSessionStateError",
    "list_memories (filters, InvalidCategoriesError), get_memory, event dates set",
    "list_merge_conflicts, get_merge_conflict, missing -> MergeConflictNotFoundError",
    "resolve: invalid answer / invalid question / missing answers errors",
    "resolve (message), stale resolve -> MergeConflictAlreadyResolvedError, refresh",
    "versions after resolution: previous_versions, MERGE_CONFLICT, get_memory(old id)",
    "delete_memory(delete_previous_versions=True), then 404",
    "session.delete, user.delete, then not found",
]


@pytest.fixture(scope="module")
def served_url() -> Iterator[str]:
    """``python -m recallrai.local serve`` on a free port, stopped (SIGTERM) afterwards."""
    server = subprocess.Popen(
        [sys.executable, "-m", "recallrai.local", "serve", "--port", "0", "--api-key", API_KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert "listening on http://127.0.0.1:" in line, line + server.stderr.read()
        yield line.rsplit(" ", 1)[1].strip()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_official_sdk_readme_flow_sync_and_async(served_url: str) -> None:
    result = run_official("driver.py", served_url, API_KEY)
    assert result.returncode == 0, (
        f"the official SDK 0.6.6 failed against the local server\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert "/.cache/" in summary["sdk"] or "official" in summary["sdk"], summary["sdk"]
    assert summary["steps"] == {"sync": STEPS, "async": STEPS}
