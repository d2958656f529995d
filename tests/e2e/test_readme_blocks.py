"""Every ```python block of README.md runs, in order, against a local HTTP server.

A block that needs something this machine cannot have (the hosted API) is marked with
`<!-- readme-test: skip <reason> -->` on the line before it, and is reported as skipped.
Blocks share one namespace, as a reader's session would; `test_*` functions that a block
defines are called too.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from recallrai.local.testing import local_http_server

README = Path(__file__).resolve().parents[2] / "README.md"
SKIP = re.compile(r"<!--\s*readme-test:\s*skip\s*(?P<reason>.*?)\s*-->")
FENCE = re.compile(r"^```python[^\n]*\n(?P<code>.*?)^```", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[int, str, str | None]]:
    """(line number, code, skip reason) for each python block."""
    text = README.read_text()
    found = []
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        before = text[: match.start()].rstrip().splitlines()
        skip = SKIP.fullmatch(before[-1].strip()) if before else None
        found.append((line, match["code"], skip["reason"] if skip else None))
    return found


BLOCKS = blocks()


@pytest.fixture(scope="module")
def namespace() -> Iterator[dict[str, Any]]:
    with local_http_server() as server, pytest.MonkeyPatch.context() as env:
        env.setenv("RECALLRAI_BASE_URL", server.url)
        env.setenv("RECALLRAI_API_KEY", "rai_...")  # the placeholders the blocks use
        env.setenv("RECALLRAI_PROJECT_ID", "project-uuid")
        env.delenv("RECALLRAI_LOG", raising=False)
        yield {"__name__": "readme"}


def test_the_readme_has_python_blocks() -> None:
    assert len([b for b in BLOCKS if b[2] is None]) >= 4


@pytest.mark.parametrize(("line", "code", "skip"), BLOCKS, ids=[f"line{b[0]}" for b in BLOCKS])
def test_readme_block_runs(
    namespace: dict[str, Any], line: int, code: str, skip: str | None
) -> None:
    if skip is not None:
        pytest.skip(f"README.md:{line} needs {skip}")
    before = set(namespace)
    compiled = compile(code, f"README.md:{line}", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    if compiled.co_flags & inspect.CO_COROUTINE:
        asyncio.run(eval(compiled, namespace))
    else:
        exec(compiled, namespace)
    for name in sorted(set(namespace) - before):
        if name.startswith("test_") and callable(namespace[name]):
            namespace[name]()
