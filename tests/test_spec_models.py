"""The spec's answers and the public models agree: regenerating for an API change is checked.

The public models (``recallrai.models``, ``User``, ``Session``, ``MergeConflict``, the
pages) are hand-written, tolerant parsers; the README's spec section says why they
are not generated. This test is what keeps them complete. It reads
``openapi/recallrai.yaml`` and fails, naming the schema and field, when a schema that
a successful answer can contain has a property the matching public model neither
reads and exposes nor lists below as deliberately hidden; and when a spec enum has
a value the matching public enum lacks. "Reads" is observed, not declared: each
model's parser is fed a sample of the schema through a mapping that records the
keys it looks up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml

from recallrai import models
from recallrai._core import page_fields
from recallrai.merge_conflict import MergeConflict
from recallrai.pagination import MemoryList, MergeConflictList, MessageList, SessionList, UserList
from recallrai.session import Session
from recallrai.user import User

SPEC = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "openapi" / "recallrai.yaml").read_text()
)
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]


class Recording(Mapping[str, Any]):
    """A wire object that remembers which keys were looked up."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self.data.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self.data

    def __iter__(self) -> Iterator[str]:  # iterating reads everything: no credit given
        return iter(())

    def __len__(self) -> int:
        return len(self.data)


def _page(cls: type, key: str) -> Callable[[Mapping[str, Any]], Any]:
    def parse(data: Mapping[str, Any]) -> Any:
        items, total, has_more = page_fields(data, key)
        return cls(items, total=total, has_more=has_more, offset=0, fetch=None)

    return parse


# schema -> (how the SDK parses it, {wire name: public attribute} where they differ)
PUBLIC: dict[str, tuple[Callable[[Mapping[str, Any]], Any], dict[str, str]]] = {
    "User": (lambda d: User(None, d), {"custom_user_id": "user_id"}),  # type: ignore[arg-type]
    "Session": (lambda d: Session(None, "u", d), {}),  # type: ignore[arg-type]
    "MergeConflict": (
        lambda d: MergeConflict(None, "u", d),  # type: ignore[arg-type]
        {"id": "conflict_id", "project_user_session_id": "session_id"},
    ),
    "Message": (models.Message.from_wire, {}),
    "UserMessage": (models.UserMessage.from_wire, {}),
    "LastMessages": (models.LastMessages.from_wire, {}),
    "Memory": (models.MemoryItem.from_wire, {}),
    "MemoryVersion": (models.MemoryVersion.from_wire, {}),
    "ConnectedMemory": (models.ConnectedMemory.from_wire, {}),
    "Context": (models.Context.from_wire, {}),
    "ContextStatusEvent": (models.Context.from_wire, {}),  # get_context_stream() yields these
    "ContextMetadata": (models.ContextMetadata.from_wire, {}),
    "DateRangeFilter": (models.DateRangeFilter.from_wire, {}),
    "NewMemory": (models.MergeConflictNewMemory.from_wire, {}),
    "ConflictingMemory": (models.MergeConflictConflictingMemory.from_wire, {}),
    "ClarifyingQuestion": (models.MergeConflictQuestion.from_wire, {}),
    "UserList": (_page(UserList, "users"), {}),
    "SessionList": (_page(SessionList, "sessions"), {}),
    "MessageList": (_page(MessageList, "messages"), {}),
    "MemoryList": (_page(MemoryList, "items"), {}),
    "MergeConflictList": (_page(MergeConflictList, "conflicts"), {}),
}

# schema -> {property: why the SDK does not expose it}
HIDDEN: dict[str, dict[str, str]] = {
    "MessageAccepted": {"message": "an acknowledgement; add_message returns None"},
    "ProcessAccepted": {"message": "an acknowledgement; process returns None"},
    "SystemPrompt": {"system_prompt": "prepended to get_context()'s context, not returned"},
}

# schemas with no properties of their own: free-form objects, exposed as dicts
FREE_FORM = {"Metadata", "ResolutionData"}

# schemas that are no object of their own: compositions of mapped ones, open strings
NOT_OBJECTS: dict[str, str] = {
    "ContextEvent": "oneOf ContextStatusEvent | ContextFinalEvent, both checked",
    "ContextFinalEvent": "allOf Context plus is_final, checked as Context",
    "ExpirationReason": "an open string: MemoryVersion.expiration_reason keeps any code",
}

