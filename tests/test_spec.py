"""Checks on the hand-written OpenAPI spec, openapi/recallrai.yaml.

The tables below are transcribed from the wire contract (docs kept outside this repo), so
that CI can tell when the spec drifts from it without reading anything but the spec.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_PATH = Path(__file__).resolve().parents[1] / "openapi" / "recallrai.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
SPEC_URI = "urn:recallrai:openapi"
METHODS = ("get", "put", "post", "delete", "patch")
TAGS = {"users", "sessions", "messages", "memories", "merge-conflicts", "system"}
U = "/api/v1/users/{user_id}"
S = U + "/sessions/{session_id}"

# (method, path) -> (operationId, tag)
ENDPOINTS: dict[tuple[str, str], tuple[str, str]] = {
    ("post", "/api/v1/users"): ("createUser", "users"),
    ("get", "/api/v1/users"): ("listUsers", "users"),
    ("get", U): ("getUser", "users"),
    ("put", U): ("updateUser", "users"),
    ("delete", U): ("deleteUser", "users"),
    ("post", U + "/sessions"): ("createSession", "sessions"),
    ("get", U + "/sessions"): ("listSessions", "sessions"),
    ("get", S): ("getSession", "sessions"),
    ("put", S): ("updateSession", "sessions"),
    ("delete", S): ("deleteSession", "sessions"),
    ("get", S + "/context"): ("getContext", "sessions"),
    ("post", S + "/process"): ("processSession", "sessions"),
    ("post", S + "/add-message"): ("addMessage", "messages"),
    ("get", S + "/messages"): ("listSessionMessages", "messages"),
    ("get", U + "/messages"): ("getLastMessages", "messages"),
    ("get", U + "/memories"): ("listMemories", "memories"),
    ("get", U + "/memory/{memory_id}"): ("getMemory", "memories"),
    ("delete", U + "/memory/{memory_id}"): ("deleteMemory", "memories"),
    ("get", U + "/merge-conflicts"): ("listMergeConflicts", "merge-conflicts"),
    ("get", U + "/merge-conflicts/{conflict_id}"): ("getMergeConflict", "merge-conflicts"),
    ("post", U + "/merge-conflicts/{conflict_id}/resolve"): (
        "resolveMergeConflict",
        "merge-conflicts",
    ),
    ("get", "/api/v1/system-prompt"): ("getSystemPrompt", "system"),
}

# schema -> (every field the contract names, the fields that must be required)
FIELDS: dict[str, tuple[str, str]] = {
    "CreateUserRequest": ("custom_user_id metadata merge_conflict_enabled", "custom_user_id"),
    "UpdateUserRequest": ("new_metadata new_custom_user_id merge_conflict_enabled", ""),
    "CreateSessionRequest": ("auto_process_after_seconds metadata custom_created_at_utc", ""),
    "UpdateSessionRequest": ("new_metadata", ""),
    "AddMessageRequest": ("message role", "message role"),
    "ResolveMergeConflictRequest": ("answers", "answers"),
    "MergeConflictAnswers": ("question_answers", "question_answers"),
    "QuestionAnswer": ("question answer message", "question answer"),
    "User": (
        "custom_user_id metadata merge_conflict_enabled created_at last_active_at",
        "custom_user_id metadata merge_conflict_enabled created_at last_active_at",
    ),
    "UserList": ("users total has_more", "users total has_more"),
    "Session": ("session_id status created_at metadata", "session_id status created_at metadata"),
    "SessionList": ("sessions total has_more", "sessions total has_more"),
    "Message": ("role content timestamp", "role content timestamp"),
    "MessageList": ("messages total has_more", "messages total has_more"),
    "UserMessage": ("role content timestamp session_id", "role content timestamp session_id"),
    "LastMessages": ("messages", "messages"),
    "Memory": (
        "memory_id categories content event_date_start event_date_end created_at version_number"
        " total_versions has_previous_versions previous_versions connected_memories"
        " merge_conflict_in_progress merge_conflict_id expired_at expiration_reason session_id",
        "memory_id content categories event_date_start event_date_end created_at version_number"
        " total_versions has_previous_versions merge_conflict_in_progress session_id",
    ),
    "MemoryVersion": (
        "memory_id version_number content event_date_start event_date_end created_at"
        " expired_at expiration_reason merge_conflict_id",
        "memory_id version_number content event_date_start event_date_end created_at"
        " expired_at expiration_reason",
    ),
    "ConnectedMemory": ("memory_id content", "memory_id content"),
    "MemoryList": ("items total has_more", "items total has_more"),
    "Context": ("is_final status_update_message error_message context metadata", ""),
    "ContextMetadata": (
        "memory_ids session_ids agent_reasoning vector_search_queries keywords"
        " session_summaries_search_queries date_range_filters recall_strategy_used",
        "recall_strategy_used",
    ),
    "DateRangeFilter": ("filter_type start_date end_date", "filter_type start_date end_date"),
    "MergeConflict": (
        "id project_user_session_id proposed_memory_content new_memories conflicting_memories"
        " clarifying_questions status resolution_data created_at resolved_at",
        "id project_user_session_id status conflicting_memories clarifying_questions created_at",
    ),
    "NewMemory": (
        "memory_id content event_date_start event_date_end created_at",
        "memory_id content event_date_start event_date_end created_at",
    ),
    "ConflictingMemory": (
        "memory_id content reason event_date_start event_date_end created_at",
        "memory_id content reason event_date_start event_date_end created_at",
    ),
    "ClarifyingQuestion": ("question options", "question options"),
    "MergeConflictList": ("conflicts total has_more", "conflicts total has_more"),
    "SystemPrompt": ("system_prompt", "system_prompt"),
    "ErrorDetail": ("detail", "detail"),
    "InvalidCategoriesError": ("detail", "detail"),
    "InvalidCategoriesDetail": ("message invalid_categories", "message invalid_categories"),
    "ValidationErrorList": ("detail", "detail"),
    "ValidationErrorItem": ("loc msg type", "loc msg type"),
    "ResolveError": (
        "detail error_code invalid_questions missing_questions question valid_options",
        "detail",
    ),
}

ENUMS: dict[str, list[str]] = {
    "MessageRole": ["user", "assistant"],
    "SessionStatus": ["pending", "processing", "processed", "failed", "insufficient_balance"],
    "RecallStrategy": ["low_latency", "balanced", "agentic", "auto"],
    "MergeConflictStatus": ["PENDING", "IN_QUEUE", "RESOLVING", "RESOLVED", "FAILED"],
    "MergeConflictSortBy": ["created_at", "resolved_at"],
    "SortOrder": ["asc", "desc"],
    "DateRangeFilterType": ["event_date", "created_at"],
}

DATETIME_FIELDS = [
    ("User", "created_at"),
    ("User", "last_active_at"),
    ("Session", "created_at"),
    ("CreateSessionRequest", "custom_created_at_utc"),
    ("Message", "timestamp"),
    ("UserMessage", "timestamp"),
    ("Memory", "created_at"),
    ("Memory", "event_date_start"),
    ("Memory", "expired_at"),
    ("MemoryVersion", "expired_at"),
    ("MergeConflict", "created_at"),
    ("MergeConflict", "resolved_at"),
]

NULLABLE_FIELDS = [
    ("CreateUserRequest", "merge_conflict_enabled"),
    ("UpdateUserRequest", "merge_conflict_enabled"),
    ("User", "merge_conflict_enabled"),  # 0.6.6 models/user.py:19, 49
    ("Memory", "merge_conflict_id"),  # models/user.py:161
    ("Memory", "expired_at"),  # models/user.py:164
    ("Memory", "expiration_reason"),  # models/user.py:165
    ("Memory", "previous_versions"),  # models/user.py:154
    ("MemoryVersion", "merge_conflict_id"),  # models/user.py:119
    ("Context", "context"),
    ("MergeConflict", "resolved_at"),
    ("MergeConflict", "proposed_memory_content"),
    ("MergeConflict", "new_memories"),  # models/merge_conflict.py:90
    ("QuestionAnswer", "message"),  # 0.6.6 sends null: merge_conflict.py:96
]

# Required and never null: the official 0.6.6 pydantic models reject null here
# (file:line in the installed recallrai 0.6.6 package).
NON_NULL_FIELDS = [
    ("Memory", "event_date_start"),  # models/user.py:144
    ("Memory", "event_date_end"),  # models/user.py:145
    ("MemoryVersion", "event_date_start"),  # models/user.py:114
    ("MemoryVersion", "event_date_end"),  # models/user.py:115
    ("MemoryVersion", "expired_at"),  # models/user.py:117
    ("MemoryVersion", "expiration_reason"),  # models/user.py:118
    ("NewMemory", "event_date_start"),  # models/merge_conflict.py:74
    ("NewMemory", "event_date_end"),  # models/merge_conflict.py:75
    ("NewMemory", "created_at"),  # models/merge_conflict.py:76
    ("ConflictingMemory", "event_date_start"),  # models/merge_conflict.py:34
    ("ConflictingMemory", "event_date_end"),  # models/merge_conflict.py:35
    ("ConflictingMemory", "created_at"),  # models/merge_conflict.py:36
    ("MergeConflict", "project_user_session_id"),  # models/merge_conflict.py:88
    ("DateRangeFilter", "start_date"),  # models/session.py:187
    ("DateRangeFilter", "end_date"),  # models/session.py:188
]

ABSENT = object()  # "no default / no bound" in the table below
INT32_MAX = 2**31 - 1
# operationId, parameter, default, minimum, maximum
QUERY: list[tuple[str, str, Any, Any, Any]] = [
    ("listUsers", "offset", 0, 0, INT32_MAX),
    ("listUsers", "limit", 10, 1, 100),
    ("listUsers", "metadata_filter", ABSENT, ABSENT, ABSENT),
    ("listSessions", "offset", 0, 0, INT32_MAX),
    ("listSessions", "limit", 10, 1, 100),
    ("listSessions", "metadata_filter", ABSENT, ABSENT, ABSENT),
    ("listSessions", "user_metadata_filter", ABSENT, ABSENT, ABSENT),
    ("listSessions", "status_filter", ABSENT, ABSENT, ABSENT),
    ("listSessionMessages", "offset", 0, 0, INT32_MAX),
    ("listSessionMessages", "limit", 50, 1, 200),
    ("getContext", "recall_strategy", "balanced", ABSENT, ABSENT),
    ("getContext", "min_top_k", 15, 5, 50),
    ("getContext", "max_top_k", 50, 10, 100),
    ("getContext", "memories_threshold", 0.6, 0.2, 0.8),
    ("getContext", "summaries_threshold", 0.5, 0.2, 0.8),
    ("getContext", "last_n_messages", ABSENT, 1, 100),
    ("getContext", "last_n_summaries", ABSENT, 1, 20),
    ("getContext", "timezone", ABSENT, ABSENT, ABSENT),
    ("getContext", "include_system_prompt", True, ABSENT, ABSENT),
    ("getContext", "include_metadata_ids", False, ABSENT, ABSENT),
    ("getContext", "stream", False, ABSENT, ABSENT),
    ("getLastMessages", "limit", 10, 1, 100),  # 0.6.6 user.py:577 "1-100, default: 10"
    ("listMemories", "offset", 0, 0, INT32_MAX),
    ("listMemories", "limit", 20, 1, 200),
    ("listMemories", "categories", ABSENT, ABSENT, ABSENT),
    ("listMemories", "session_id_filter", ABSENT, ABSENT, ABSENT),
    ("listMemories", "session_metadata_filter", ABSENT, ABSENT, ABSENT),
    ("listMemories", "include_previous_versions", True, ABSENT, ABSENT),
    ("listMemories", "include_connected_memories", True, ABSENT, ABSENT),
    ("getMemory", "include_previous_versions", True, ABSENT, ABSENT),
    ("getMemory", "include_connected_memories", True, ABSENT, ABSENT),
    ("deleteMemory", "delete_previous_versions", False, ABSENT, ABSENT),
    ("listMergeConflicts", "offset", 0, 0, INT32_MAX),
    ("listMergeConflicts", "limit", 10, 1, 100),
    ("listMergeConflicts", "status", ABSENT, ABSENT, ABSENT),
    ("listMergeConflicts", "sort_by", "created_at", ABSENT, ABSENT),
    ("listMergeConflicts", "sort_order", "desc", ABSENT, ABSENT),
    ("getSystemPrompt", "recall_strategy", "balanced", ABSENT, ABSENT),
]
REPEATED = {("listSessions", "status_filter"), ("listMemories", "categories"),
            ("listMemories", "session_id_filter")}  # fmt: skip
JSON_FILTERS = {("listUsers", "metadata_filter"), ("listSessions", "metadata_filter"),
                ("listSessions", "user_metadata_filter"),
                ("listMemories", "session_metadata_filter")}  # fmt: skip


# ------------------------------------------------------------------ helpers
def resolve(node: Any) -> Any:
    """Follow local `$ref`s until reaching a node without one."""
    while isinstance(node, dict) and "$ref" in node:
        ref: str = node["$ref"]
        assert ref.startswith("#/"), f"only local refs are allowed: {ref}"
        node = SPEC
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def op_params(path: str, op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    params = [resolve(p) for p in SPEC["paths"][path].get("parameters", [])]
    params += [resolve(p) for p in op.get("parameters", [])]
    return {p["name"]: p for p in params}


OPS: dict[str, tuple[str, str, dict[str, Any]]] = {
    op["operationId"]: (m, p, op) for m, p, op in operations()
}


def schema(name: str) -> dict[str, Any]:
    return SPEC["components"]["schemas"][name]  # type: ignore[no-any-return]


_FORMATS = FormatChecker(formats=())


def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value.upper() or dt.datetime.fromisoformat(value).tzinfo is None:
        raise ValueError(f"not an RFC 3339 date-time with offset: {value!r}")
    return True


_FORMATS.checks("date-time", raises=ValueError)(_is_datetime)
REGISTRY: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(SPEC))


def validator_at(pointer: str) -> Draft202012Validator:
    """A validator for the schema at `pointer` in the spec, resolving its `$ref`s."""
    return Draft202012Validator(
        {"$ref": f"{SPEC_URI}#{pointer}"}, registry=REGISTRY, format_checker=_FORMATS
    )


def collect_examples(node: Any, pointer: str = "") -> Iterator[tuple[str, str, Any]]:
    """Yield (where, schema pointer, example value) for every example in the spec."""
    if isinstance(node, list):
        for i, child in enumerate(node):
            yield from collect_examples(child, f"{pointer}/{i}")
        return
    if not isinstance(node, dict):
        return
    if "schema" in node:  # a media type or a parameter
        target = f"{pointer}/schema"
        if "example" in node:
            yield pointer, target, node["example"]
        for name, ex in node.get("examples", {}).items():
            yield f"{pointer}/examples/{name}", target, resolve(ex)["value"]
    if isinstance(node.get("examples"), list):  # a schema with JSON Schema examples
        for i, value in enumerate(node["examples"]):
            yield f"{pointer}/examples/{i}", pointer, value
    for key, child in node.items():
        if key not in ("example", "examples"):
            esc = str(key).replace("~", "~0").replace("/", "~1")
            yield from collect_examples(child, f"{pointer}/{esc}")


EXAMPLES = list(collect_examples(SPEC["paths"], "/paths")) + list(
    collect_examples(SPEC["components"], "/components")
)


# -------------------------------------------------------------------- tests
def test_spec_is_valid_openapi_31() -> None:
    assert SPEC["openapi"] == "3.1.0"
    validate(SPEC)


def test_server_and_security() -> None:
    assert [s["url"] for s in SPEC["servers"]] == ["https://api.recallrai.com"]
    schemes = SPEC["components"]["securitySchemes"]
    headers = {(s["type"], s["in"], s["name"]) for s in schemes.values()}
    assert headers == {
        ("apiKey", "header", "X-Recallr-Api-Key"),
        ("apiKey", "header", "X-Recallr-Project-Id"),
    }
    assert SPEC["security"] == [{name: [] for name in schemes}]
    assert all(p.startswith("/api/v1/") for p in SPEC["paths"])


def test_endpoints_match_contract() -> None:
    found = {(m, p): (op["operationId"], op["tags"][0]) for m, p, op in operations()}
    assert found == ENDPOINTS


@pytest.mark.parametrize("op_id", sorted(OPS))
def test_operation_rules(op_id: str) -> None:
    method, path, op = OPS[op_id]
    assert op.get("summary") and op.get("description"), op_id
    assert len(op["tags"]) == 1 and op["tags"][0] in TAGS
    codes = set(op["responses"])
    assert {"401", "422", "429"} <= codes
    assert codes & {"5XX", "500"}
    if "{" in path:
        assert "404" in codes
    headers = resolve(op["responses"]["429"])["headers"]
    assert resolve(headers["Retry-After"])["schema"]["type"] == "integer"
    success = [c for c in codes if c.startswith("2")]
    assert len(success) == 1
    if method == "delete":
        assert success == ["204"] and "content" not in op["responses"]["204"]
    else:
        content = resolve(op["responses"][success[0]])["content"]
        assert next(iter(content)) == "application/json"
        assert (
            content["application/json"].get("examples") or "example" in content["application/json"]
        ), f"{op_id} has no success example"
    body = op.get("requestBody")
    if body:
        media = body["content"]["application/json"]
        assert "$ref" in media["schema"] and (media.get("examples") or "example" in media)


def test_operation_ids_unique() -> None:
    ids = [op["operationId"] for _, _, op in operations()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("op_id", "code", "schema_name"),
    [
        ("createUser", "409", "ErrorDetail"),
        ("updateUser", "409", "ErrorDetail"),
        ("addMessage", "400", "ErrorDetail"),
        ("processSession", "400", "ErrorDetail"),
        ("listMemories", "400", "InvalidCategoriesError"),
        ("resolveMergeConflict", "400", "ResolveError"),
        ("getUser", "404", "ErrorDetail"),
        ("getUser", "422", "ValidationErrorList"),
        ("getUser", "500", "ErrorDetail"),
    ],
)
def test_error_responses(op_id: str, code: str, schema_name: str) -> None:
    response = resolve(OPS[op_id][2]["responses"][code])
    ref = response["content"]["application/json"]["schema"]["$ref"]
    assert ref == f"#/components/schemas/{schema_name}"


@pytest.mark.parametrize(
    ("op_id", "request_schema", "status", "response_schema"),
    [
        ("createUser", "CreateUserRequest", "201", "User"),
        ("listUsers", None, "200", "UserList"),
        ("getUser", None, "200", "User"),
        ("updateUser", "UpdateUserRequest", "200", "User"),
        ("createSession", "CreateSessionRequest", "201", "Session"),
        ("listSessions", None, "200", "SessionList"),
        ("getSession", None, "200", "Session"),
        ("updateSession", "UpdateSessionRequest", "200", "Session"),
        ("addMessage", "AddMessageRequest", "200", "MessageAccepted"),
        ("getContext", None, "200", "Context"),
        ("processSession", None, "200", "ProcessAccepted"),
        ("listSessionMessages", None, "200", "MessageList"),
        ("getLastMessages", None, "200", "LastMessages"),
        ("listMemories", None, "200", "MemoryList"),
        ("getMemory", None, "200", "Memory"),
        ("listMergeConflicts", None, "200", "MergeConflictList"),
        ("getMergeConflict", None, "200", "MergeConflict"),
        ("resolveMergeConflict", "ResolveMergeConflictRequest", "200", "MergeConflict"),
        ("getSystemPrompt", None, "200", "SystemPrompt"),
    ],
)
def test_bodies(op_id: str, request_schema: str | None, status: str, response_schema: str) -> None:
    op = OPS[op_id][2]
    prefix = "#/components/schemas/"
    if request_schema is None:
        assert "requestBody" not in op
    else:
        assert op["requestBody"]["required"] is True
        body_ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert body_ref == prefix + request_schema
    got = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    assert got == prefix + response_schema


def test_context_can_stream() -> None:
    content = OPS["getContext"][2]["responses"]["200"]["content"]
    assert list(content) == ["application/json", "text/event-stream"]
    sse = content["text/event-stream"]
    assert sse["schema"]["type"] == "string" and "is_final" in sse["schema"]["description"]
    assert sse["example"].startswith("data: {") and '"is_final": true' in sse["example"]


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_schema_fields(name: str) -> None:
    fields, required = FIELDS[name]
    s = schema(name)
    assert s["type"] == "object"
    assert set(fields.split()) <= set(s["properties"]), name
    assert set(required.split()) <= set(s.get("required", [])), name
    assert s.get("additionalProperties") is not False, "leave room for new server fields"


def test_request_body_constraints() -> None:
    user_id = schema("CreateUserRequest")["properties"]["custom_user_id"]
    assert user_id["allOf"] == [{"$ref": "#/components/schemas/Identifier"}]
    assert (schema("Identifier")["minLength"], schema("Identifier")["maxLength"]) == (1, 255)
    auto = schema("CreateSessionRequest")["properties"]["auto_process_after_seconds"]
    assert (auto["type"], auto["minimum"], auto["default"]) == ("integer", 600, 600)
    for name in ("UpdateUserRequest", "UpdateSessionRequest", "CreateSessionRequest"):
        assert not schema(name).get("required"), name


def test_one_shared_metadata_schema() -> None:
    assert schema("Metadata") == {**schema("Metadata"), "type": "object"}
    assert schema("Metadata")["additionalProperties"] is True
    uses = [
        ("CreateUserRequest", "metadata"),
        ("UpdateUserRequest", "new_metadata"),
        ("CreateSessionRequest", "metadata"),
        ("UpdateSessionRequest", "new_metadata"),
        ("User", "metadata"),
        ("Session", "metadata"),
    ]
    for name, field in uses:
        prop = schema(name)["properties"][field]
        ref = prop["allOf"][0] if "allOf" in prop else prop  # allOf wraps a ref with a sibling
        assert ref == {"$ref": "#/components/schemas/Metadata"}


@pytest.mark.parametrize(("name", "values"), sorted(ENUMS.items()))
def test_enums(name: str, values: list[str]) -> None:
    assert schema(name) == {**schema(name), "type": "string", "enum": values}


@pytest.mark.parametrize(("name", "field"), DATETIME_FIELDS)
def test_datetime_fields(name: str, field: str) -> None:
    assert schema(name)["properties"][field]["format"] == "date-time"


@pytest.mark.parametrize(("name", "field"), NULLABLE_FIELDS)
def test_nullable_fields(name: str, field: str) -> None:
    prop = schema(name)["properties"][field]
    types = prop["type"] if "type" in prop else [b.get("type") for b in prop["anyOf"]]
    assert "null" in types


@pytest.mark.parametrize(("op_id", "name", "default", "minimum", "maximum"), QUERY)
def test_query_parameters(op_id: str, name: str, default: Any, minimum: Any, maximum: Any) -> None:
    _, path, op = OPS[op_id]
    param = op_params(path, op).get(name)
    assert param is not None, f"{op_id} lacks ?{name}"
    assert param["in"] == "query"
    s = param["schema"]
    assert s.get("default", ABSENT) == default if default is not ABSENT else "default" not in s
    assert s.get("minimum", ABSENT) == minimum if minimum is not ABSENT else "minimum" not in s
    assert s.get("maximum", ABSENT) == maximum if maximum is not ABSENT else "maximum" not in s
    if (op_id, name) in REPEATED:
        assert s["type"] == "array"
        assert (param["style"], param["explode"]) == ("form", True)
    if (op_id, name) in JSON_FILTERS:
        assert s == {"$ref": "#/components/schemas/JsonFilter"} and "JSON" in param["description"]
        assert schema("JsonFilter")["x-max-bytes"] == 4096
    assert param.get("required", False) is False


def test_query_parameters_are_all_in_the_contract() -> None:
    listed = {(op_id, name) for op_id, name, *_ in QUERY}
    for op_id, (_, path, op) in OPS.items():
        for param in op_params(path, op).values():
            if param["in"] == "query":
                assert (op_id, param["name"]) in listed


def test_path_parameters() -> None:
    for op_id, (_, path, op) in OPS.items():
        names = {n for n, p in op_params(path, op).items() if p["in"] == "path"}
        assert names == {seg[1:-1] for seg in path.split("/") if seg.startswith("{")}, op_id


def test_examples_are_collected() -> None:
    # Every request body and success response has one; a few error responses too.
    assert len(EXAMPLES) >= 40


@pytest.mark.parametrize(
    ("where", "pointer", "value"), EXAMPLES, ids=[w.replace("~1", "/") for w, _, _ in EXAMPLES]
)
def test_example_matches_schema(where: str, pointer: str, value: Any) -> None:
    validator_at(pointer).validate(value)


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("CreateUserRequest", {"custom_user_id": ""}),
        ("AddMessageRequest", {"message": "hi", "role": "system"}),
        ("User", {"custom_user_id": "u", "metadata": {}, "created_at": "yesterday",
                  "last_active_at": "2025-01-01T00:00:00Z"}),
        ("MergeConflictList", {"conflicts": [{"id": "c"}], "total": 1, "has_more": False}),
    ],
)  # fmt: skip
def test_example_checker_rejects_bad_values(name: str, bad: Any) -> None:
    with pytest.raises(jsonschema.ValidationError):
        validator_at(f"/components/schemas/{name}").validate(bad)


def test_info_version_is_the_sdk_version() -> None:
    # The spec is published with the SDK: info.version follows recallrai/_version.py.
    version_py = SPEC_PATH.parents[1] / "recallrai" / "_version.py"
    namespace: dict[str, Any] = {}
    exec(version_py.read_text(encoding="utf-8"), namespace)
    assert SPEC["info"]["version"] == namespace["__version__"]


# ------------------------------------------------- fidelity to the official SDK 0.6.6
@pytest.mark.parametrize(("name", "field"), NON_NULL_FIELDS)
def test_fields_the_official_models_require_are_required_and_not_null(
    name: str, field: str
) -> None:
    s = schema(name)
    assert field in s["required"], f"{name}.{field} must be required"
    prop = resolve(s["properties"][field])
    assert "anyOf" not in prop and "oneOf" not in prop, f"{name}.{field}"
    assert prop["type"] != "null" and "null" not in prop["type"], f"{name}.{field} is nullable"


def _walk(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, child in node.items():
            yield from _walk(child, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from _walk(child, f"{pointer}/{i}")


def test_every_integer_is_int32() -> None:
    integers = [(p, n) for p, n in _walk(SPEC) if n.get("type") == "integer"]
    assert len(integers) > 20
    assert [p for p, n in integers if n.get("format") != "int32"] == []
    assert [p for p, n in integers if n.get("maximum", 0) > INT32_MAX] == []


# The bounds every layer agrees on (HELPER-GUIDE); each is marked as this project's extension.
ID_PARAMS = ["UserId", "SessionId", "MemoryId", "ConflictId"]


@pytest.mark.parametrize("name", ID_PARAMS)
def test_id_parameters_are_bounded(name: str) -> None:
    param = SPEC["components"]["parameters"][name]
    assert param["schema"] == {"$ref": "#/components/schemas/Identifier"}
    assert "this project's extension" in param["description"]
    assert "control characters" in param["description"]


@pytest.mark.parametrize(
    ("name", "field", "bounds"),
    [
        ("CreateUserRequest", "custom_user_id", {"minLength": 1, "maxLength": 255}),
        ("UpdateUserRequest", "new_custom_user_id", {"minLength": 1, "maxLength": 255}),
        ("AddMessageRequest", "message", {"minLength": 1, "maxLength": 1_000_000}),
        ("QuestionAnswer", "question", {"maxLength": 10_000}),
        ("QuestionAnswer", "answer", {"maxLength": 10_000}),
        ("QuestionAnswer", "message", {"maxLength": 10_000}),
        (
            "CreateSessionRequest",
            "auto_process_after_seconds",
            {"minimum": 600, "maximum": 31_536_000},
        ),
    ],
)
def test_body_bounds(name: str, field: str, bounds: dict[str, int]) -> None:
    prop = schema(name)["properties"][field]
    if prop.get("allOf") == [{"$ref": "#/components/schemas/Identifier"}]:
        prop = {**schema("Identifier"), **prop}
    assert {k: prop.get(k) for k in bounds} == bounds
    text = prop.get("description", "") + schema(name).get("description", "")
    text += "".join(p.get("description", "") for p in schema(name)["properties"].values())
    assert "this project's extension" in text, f"{name}.{field}: say the bound is ours"


def test_metadata_and_filter_bounds_are_documented() -> None:
    assert "65,536 bytes" in schema("Metadata")["description"]
    assert "32 levels" in schema("Metadata")["description"]
    for op_id, name in sorted(JSON_FILTERS):
        _, path, op = OPS[op_id]
        param = op_params(path, op)[name]
        assert "4,096 bytes" in param["description"], (op_id, name)
        assert "this project's extension" in param["description"], (op_id, name)
    _, path, op = OPS["listMemories"]
    categories = op_params(path, op)["categories"]
    assert categories["schema"]["maxItems"] == 100
    assert categories["schema"]["items"] == {"type": "string", "minLength": 1, "maxLength": 100}
    _, path, op = OPS["getContext"]
    assert op_params(path, op)["timezone"]["schema"]["maxLength"] == 64
    assert "4 MiB" in SPEC["info"]["description"]


def test_resolve_error_fields_are_marked_as_our_extension() -> None:
    assert "this project's extension" in schema("ResolveError")["description"]


def test_expiration_reason_is_an_open_code() -> None:
    reason = schema("ExpirationReason")
    assert reason["type"] == "string" and "enum" not in reason
    assert "MERGE_CONFLICT" in reason["description"]
    assert "not public" in reason["description"]


# -------------------------------------- every example, parsed by the official 0.6.6 SDK
def _target(pointer: str) -> str | None:
    """The component schema an example's schema pointer names, if it is a plain `$ref`."""
    node: Any = SPEC
    for part in pointer.lstrip("/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    ref = node.get("$ref", "") if isinstance(node, dict) else ""
    return ref.rsplit("/", 1)[1] if ref.startswith("#/components/schemas/") else None


def _official_parser(where: str, pointer: str) -> str | None:
    if "/text~1event-stream" in where:
        return "ContextStream"
    name = _target(pointer)
    responses = {"User", "UserList", "Session", "SessionList", "MessageList", "LastMessages",
                 "Memory", "MemoryList", "Context", "MergeConflict", "MergeConflictList",
                 "SystemPrompt", "MessageAccepted", "ProcessAccepted", "InvalidCategoriesError",
                 "ResolveError", "ResolveMergeConflictRequest"}  # fmt: skip
    return name if name in responses else None


OFFICIAL_EXAMPLES = [
    (where, _official_parser(where, pointer), value)
    for where, pointer, value in EXAMPLES
    if _official_parser(where, pointer)
]
RESOLVE_ERRORS = {
    "already_resolved": "MergeConflictAlreadyResolvedError",
    "invalid_questions": "MergeConflictInvalidQuestionsError",
    "missing_answers": "MergeConflictMissingAnswersError",
    "invalid_answer": "MergeConflictInvalidAnswerError",
}


@pytest.fixture(scope="module")
def official_verdicts() -> dict[str, Any]:
    """What the official SDK 0.6.6's own parsers make of every example (one subprocess)."""
    from official.official_venv import VERSION, run_official

    items = [{"id": w, "parser": p, "value": v} for w, p, v in OFFICIAL_EXAMPLES]
    result = run_official("parse_examples.py", stdin=json.dumps(items), timeout=120)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["version"] == VERSION
    verdicts: dict[str, Any] = answer["results"]
    return verdicts


def test_every_success_example_has_an_official_parser() -> None:
    for where, pointer, _ in EXAMPLES:
        if "/responses/2" in where:
            assert _official_parser(where, pointer), f"no 0.6.6 parser for {where}"
    assert len(OFFICIAL_EXAMPLES) >= 25


@pytest.mark.parametrize(
    ("where", "parser", "value"),
    OFFICIAL_EXAMPLES,
    ids=[w.replace("~1", "/") for w, _, _ in OFFICIAL_EXAMPLES],
)
def test_example_parses_with_the_official_sdk(
    official_verdicts: dict[str, Any], where: str, parser: str, value: Any
) -> None:
    verdict = official_verdicts[where]
    assert verdict["ok"], f"official 0.6.6 rejects {where}: {verdict['error']}"
    if parser == "ResolveError":
        assert verdict["got"] == RESOLVE_ERRORS[value["error_code"]]
    if parser == "InvalidCategoriesError":
        assert verdict["got"]["invalid_categories"] == value["detail"]["invalid_categories"]
    if parser == "ContextStream":
        assert verdict["got"][-1] is True and not any(verdict["got"][:-1])
