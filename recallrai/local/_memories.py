"""Memories: list (filtered, paged), get (by any version's id), delete; the memory JSON shape."""

from __future__ import annotations

import json
from itertools import pairwise

from recallrai.local import _versioning as versioning
from recallrai.local._call import Call, filter_text, page
from recallrai.local._extract import CATEGORIES
from recallrai.local._store import Row, Store
from recallrai.local._wire import JSON, HTTPError, LocalResponse, json_response

__all__ = ["delete_memory", "get_memory", "list_memories", "memory_json"]


def _version_json(row: Row, successor: Row) -> JSON:
    """A previous version; it was expired when ``successor`` was written after it."""
    version: JSON = {
        "memory_id": row["memory_id"],
        "version_number": row["version_number"],
        "content": row["content"],
        "event_date_start": row["event_date_start"] or row["created_at"],
        "event_date_end": row["event_date_end"] or row["created_at"],
        "created_at": row["created_at"],
        "expired_at": row["expired_at"] or successor["created_at"],
        "expiration_reason": row["expiration_reason"] or "NEW_INFORMATION",
    }
    if version["expiration_reason"] == "MERGE_CONFLICT" and successor["conflict_id"]:
        # The conflict that expired this version is the one that wrote its successor.
        version["merge_conflict_id"] = successor["conflict_id"]
    return version


def memory_json(store: Store, lineage_pk: int, previous: bool, connected: bool) -> JSON:
    """A lineage as the API shows a memory: its head, and optionally its history and links."""
    lineage = store.lineage(lineage_pk)
    versions = store.versions(lineage_pk)
    assert lineage is not None and versions
    head = versions[-1]
    conflict = None
    if lineage["conflict_pk"] is not None:
        conflict = store.conflict_by_pk(lineage["conflict_pk"])
    in_progress = conflict is not None and conflict["status"] == "PENDING"
    memory: JSON = {
        "memory_id": head["memory_id"],
        "categories": json.loads(lineage["categories"]),
        "content": head["content"],
        # Versions written before event dates were kept have none: they hold from creation.
        "event_date_start": head["event_date_start"] or head["created_at"],
        "event_date_end": head["event_date_end"] or head["created_at"],
        "created_at": head["created_at"],
        "version_number": head["version_number"],
        "total_versions": len(versions),
        "has_previous_versions": len(versions) > 1,
        "merge_conflict_in_progress": in_progress,
        "session_id": head["session_id"],
    }
    if head["expired_at"] is not None:
        memory["expired_at"] = head["expired_at"]
        memory["expiration_reason"] = head["expiration_reason"]
    if previous:
        memory["previous_versions"] = [_version_json(v, after) for v, after in pairwise(versions)]
    if connected:
        memory["connected_memories"] = [
            {"memory_id": v["memory_id"], "content": v["content"]}
            for v in store.linked_heads(lineage_pk)
        ]
    return memory


def list_memories(call: Call) -> LocalResponse:
    query = call.query()
    offset = query.offset()
    limit = query.integer("limit", 20, ge=1, le=200) or 20
    categories = query.categories("categories")
    session_ids = query.ids("session_id_filter")
    wanted = query.json_object("session_metadata_filter")
    previous = query.flag("include_previous_versions", True)
    connected = query.flag("include_connected_memories", True)
    query.done()
    store = call.store
    with store.reading():
        user = call.user()
        invalid = [c for c in dict.fromkeys(categories) if c not in CATEGORIES]
        if invalid:
            detail = {"message": "Invalid categories provided", "invalid_categories": invalid}
            raise HTTPError(400, detail)
        rows, total = store.memories(
            user["pk"], offset, limit, categories, session_ids, filter_text(wanted)
        )
        items = [memory_json(store, r["lineage_pk"], previous, connected) for r in rows]
    return json_response(200, page("items", items, offset, total))


def get_memory(call: Call) -> LocalResponse:
    query = call.query()
    previous = query.flag("include_previous_versions", True)
    connected = query.flag("include_connected_memories", True)
    query.done()
    with call.store.reading():
        version = call.version(call.user())
        return json_response(
            200, memory_json(call.store, version["lineage_pk"], previous, connected)
        )


def delete_memory(call: Call) -> LocalResponse:
    query = call.query()
    everything = query.flag("delete_previous_versions", False)
    query.done()
    with call.store.transaction():
        versioning.delete_memory(call.store, call.version(call.user()), everything)
    return json_response(204, None)
