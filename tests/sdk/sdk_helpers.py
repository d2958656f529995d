"""Wire helpers and canned answers shared by the SDK tests (imported as ``sdk_helpers``)."""

from __future__ import annotations

import json
from typing import Any

import httpx

API_KEY = "rai_test"
PROJECT = "proj"
BASE_URL = "https://api.test"
API = BASE_URL + "/api/v1"


def only_request(httpx_mock: Any) -> httpx.Request:
    """The one request the test sent."""
    requests = httpx_mock.get_requests()
    assert len(requests) == 1, [f"{r.method} {r.url}" for r in requests]
    return requests[0]


def raw_path(request: httpx.Request) -> str:
    """The path exactly as sent, percent-encoding intact."""
    return request.url.raw_path.split(b"?", 1)[0].decode("ascii")


def query(request: httpx.Request) -> dict[str, list[str]]:
    """The query string as name → values (repeated names keep their order)."""
    result: dict[str, list[str]] = {}
    for key, value in request.url.params.multi_items():
        result.setdefault(key, []).append(value)
    return result


def body(request: httpx.Request) -> Any:
    """The JSON body sent, or ``None`` when there was none."""
    if not request.content:
        return None
    assert request.headers["Content-Type"] == "application/json"
    return json.loads(request.content)


def assert_sdk_headers(request: httpx.Request) -> None:
    assert request.headers["X-Recallr-Api-Key"] == API_KEY
    assert request.headers["X-Recallr-Project-Id"] == PROJECT
    assert request.headers["User-Agent"].startswith("recallrai-python/")


def requests_to(httpx_mock: Any, path_suffix: str) -> list[httpx.Request]:
    """The requests whose (encoded) path ends with ``path_suffix``."""
    return [r for r in httpx_mock.get_requests() if raw_path(r).endswith(path_suffix)]


# Canned answers (as the wire sends them) ------------------------------------------------

USER: dict[str, Any] = {
    "custom_user_id": "u",
    "metadata": {"name": "John Doe"},
    "merge_conflict_enabled": None,
    "created_at": "2024-01-02T03:04:05Z",
    "last_active_at": "2024-01-02T05:04:05+02:00",  # 03:04:05 UTC
}

SESSION: dict[str, Any] = {
    "session_id": "s",
    "status": "pending",
    "created_at": "2024-01-02T03:04:05.123456+00:00",
    "metadata": {"type": "chat"},
}

MEMORY: dict[str, Any] = {
    "memory_id": "m3",
    "categories": ["food_preferences"],
    "content": "Likes tea",
    "event_date_start": None,
    "event_date_end": None,
    "created_at": "2024-03-01T10:00:00Z",
    "version_number": 3,
    "total_versions": 3,
    "has_previous_versions": True,
    "previous_versions": [
        {
            "memory_id": "m1",
            "version_number": 1,
            "content": "Likes coffee",
            "event_date_start": None,
            "event_date_end": None,
            "created_at": "2024-01-01T10:00:00Z",
            "expired_at": "2024-02-01T10:00:00+01:00",
            "expiration_reason": "new version created",
        }
    ],
    "connected_memories": [{"memory_id": "m9", "content": "Drinks no coffee"}],
    "merge_conflict_in_progress": False,
    "session_id": "s",
}

CONFLICT: dict[str, Any] = {
    "id": "c",
    "project_user_session_id": "s",
    "proposed_memory_content": "Lives in Paris",
    "new_memories": [
        {
            "memory_id": "n1",
            "content": "Lives in Paris",
            "event_date_start": None,
            "event_date_end": None,
            "created_at": "2024-04-01T00:00:00Z",
        }
    ],
    "conflicting_memories": [
        {
            "memory_id": "m5",
            "content": "Lives in Rome",
            "reason": "Different city",
            "event_date_start": None,
            "event_date_end": None,
            "created_at": "2024-03-01T00:00:00Z",
        }
    ],
    "clarifying_questions": [
        {"question": "Where do you live?", "options": ["Paris", "Rome"]},
    ],
    "status": "PENDING",
    "resolution_data": None,
    "created_at": "2024-04-01T00:00:00Z",
    "resolved_at": None,
}

CONTEXT: dict[str, Any] = {
    "is_final": True,
    "context": "Remembered: likes tea",
    "metadata": {"recall_strategy_used": "balanced", "memory_ids": ["m3"]},
}


def page(key: str, items: list[Any], total: int | None = None, has_more: bool = False) -> Any:
    return {key: items, "total": len(items) if total is None else total, "has_more": has_more}
