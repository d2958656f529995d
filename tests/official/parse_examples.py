"""Feed the spec's examples to the official RecallrAI SDK 0.6.6's own parsing code.

Run by tests/test_spec.py with the official SDK's isolated interpreter (never ours). Reads
a JSON list of ``{"id", "parser", "value"}`` on stdin and prints a JSON object mapping each
id to ``{"ok": true, "got": ...}`` or ``{"ok": false, "error": "..."}``.

Each parser is the code path 0.6.6 itself runs on a response of that operation (its
``from_api_response`` class methods, its pydantic models, or the method that reads the
response through a stub HTTP client), so the verdict is the official SDK's, not ours.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
from recallrai.utils import HTTPClient

import recallrai
from recallrai.exceptions import InvalidCategoriesError, RecallrAIError
from recallrai.merge_conflict import MergeConflict
from recallrai.models import (
    ContextResponse,
    MergeConflictAnswer,
    MergeConflictList,
    MergeConflictModel,
    MergeConflictStatus,
    SessionList,
    SessionMessagesList,
    SessionModel,
    SessionStatus,
    UserList,
    UserMemoriesList,
    UserMemoryItem,
    UserMessagesList,
    UserModel,
)
from recallrai.session import Session
from recallrai.user import User

NOW = datetime(2025, 1, 1, tzinfo=UTC)


class StubHTTP:
    """Answers every call with one canned response (for code that reads a response)."""

    def __init__(self, status: int, body: Any = None, lines: list[str] | None = None) -> None:
        self.response = httpx.Response(status, json=body)
        self.lines = lines or []

    def get(self, path: str, params: Any = None, data: Any = None) -> httpx.Response:
        return self.response

    post = put = delete = get

    def stream(self, path: str, params: Any = None) -> Iterator[str]:
        yield from self.lines


def _http() -> HTTPClient:  # never used to send: the list parsers only store it
    return HTTPClient(api_key="rai_unused", project_id="p", base_url="http://127.0.0.1:9")


def _user(http: Any) -> User:
    model = UserModel(user_id="u", metadata={}, created_at=NOW, last_active_at=NOW)
    return User(http, model)


def _raised(call: Callable[[], Any]) -> str:
    try:
        call()
    except RecallrAIError as exc:
        return type(exc).__name__
    raise AssertionError("no error raised")


def invalid_categories(value: Any) -> Any:
    def call() -> Any:
        return _user(StubHTTP(400, value)).list_memories(categories=["x"])

    try:
        call()
    except InvalidCategoriesError as exc:
        return {"error": type(exc).__name__, "invalid_categories": exc.invalid_categories}
    raise AssertionError("no InvalidCategoriesError")


def resolve_error(value: Any) -> Any:
    conflict = MergeConflictModel(
        id="c",
        project_user_session_id="s",
        conflicting_memories=[],
        clarifying_questions=[],
        status=MergeConflictStatus.PENDING,
        created_at=NOW,
    )
    target = MergeConflict(StubHTTP(400, value), "u", conflict)
    return _raised(lambda: target.resolve([MergeConflictAnswer(question="q", answer="a")]))


def stream(value: Any) -> Any:
    model = SessionModel(session_id="s", status=SessionStatus.PENDING, created_at=NOW)
    session = Session(StubHTTP(200, lines=value.splitlines()), "u", model)
    events = list(session.get_context_stream(include_system_prompt=False))
    return [event.is_final for event in events]


def answers(value: Any) -> Any:
    return [MergeConflictAnswer(**qa).model_dump() for qa in value["answers"]["question_answers"]]


def system_prompt(value: Any) -> Any:
    prompt = value["system_prompt"]  # what get_cached_system_prompt reads
    assert isinstance(prompt, str)
    return len(prompt)


def acknowledgement(value: Any) -> Any:
    # addMessage / processSession: 0.6.6 only checks that the body is JSON.
    return json.loads(json.dumps(value)) is not None


PARSERS: dict[str, Callable[[Any], Any]] = {
    "User": lambda v: UserModel.from_api_response(v).model_dump(mode="json"),
    "UserList": lambda v: UserList.from_api_response(v, _http()).total,
    "Session": lambda v: SessionModel.from_api_response(v).model_dump(mode="json"),
    "SessionList": lambda v: SessionList.from_api_response(v, "u", _http()).total,
    "MessageList": lambda v: SessionMessagesList.from_api_response(v).model_dump(mode="json"),
    "LastMessages": lambda v: UserMessagesList.from_api_response(v).model_dump(mode="json"),
    "Memory": lambda v: UserMemoryItem(**v).model_dump(mode="json"),
    "MemoryList": lambda v: UserMemoriesList.from_api_response(v).model_dump(mode="json"),
    "Context": lambda v: ContextResponse.from_api_response(v).model_dump(mode="json"),
    "MergeConflict": lambda v: MergeConflictModel.from_api_response(v).model_dump(mode="json"),
    "MergeConflictList": lambda v: MergeConflictList.from_api_response(v, "u", _http()).total,
    "SystemPrompt": system_prompt,
    "MessageAccepted": acknowledgement,
    "ProcessAccepted": acknowledgement,
    "InvalidCategoriesError": invalid_categories,
    "ResolveError": resolve_error,
    "ResolveMergeConflictRequest": answers,
    "ContextStream": stream,
}


def main() -> None:
    results: dict[str, Any] = {}
    for item in json.load(sys.stdin):
        try:
            got = PARSERS[item["parser"]](item["value"])
            results[item["id"]] = {"ok": True, "got": got}
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(exc)).strip()
            results[item["id"]] = {"ok": False, "error": detail}
    json.dump({"version": recallrai.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
