"""Recalled context and system prompts: the query knobs, plain JSON or an SSE stream."""

from __future__ import annotations

import json
from datetime import tzinfo
from zoneinfo import ZoneInfo

from recallrai.local import _recall as recall
from recallrai.local._call import Call
from recallrai.local._wire import JSON, MAX_TIMEZONE_LENGTH, LocalResponse, json_response

__all__ = ["context", "system_prompt"]


def system_prompt(call: Call) -> LocalResponse:
    query = call.query()
    strategy = query.choice("recall_strategy", recall.RECALL_STRATEGIES, "balanced")
    query.done()
    return json_response(200, {"system_prompt": recall.system_prompt(strategy or "balanced")})


def _zone(name: str) -> tzinfo | None:
    """The IANA zone ``name``, or None if there is no such zone."""
    try:
        return ZoneInfo(name)
    except Exception:  # ZoneInfoNotFoundError, ValueError, OSError for odd names
        return None


def context(call: Call) -> LocalResponse:
    query = call.query()
    strategy = query.choice("recall_strategy", recall.RECALL_STRATEGIES, "balanced")
    options = recall.RecallOptions(
        min_top_k=query.integer("min_top_k", 15, ge=5, le=50) or 15,
        max_top_k=query.integer("max_top_k", 50, ge=10, le=100) or 50,
        memories_threshold=query.number("memories_threshold", 0.6, 0.2, 0.8),
        summaries_threshold=query.number("summaries_threshold", 0.5, 0.2, 0.8),
        last_n_messages=query.integer("last_n_messages", None, ge=1, le=100),
        last_n_summaries=query.integer("last_n_summaries", None, ge=1, le=20),
    )
    zone_name = query.text("timezone", MAX_TIMEZONE_LENGTH)
    zone = _zone(zone_name or "UTC")
    if zone_name is not None and zone is None:
        query.fail(
            "value_error",
            ["query", "timezone"],
            f"Value error, Invalid timezone: {zone_name}",
            zone_name,
        )
    zone_name = zone_name or "UTC"
    with_prompt = query.flag("include_system_prompt", True)
    with_ids = query.flag("include_metadata_ids", False)
    stream = query.flag("stream", False)
    query.done()
    assert zone is not None
    used = "balanced" if strategy in (None, "auto") else strategy
    with call.store.reading():
        session = call.session(call.user())
        found = recall.recall(call.store, session, options, call.now, zone, zone_name)
    text = found.text
    if with_prompt:
        text = recall.system_prompt(used) + "\n\n\n" + text
    metadata: JSON = {"recall_strategy_used": used}
    if with_ids:
        metadata["memory_ids"] = found.memory_ids
        metadata["session_ids"] = found.session_ids
    if used != "low_latency":
        metadata["keywords"] = found.keywords
    if used == "agentic":
        metadata["agent_reasoning"] = (
            f"Searched memories and session summaries for: {', '.join(found.keywords)}"
            if found.keywords
            else "No keywords in the recent conversation; used the most recent memories."
        )
    final: JSON = {"is_final": True, "context": text, "metadata": metadata}
    if not stream:
        return json_response(200, final)
    steps = ["Reading the recent conversation", "Searching memories and session summaries"]
    if used == "agentic":
        steps.append("Reasoning over what was found")
    events = [{"is_final": False, "status_update_message": step} for step in steps]
    events.append(final)
    chunks = [f"data: {json.dumps(e, ensure_ascii=False)}\n\n".encode() for e in events]
    headers = [("content-type", "text/event-stream"), ("cache-control", "no-cache")]
    return LocalResponse(200, headers, b"", iter(chunks))
