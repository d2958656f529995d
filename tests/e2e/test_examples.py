"""The programs in examples/ run as a user would run them, against the local server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from recallrai.local.testing import local_http_server

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    with local_http_server() as server:
        yield server.url


def run(*args: str, cwd: Path = EXAMPLES, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RECALLRAI_")}
    result = subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.parametrize("own_server", [True, False], ids=["RECALLRAI_BASE_URL", "in-process"])
def test_chat_with_memory_recalls_across_sessions(server_url: str, own_server: bool) -> None:
    env = {"RECALLRAI_BASE_URL": server_url} if own_server else {}
    out = run("chat_with_memory.py", **env).splitlines()
    assert out == ["assistant: Noted!", "assistant: From what I remember: User lives in Lisbon."]


def test_async_web_handler_serves_requests(server_url: str) -> None:
    out = run("async_web_handler.py", RECALLRAI_BASE_URL=server_url).splitlines()
    assert out[0].startswith("200 ")
    assert out[1] == "200 same session: True"
    assert out[2].startswith("400 ")


def test_the_example_test_suite_passes() -> None:
    # Only the plugin its conftest names: the dev venv's other pytest plugins stay out.
    out = run("-m", "pytest", "-q", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    assert "10 passed" in out
