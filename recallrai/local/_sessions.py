"""Sessions and their messages: create, list, get, update, delete, add messages, process."""

from __future__ import annotations

import json
import uuid

from recallrai.local import _versioning as versioning
from recallrai.local._call import Call, filter_text, page
from recallrai.local._clock import format_time
from recallrai.local._store import Row, metadata_matches
from recallrai.local._wire import (
    JSON,
    MAX_AUTO_PROCESS_SECONDS,
    MAX_MESSAGE_LENGTH,
    MIN_AUTO_PROCESS_SECONDS,
    HTTPError,
    LocalResponse,
    json_response,
)

__all__ = [
    "SESSION_STATUSES",
    "add_message",
    "create_session",
    "delete_session",
    "get_session",
    "last_messages",
    "list_sessions",
    "process_session",
    "session_json",
    "session_messages",
    "update_session",
]

SESSION_STATUSES = ("pending", "processing", "processed", "failed", "insufficient_balance")
ROLES = ("user", "assistant")


def session_json(row: Row) -> JSON:
    return {
        "session_id": row["session_id"],
        "status": row["status"],
        "created_at": row["created_at"],
        "metadata": json.loads(row["metadata"]),
    }


def create_session(call: Call) -> LocalResponse:
    body = call.body(allow_empty=True)
    auto = body.integer(
        "auto_process_after_seconds",
        MIN_AUTO_PROCESS_SECONDS,
        ge=MIN_AUTO_PROCESS_SECONDS,
        le=MAX_AUTO_PROCESS_SECONDS,
    )
    metadata = body.metadata("metadata") or {}
    created = body.time("custom_created_at_utc")
    body.done()
    session_id = str(uuid.uuid4())
    created_at = format_time(created) if created is not None else call.stamp
    store = call.store
    with store.transaction():
        user = call.user()
        deadline = call.now.timestamp() + auto
        store.add_session(session_id, user["pk"], json.dumps(metadata), created_at, auto, deadline)
        store.update_user(user["pk"], last_active_at=call.stamp)
        row = store.session(user["pk"], session_id)
    assert row is not None
    return json_response(201, session_json(row))


def list_sessions(call: Call) -> LocalResponse:
    query = call.query()
    offset = query.offset()
    limit = query.integer("limit", 10, ge=1, le=100) or 10
    wanted = query.json_object("metadata_filter")
    user_wanted = query.json_object("user_metadata_filter")
    statuses = query.choices("status_filter", SESSION_STATUSES)
    query.done()
    with call.store.reading():
        user = call.user()
        if user_wanted is not None and not metadata_matches(
            user["metadata"], json.dumps(user_wanted)
        ):
            return json_response(200, page("sessions", [], offset, 0))
        rows, total = call.store.sessions(user["pk"], offset, limit, filter_text(wanted), statuses)
    return json_response(200, page("sessions", [session_json(r) for r in rows], offset, total))


def get_session(call: Call) -> LocalResponse:
    with call.store.reading():
        return json_response(200, session_json(call.session(call.user())))


def update_session(call: Call) -> LocalResponse:
    body = call.body()
    metadata = body.metadata("new_metadata")
    body.done()
    store = call.store
    with store.transaction():
        session = call.session(call.user())
        if metadata is not None:
            store.update_session(session["pk"], metadata=json.dumps(metadata))
        row = store.session_by_pk(session["pk"])
    assert row is not None
    return json_response(200, session_json(row))


def delete_session(call: Call) -> LocalResponse:
    with call.store.transaction():
        versioning.delete_session(call.store, call.session(call.user()))
    return json_response(204, None)


def add_message(call: Call) -> LocalResponse:
    body = call.body()
    message = body.text("message", required=True, min_length=1, max_length=MAX_MESSAGE_LENGTH)
    role = body.choice("role", ROLES)
    body.done()
    assert message is not None and role is not None
    store = call.store
    with store.transaction():
        user = call.user()
        session = call.session(user)
        if session["status"] != "pending":
            raise HTTPError(400, f"Cannot add message to session in {session['status']} state")
        store.add_message(session["pk"], user["pk"], role, message, call.stamp)
        deadline = call.now.timestamp() + session["auto_process_after_seconds"]
        store.update_session(session["pk"], idle_deadline=deadline)
        store.update_user(user["pk"], last_active_at=call.stamp)
    return json_response(200, {"message": "Message added successfully"})


def process_session(call: Call) -> LocalResponse:
    with call.store.transaction():
        session = call.session(call.user())
        status = session["status"]
        if status == "processing":
            raise HTTPError(400, "Session is already processing")
        if status != "pending":
            raise HTTPError(400, f"Cannot process session in {status} state")
        call.store.update_session(session["pk"], status="processing")
    call.wake()
    return json_response(200, {"message": "Session processing started"})


def session_messages(call: Call) -> LocalResponse:
    query = call.query()
    offset = query.offset()
    limit = query.integer("limit", 50, ge=1, le=200) or 50
    query.done()
    with call.store.reading():
        session = call.session(call.user())
        rows, total = call.store.messages(session["pk"], offset, limit)
    items = [
        {"role": r["role"], "content": r["content"], "timestamp": r["timestamp"]} for r in rows
    ]
    return json_response(200, page("messages", items, offset, total))


def last_messages(call: Call) -> LocalResponse:
    query = call.query()
    limit = query.integer("limit", 10, ge=1, le=100) or 10  # 0.6.6 documents 10
    query.done()
    rows = call.store.last_messages_of_user(call.user()["pk"], limit)
    items = [
        {
            "role": r["role"],
            "content": r["content"],
            "timestamp": r["timestamp"],
            "session_id": r["session_id"],
        }
        for r in rows
    ]
    return json_response(200, {"messages": items})
