"""The state each x-codeSamples entry of the spec runs against, and how to point it there.

A sample is written for readers: the production URL, the spec's example ids (`user123`,
the example session, memory and conflict ids) and its example answer. `prepare` builds, on
a running server, what the sample's operation needs (a fresh user, a session with
messages, a processed session's memory, a pending merge conflict) and returns the text
substitutions that point the sample at it. Used by tests/test_code_samples.py (curl and
Python) and tests/generators/run_ts_samples.py (TypeScript, from scripts/check-spec).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import yaml

from recallrai import RecallrAI
from recallrai.models import MessageRole

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "recallrai.yaml"
PRODUCTION = "https://api.recallrai.com"
USER, RENAMED = "user123", "john_doe"
SESSION = "6f1c2a9e-3b7d-4e52-9a1f-0c8d7e6b5a43"
MEMORY = "9b2e4c1d-7a35-4f08-b6e2-5d1c3a9f8e70"
CONFLICT = "3d9f7b21-5c6e-4a80-9e12-7b4c2d1f0a98"
QUESTION, ANSWER = "Where does the user live now?", '"Paris"'
API_KEY, PROJECT_ID = "rai_code_samples", "code-samples"
NEEDS_SESSION = {"getSession", "updateSession", "deleteSession", "addMessage", "getContext",
                 "processSession", "listSessionMessages", "getLastMessages"}  # fmt: skip
NEEDS_MEMORY = {"listMemories", "getMemory", "deleteMemory"}
NEEDS_CONFLICT = {"listMergeConflicts", "getMergeConflict", "resolveMergeConflict"}


def samples() -> list[tuple[str, str, str]]:
    """(operationId, lang, source) for every x-codeSamples entry, in spec order."""
    spec = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    found = []
    for item in spec["paths"].values():
        for op in item.values():
            if isinstance(op, dict) and "operationId" in op:
                for sample in op.get("x-codeSamples", []):
                    found.append((op["operationId"], sample["lang"], sample["source"]))
    return found


def client(base_url: str) -> RecallrAI:
    return RecallrAI(api_key=API_KEY, project_id=PROJECT_ID, base_url=base_url)


def _processed(session: Any) -> None:
    session.process()
    deadline = time.monotonic() + 20
    while session.status.value == "processing" or session.status.value == "pending":
        if time.monotonic() > deadline:
            raise TimeoutError(f"session {session.session_id} still {session.status}")
        time.sleep(0.05)
        session.refresh()


def prepare(api: RecallrAI, op_id: str, tag: str, base_url: str) -> dict[str, str]:
    """Make what `op_id`'s sample needs; return {text in the sample: replacement}."""
    user_id = f"sample-{tag}"
    subs = {PRODUCTION: base_url.rstrip("/"), f'"{USER}"': json.dumps(user_id),
            f"/{USER}/": f"/{user_id}/", f"/{USER} ": f"/{user_id} ",
            f'"{RENAMED}"': json.dumps(f"renamed-{tag}")}  # fmt: skip
    if op_id == "createUser":
        return subs
    conflicts = op_id in NEEDS_CONFLICT
    user = api.create_user(user_id, metadata={"name": "John Doe"}, merge_conflict_enabled=conflicts)
    if op_id in NEEDS_SESSION:
        session = user.create_session(metadata={"type": "chat"})
        session.add_message(role=MessageRole.USER, content="Hi! I live in Berlin.")
        session.add_message(role=MessageRole.ASSISTANT, content="Noted.")
        subs[SESSION] = session.session_id
    if op_id in NEEDS_MEMORY or conflicts:
        first = user.create_session()
        first.add_message(role=MessageRole.USER, content="I live in Berlin.")
        _processed(first)
        memory = next(m for m in user.list_memories() if "Berlin" in m.content)
        subs[MEMORY] = memory.memory_id
    if conflicts:
        second = user.create_session()
        second.add_message(role=MessageRole.USER, content="I live in Paris now.")
        _processed(second)
        conflict = next(iter(user.list_merge_conflicts()))
        question = conflict.clarifying_questions[0]
        subs[CONFLICT] = conflict.conflict_id
        subs[QUESTION] = json.dumps(question.question)[1:-1]
        subs[ANSWER] = json.dumps(question.options[0])
    return subs


def apply(source: str, subs: dict[str, str]) -> str:
    for old, new in subs.items():
        source = source.replace(old, new)
    return source
