"""Merge conflicts: list, get, resolve (answers checked against the questions); their JSON."""

from __future__ import annotations

import json
from typing import Any

from recallrai.local import _versioning as versioning
from recallrai.local._call import Call, page
from recallrai.local._store import Row
from recallrai.local._wire import (
    JSON,
    MAX_TEXT_LENGTH,
    Body,
    HTTPError,
    LocalResponse,
    json_response,
)

__all__ = [
    "CONFLICT_STATUSES",
    "conflict_json",
    "get_conflict",
    "list_conflicts",
    "resolve_conflict",
]

CONFLICT_STATUSES = ("PENDING", "IN_QUEUE", "RESOLVING", "RESOLVED", "FAILED")


def _created_memory(conflict: Row) -> bool:
    """The conflict is resolved and its resolution stored its proposed memory."""
    if conflict["status"] != "RESOLVED" or conflict["resolution_data"] is None:
        return False
    return bool(json.loads(conflict["resolution_data"]).get("applied") != "kept_existing_memory")


def conflict_json(row: Row) -> JSON:
    conflict: JSON = {
        "id": row["conflict_id"],
        "project_user_session_id": row["session_id"],
        "proposed_memory_content": row["proposed_memory_content"],
        # What the resolution created: nothing before it, nothing if it kept the old memory.
        "new_memories": json.loads(row["new_memories"]) if _created_memory(row) else None,
        "conflicting_memories": json.loads(row["conflicting_memories"]),
        "clarifying_questions": json.loads(row["clarifying_questions"]),
        "status": row["status"],
        "created_at": row["created_at"],
    }
    if row["resolution_data"] is not None:
        conflict["resolution_data"] = json.loads(row["resolution_data"])
    if row["resolved_at"] is not None:
        conflict["resolved_at"] = row["resolved_at"]
    return conflict


def list_conflicts(call: Call) -> LocalResponse:
    query = call.query()
    offset = query.offset()
    limit = query.integer("limit", 10, ge=1, le=100) or 10
    status = query.choice("status", CONFLICT_STATUSES, None)
    sort_by = query.choice("sort_by", ("created_at", "resolved_at"), "created_at")
    sort_order = query.choice("sort_order", ("asc", "desc"), "desc")
    query.done()
    with call.store.reading():
        user = call.user()
        rows, total = call.store.conflicts(
            user["pk"], offset, limit, status, sort_by or "created_at", sort_order or "desc"
        )
    return json_response(200, page("conflicts", [conflict_json(r) for r in rows], offset, total))


def get_conflict(call: Call) -> LocalResponse:
    with call.store.reading():
        return json_response(200, conflict_json(call.conflict(call.user())))


def resolve_conflict(call: Call) -> LocalResponse:
    answers = _parse_answers(call.body())
    store = call.store
    with store.transaction():
        conflict = call.conflict(call.user())
        choice = _check_answers(conflict, answers)
        versioning.resolve_conflict(store, conflict, choice, answers, call.stamp)
        row = store.conflict_by_pk(conflict["pk"])
    assert row is not None
    return json_response(200, conflict_json(row))


def _parse_answers(body: Body) -> list[dict[str, str]]:
    """The ``answers.question_answers`` list of a resolve body, shape-checked (422)."""
    answers = body.obj("answers")
    if answers is None and not body.problems:
        body.fail("missing", ["body", "answers"], "Field required", body.fields)
    items: Any = (answers or {}).get("question_answers")
    base: list[str | int] = ["body", "answers", "question_answers"]
    if answers is not None and not isinstance(items, list):
        kind, msg = (
            ("missing", "Field required")
            if items is None
            else ("list_type", "Input should be a valid list")
        )
        body.fail(kind, base, msg, items)
    parsed: list[dict[str, str]] = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            body.fail("model_type", [*base, i], "Input should be a valid dictionary", item)
            continue
        entry: dict[str, str] = {}
        for name in ("question", "answer", "message"):
            value = item.get(name)
            if value is None:
                if name != "message":
                    body.fail("missing", [*base, i, name], "Field required", item)
            elif not isinstance(value, str):
                body.fail("string_type", [*base, i, name], "Input should be a valid string", value)
            elif body.long_text([*base, i, name], value, MAX_TEXT_LENGTH):
                entry[name] = value
        parsed.append(entry)
    body.done()
    return parsed


def _check_answers(conflict: Row, answers: list[dict[str, str]]) -> str:
    """Validate answers against the conflict's questions (400s); return the first choice."""
    if conflict["status"] != "PENDING":
        raise HTTPError(400, "Merge conflict already resolved", error_code="already_resolved")
    questions = {q["question"]: q["options"] for q in json.loads(conflict["clarifying_questions"])}
    given = {a["question"]: a["answer"] for a in answers}
    invalid = [q for q in given if q not in questions]
    if invalid:
        raise HTTPError(
            400,
            f"Invalid questions provided: {invalid}",
            error_code="invalid_questions",
            invalid_questions=invalid,
        )
    missing = [q for q in questions if q not in given]
    if missing:
        raise HTTPError(
            400,
            f"Missing answers for the following questions: {missing}",
            error_code="missing_answers",
            missing_questions=missing,
        )
    for question, answer in given.items():
        options = questions[question]
        if answer not in options:
            raise HTTPError(
                400,
                f"Invalid answer '{answer}' for question '{question}'. Valid options: {options}",
                error_code="invalid_answer",
                question=question,
                answer=answer,
                valid_options=options,
            )
    return given[next(iter(questions))]