# spec enum -> the public enum holding its values, or why there is none
ENUMS: dict[str, type[Enum] | str] = {
    "MessageRole": models.MessageRole,
    "SessionStatus": models.SessionStatus,
    "RecallStrategy": models.RecallStrategy,
    "MergeConflictStatus": models.MergeConflictStatus,
    "MergeConflictSortBy": "a request parameter (sort_by), checked by the generated enum",
    "SortOrder": "a request parameter (sort_order), checked by the generated enum",
    "DateRangeFilterType": "DateRangeFilter.filter_type is an open string",
}


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def referenced(schema: Any) -> Iterator[str]:
    """The component schemas ``schema`` refers to, directly or nested."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield ref_name(schema["$ref"])
        for value in schema.values():
            yield from referenced(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from referenced(value)


def answer_schemas() -> set[str]:
    """Every component schema a successful answer can contain, transitively."""
    responses = SPEC["components"].get("responses", {})
    todo: list[str] = []
    for item in SPEC["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                if not str(code).startswith("2"):
                    continue
                if "$ref" in response:
                    response = responses[ref_name(response["$ref"])]
                todo += referenced(response.get("content", {}))
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += referenced(SCHEMAS[name])
    return seen


def sample(schema: dict[str, Any]) -> Any:
    """A plausible wire value for ``schema`` (nested objects and lists left empty)."""
    if "$ref" in schema:
        target = SCHEMAS[ref_name(schema["$ref"])]
        return target["enum"][0] if "enum" in target else {}
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            variants = [s for s in schema[key] if s.get("type") != "null"]
            return sample(variants[0]) if variants else None
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "string":
        return "2025-01-01T00:00:00Z" if schema.get("format") == "date-time" else "x"
    return {"integer": 1, "number": 0.5, "boolean": True, "array": [], "object": {}}.get(kind)


def properties(name: str) -> dict[str, Any]:
    return dict(SCHEMAS[name].get("properties") or {})


def test_every_answer_schema_has_a_public_model_or_a_reason() -> None:
    schemas = {name for name in answer_schemas() if "enum" not in SCHEMAS[name]}
    unmapped = sorted(schemas - PUBLIC.keys() - HIDDEN.keys() - FREE_FORM - NOT_OBJECTS.keys())
    assert not unmapped, f"answer schemas without a public model: {unmapped}"
    for name in sorted(NOT_OBJECTS.keys() & schemas):
        assert not properties(name), f"{name} now has properties: give it a public model"
    for name in sorted(FREE_FORM & schemas):
        assert not properties(name), f"{name} now has properties: give it a public model"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_field_of_an_answer_is_exposed_or_deliberately_hidden(name: str) -> None:
    assert name in SCHEMAS, f"{name} is no longer in the spec: update this table"
    props = properties(name)
    wire = Recording({key: sample(schema) for key, schema in props.items()})
    parse, renamed = PUBLIC[name]
    public = parse(wire)
    hidden = HIDDEN.get(name, {})
    missing = []
    for key in sorted(props):
        if key in hidden:
            continue
        attribute = renamed.get(key, key)
        if key not in wire.read or not hasattr(public, attribute):
            missing.append(f"{name}.{key}")
    assert not missing, (
        f"spec fields the public model neither exposes nor lists as hidden: {missing}"
    )


@pytest.mark.parametrize("name", sorted(HIDDEN))
def test_hidden_fields_still_exist(name: str) -> None:
    stale = set(HIDDEN[name]) - set(properties(name))
    assert not stale, f"{name}: hidden fields no longer in the spec: {sorted(stale)}"


def test_every_spec_enum_is_accounted_for() -> None:
    enums = sorted(name for name, schema in SCHEMAS.items() if "enum" in schema)
    assert enums == sorted(ENUMS), "a spec enum was added or removed: update ENUMS"


@pytest.mark.parametrize("name", sorted(n for n, e in ENUMS.items() if not isinstance(e, str)))
def test_every_enum_value_has_a_public_member(name: str) -> None:
    public = ENUMS[name]
    assert not isinstance(public, str)
    known = {member.value for member in public}  # pseudo-members of unknown values excluded
    missing = [v for v in SCHEMAS[name]["enum"] if v not in known]
    assert not missing, f"{name} values without a member of {public.__name__}: {missing}"
