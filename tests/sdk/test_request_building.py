"""The fast request path builds exactly what ``httpx.Client.build_request`` would.

For a client the SDK made itself, ``_api`` builds each request from headers merged
once (``_DirectRequests``) instead of calling ``build_request``, which merges client
and request headers, params and cookies on every call. These tests hold that
shortcut to byte-identical requests — method, URL, header list, body, timeout
extension — for every operation the generated client has, sync and async, with
default and derived options; and they check that it steps aside when httpx would
add something (cookies a server set) or when the client is the caller's own.
"""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sdk_helpers import API_KEY, BASE_URL, PROJECT

from recallrai import AsyncRecallrAI, RecallrAI
from recallrai import _operations as ops
from recallrai._core import Call
from recallrai.models import MergeConflictAnswer, RecallStrategy

GENERATED_API = Path(__file__).resolve().parents[2] / "generated" / "recallrai_api" / "api"

CONTEXT = {
    "recall_strategy": "agentic",
    "min_top_k": 10,
    "max_top_k": 20,
    "memories_threshold": 0.3,
    "summaries_threshold": 0.4,
    "last_n_messages": 5,
    "last_n_summaries": 3,
    "timezone": "Europe/Berlin",
    "include_system_prompt": True,
    "include_metadata_ids": True,
    "stream": False,
}

# One call of each operation, with as many parameters set as it takes.
CALLS: dict[str, Callable[[], Call]] = {
    "create_user": lambda: ops.create_user("ü/1", {"name": "Jöhn", "n": [1, 2]}, True),
    "get_user": lambda: ops.get_user("user 1/é"),
    "list_users": lambda: ops.list_users(5, 50, {"plan": "pro"}),
    "update_user": lambda: ops.update_user("u", {"a": 1}, "u2", False),
    "delete_user": lambda: ops.delete_user("u"),
    "create_session": lambda: ops.create_session(
        "u", 900, {"topic": "x"}, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    ),
    "list_sessions": lambda: ops.list_sessions(
        "u", 1, 20, {"a": 1}, {"b": 2}, ["pending", "processed"]
    ),
    "get_session": lambda: ops.get_session("u", "s"),
    "update_session": lambda: ops.update_session("u", "s", {"k": "v"}),
    "delete_session": lambda: ops.delete_session("u", "s"),
    "add_message": lambda: ops.add_message("u", "s", "user", "I live in Berlin ✓"),
    "process_session": lambda: ops.process_session("u", "s"),
    "list_session_messages": lambda: ops.list_session_messages("u", "s", 3, 30),
    "get_context": lambda: ops.get_context("u", "s", **CONTEXT),
    "get_system_prompt": lambda: ops.get_system_prompt(RecallStrategy.LOW_LATENCY),
    "list_memories": lambda: ops.list_memories(
        "u",
        offset=2,
        limit=40,
        categories=["food", "places"],
        session_id_filter=["s1", "s2"],
        session_metadata_filter={"k": "v"},
        include_previous_versions=False,
        include_connected_memories=False,
    ),
    "get_memory": lambda: ops.get_memory("u", "m", False, True),
    "delete_memory": lambda: ops.delete_memory("u", "m", True),
    "get_last_messages": lambda: ops.get_last_messages("u", 7),
    "list_merge_conflicts": lambda: ops.list_merge_conflicts(
        "u", 0, 10, "PENDING", "resolved_at", "asc"
    ),
    "get_merge_conflict": lambda: ops.get_merge_conflict("u", "c"),
    "resolve_merge_conflict": lambda: ops.resolve_merge_conflict(
        "u", "c", [MergeConflictAnswer("Where?", "Berlin", "moved")]
    ),
}


def test_every_generated_operation_is_covered() -> None:
    operations = {p.stem for p in GENERATED_API.glob("*/*.py") if p.name != "__init__.py"}
    assert operations == set(CALLS)


def reference(http: httpx.Client | httpx.AsyncClient, api: Any, call: Call) -> httpx.Request:
    """The request as ``build_request`` makes it from the SDK's options."""
    options = api.options
    headers = dict(options.headers)
    content = None
    if call.json is not None:
        headers["Content-Type"] = "application/json"
        # what httpx's own json= sends: compact UTF-8
        content = json.dumps(call.json, ensure_ascii=False, separators=(",", ":")).encode()
    return http.build_request(
        call.method,
        options.base_url + call.path,
        params=call.params,
        content=content,
        headers=headers,
        timeout=options.timeout,
    )


def wire(request: httpx.Request) -> tuple[Any, ...]:
    return (
        request.method,
        request.url.scheme,
        request.url.raw_host,
        request.url.port,
        request.url.raw_path,
        request.headers.raw,
        request.read(),
        request.extensions,
    )


def clients() -> list[Any]:
    made = [
        RecallrAI(API_KEY, PROJECT, BASE_URL),
        AsyncRecallrAI(API_KEY, PROJECT, BASE_URL, timeout=7),
    ]
    return [*made, made[0].with_options(timeout=httpx.Timeout(3.0, read=9.0), max_retries=0)]


@pytest.mark.parametrize("op", sorted(CALLS))
def test_the_fast_path_builds_what_build_request_builds(op: str) -> None:
    for client in clients():
        api = client._api
        assert api._direct is not None  # the fast path is the one under test
        call = CALLS[op]()
        fast, slow = api._request(call), reference(api.http, api, call)
        assert wire(fast) == wire(slow), op


def test_cookies_a_server_set_send_requests_through_build_request() -> None:
    client = RecallrAI(API_KEY, PROJECT, BASE_URL)
    api = client._api
    api.http.cookies.set("session", "abc", domain="api.test")
    request = api._request(ops.get_user("u"))
    assert request.headers["Cookie"] == "session=abc"
    assert wire(request) == wire(reference(api.http, api, ops.get_user("u")))
    client.close()


@pytest.mark.parametrize("op", ["get_user", "list_memories", "add_message"])
def test_a_callers_http_client_keeps_its_own_headers_params_and_auth(op: str) -> None:
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(
        headers={"X-Trace": "t1"},
        params={"tenant": "7"},
        auth=("user", "secret"),
        transport=httpx.MockTransport(answer),
    )
    client = RecallrAI(API_KEY, PROJECT, BASE_URL, http_client=http)
    api = client._api
    assert api._direct is None
    call = CALLS[op]()
    request = api._request(call)
    assert request.headers["X-Trace"] == "t1"
    assert request.url.params["tenant"] == "7"
    assert request.headers["X-Recallr-Api-Key"] == API_KEY
    assert wire(request) == wire(reference(http, api, call))
    api.send(call)
    assert sent[-1].headers["Authorization"] == "Basic " + b64encode(b"user:secret").decode()
    http.close()
