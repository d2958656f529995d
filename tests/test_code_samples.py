"""Every curl and Python x-codeSamples entry of the spec runs against the local server.

The server is `python -m recallrai.local serve` in a subprocess on 127.0.0.1; curl is the
real curl binary. The TypeScript samples are compiled and run by scripts/check-spec
(tests/generators/run_ts_samples.py). See tests/generators/sample_world.py for how a
sample written for readers is pointed at the state it needs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from generators import sample_world as world

SAMPLES = world.samples()
OPERATIONS = {op for op, _, _ in SAMPLES}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "recallrai.local", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=world.ROOT,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        found = re.search(r"listening on (http://127\.0\.0\.1:\d+)", line)
        assert found, f"the local server did not start: {line!r}"
        yield found[1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_every_operation_has_curl_python_and_typescript() -> None:
    langs: dict[str, list[str]] = {}
    for op, lang, _ in SAMPLES:
        langs.setdefault(op, []).append(lang)
    assert len(langs) == 22
    assert all(v == ["shell", "python", "typescript"] for v in langs.values()), langs


CASES = [(op, lang, src) for op, lang, src in SAMPLES if lang in ("shell", "python")]


@pytest.mark.parametrize(
    ("op_id", "lang", "source"), CASES, ids=[f"{o}-{la}" for o, la, _ in CASES]
)
def test_sample_runs(server: str, op_id: str, lang: str, source: str) -> None:
    with world.client(server) as api:
        subs = world.prepare(api, op_id, f"{lang}-{op_id}", server)
    code = world.apply(source, subs)
    assert world.PRODUCTION not in code and "user123" not in code
    env = {**os.environ, "RECALLRAI_API_KEY": world.API_KEY,
           "RECALLRAI_PROJECT_ID": world.PROJECT_ID, "RECALLRAI_BASE_URL": server}  # fmt: skip
    if lang == "shell":
        if shutil.which("curl") is None:
            pytest.skip("curl is not installed")
        # --fail-with-body: an HTTP error fails the sample; -sS: quiet unless it fails
        code = code.replace(
            "curl ",
            "curl --fail-with-body -sS ",
        )
        result = subprocess.run(["bash", "-euo", "pipefail", "-c", code], env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
    else:
        result = subprocess.run([sys.executable, "-c", code], env=env,
                                capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, f"{op_id} {lang} sample failed:\n{code}\n{result.stderr}"
    with world.client(server) as api:
        _check_effect(api, op_id, subs)


def _check_effect(api: world.RecallrAI, op_id: str, subs: dict[str, str]) -> None:
    """The sample did what it says, seen through the SDK."""
    user_id = subs['"user123"'].strip('"')
    if op_id == "createUser":
        assert api.get_user(user_id).metadata == {"name": "John Doe"}
    elif op_id == "updateUser":
        assert api.get_user(subs['"john_doe"'].strip('"')).metadata["role"] == "admin"
    elif op_id == "deleteUser":
        assert user_id not in [u.user_id for u in api.list_users()]
    elif op_id == "addMessage":
        session = api.get_user(user_id).get_session(subs[world.SESSION])
        assert "Hi! I live in Berlin." in [m.content for m in session.get_messages()]
    elif op_id == "resolveMergeConflict":
        conflict = api.get_user(user_id).get_merge_conflict(subs[world.CONFLICT])
        assert conflict.status.value == "RESOLVED"
    elif op_id == "deleteMemory":
        assert not list(api.get_user(user_id).list_memories())


def test_streamed_context_events_match_context_event(server: str) -> None:
    """The local server's SSE answer is framed as x-event-stream says, each event a ContextEvent."""
    import httpx
    import yaml
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    spec = yaml.safe_load(world.SPEC.read_text(encoding="utf-8"))
    media = spec["paths"]["/api/v1/users/{user_id}/sessions/{session_id}/context"]["get"][
        "responses"
    ]["200"]["content"]["text/event-stream"]
    pointer = media["x-event-stream"]["data"]["$ref"]
    assert pointer == "#/components/schemas/ContextEvent"
    registry: Registry[Any] = Registry().with_resource("spec", DRAFT202012.create_resource(spec))
    validator = Draft202012Validator({"$ref": f"spec{pointer}"}, registry=registry)
    assert not validator.is_valid({"is_final": True, "context": 3})  # the check can fail
    assert not validator.is_valid({"status_update_message": "no is_final"})
    with world.client(server) as api:
        subs = world.prepare(api, "getContext", "stream", server)
    url = f"{server}/api/v1/users/{subs['/user123/'].strip('/')}/sessions/{subs[world.SESSION]}"
    headers = {"X-Recallr-Api-Key": world.API_KEY, "X-Recallr-Project-Id": world.PROJECT_ID}
    for strategy in ("low_latency", "agentic"):
        reply = httpx.get(f"{url}/context", params={"stream": "true",
                          "recall_strategy": strategy}, headers=headers)  # fmt: skip
        assert reply.status_code == 200
        assert reply.headers["content-type"].startswith("text/event-stream")
        blocks = reply.text.split("\n\n")
        assert blocks[-1] == "", "the stream ends with a blank line after its last event"
        events = []
        for block in blocks[:-1]:
            assert block.startswith("data: ") and "\n" not in block, block  # one data: line
            events.append(json.loads(block.removeprefix("data: ")))
        for event in events:
            validator.validate(event)
        assert [e["is_final"] for e in events] == [False] * (len(events) - 1) + [True]
        assert events[-1]["context"] and len(events) >= 2
