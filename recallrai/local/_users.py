"""Users: create, list, get, update, delete; and the user JSON shape."""

from __future__ import annotations

import json

from recallrai.local._call import Call, filter_text, page
from recallrai.local._store import Row
from recallrai.local._wire import JSON, HTTPError, LocalResponse, json_response

__all__ = ["create_user", "delete_user", "get_user", "list_users", "update_user", "user_json"]


def user_json(row: Row) -> JSON:
    flag = row["merge_conflict_enabled"]
    return {
        "custom_user_id": row["custom_user_id"],
        "metadata": json.loads(row["metadata"]),
        "merge_conflict_enabled": None if flag is None else bool(flag),
        "created_at": row["created_at"],
        "last_active_at": row["last_active_at"],
    }


def create_user(call: Call) -> LocalResponse:
    body = call.body()
    custom_id = body.identifier("custom_user_id", required=True)
    metadata = body.metadata("metadata") or {}
    merge = body.optional_flag("merge_conflict_enabled")
    body.done()
    assert custom_id is not None
    store = call.store
    with store.transaction():
        if store.user(call.project, custom_id) is not None:
            raise HTTPError(409, f"User with id {custom_id} already exists")
        pk = store.add_user(call.project, custom_id, json.dumps(metadata), merge, call.stamp)
        row = store.user_by_pk(pk)
    assert row is not None
    return json_response(201, user_json(row))


def list_users(call: Call) -> LocalResponse:
    query = call.query()
    offset = query.offset()
    limit = query.integer("limit", 10, ge=1, le=100) or 10
    wanted = query.json_object("metadata_filter")
    query.done()
    rows, total = call.store.users(call.project, offset, limit, filter_text(wanted))
    return json_response(200, page("users", [user_json(r) for r in rows], offset, total))


def get_user(call: Call) -> LocalResponse:
    return json_response(200, user_json(call.user()))


def update_user(call: Call) -> LocalResponse:
    body = call.body()
    metadata = body.metadata("new_metadata")
    new_id = body.identifier("new_custom_user_id")
    merge = body.optional_flag("merge_conflict_enabled")
    body.done()
    changes: dict[str, object] = {}
    if metadata is not None:
        changes["metadata"] = json.dumps(metadata)
    if body.has("merge_conflict_enabled"):
        changes["merge_conflict_enabled"] = merge
    store = call.store
    with store.transaction():
        user = call.user()
        if new_id is not None and new_id != user["custom_user_id"]:
            if store.user(call.project, new_id) is not None:
                raise HTTPError(409, f"User with id {new_id} already exists")
            changes["custom_user_id"] = new_id
        store.update_user(user["pk"], **changes)
        row = store.user_by_pk(user["pk"])
    assert row is not None
    return json_response(200, user_json(row))


def delete_user(call: Call) -> LocalResponse:
    with call.store.transaction():
        call.store.delete_user(call.user()["pk"])
    return json_response(204, None)
