"""Contract test: schemathesis runs openapi/recallrai.yaml against the local HTTP server.

Every operation in the spec gets generated requests: the spec's examples, schemathesis's
coverage phase (boundary values, missing credentials, other HTTP methods) and Hypothesis
fuzzing, in positive and negative mode. Every response must pass `CHECKS`, above all:

* ``not_a_server_error``: no 5xx, whatever the request;
* ``status_code_conformance``: the status is one the operation documents;
* ``content_type_conformance``: the content type is one documented for that status;
* ``response_headers_conformance``: documented required headers are present and valid;
* ``response_schema_conformance``: the body validates against the documented schema
  (for ``text/event-stream``, ``event_stream_conformance`` below instead).

Random path ids name nothing, so without help nearly every answer would be a 404. Each
operation therefore starts from freshly seeded data: users ``contract-user`` and
``user123`` (the spec's example ``user_id``), each with processed sessions, a pending
session, memories (one with an expired earlier version) and merge conflicts (one resolved,
one pending). A schema hook gives three fuzzed cases in four a seeded user, half of them
with every other path id seeded too; cases that carry the spec's example ids (the examples
and coverage phases) are pointed at ``user123``'s data. Other hooks sometimes put a valid
JSON filter or time zone into the query and the right answer into a
``resolveMergeConflict`` body.

The run is deterministic (``derandomize=True``): about 2,100 cases, 1,100 of them fuzzed
(``MAX_EXAMPLES`` per operation), in well under a minute. ``test_cases_ran``, last in the
file, checks that every operation ran and that there were at least ``MIN_CASES``; the
count appears in pytest's terminal summary.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from recallrai.local._app import LocalApp
from recallrai.local._http import LocalServer
from recallrai.local.testing import local_http_server

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "recallrai.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
HEADERS = {"X-Recallr-Api-Key": "rai_contract", "X-Recallr-Project-Id": "contract"}

MAX_EXAMPLES = 50  # fuzzed cases per operation; the examples and coverage phases add more
MIN_CASES = 1000

schema = schemathesis.openapi.from_path(SPEC_PATH)
OPERATIONS = {result.ok().label for result in schema.get_all_operations()}

# The spec's example path ids, e.g. {"user_id": "user123", "session_id": "6f1c2a9e-..."}.
EXAMPLE_IDS: dict[str, str] = {
    p["name"]: p["example"] for p in SPEC["components"]["parameters"].values() if p["in"] == "path"
}
FUZZ_USER = "contract-user"
EXAMPLE_USER = EXAMPLE_IDS["user_id"]


# ---------------------------------------------------------------- event streams
# `getContext?stream=true` answers `text/event-stream`. The spec (OpenAPI 3.1) gives that
# body `schema: {type: string}` (the whole stream is text) and says in words that each
# event is `data: <Context JSON>`. Schemathesis reads a 3.1 event-stream `schema` as the
# schema of each parsed event object ({"data": ..., "event": "message"}), as if it were
# 3.2's `itemSchema`, so `response_schema_conformance` cannot pass on a stream whatever the
# server sends. Streams get `event_stream_conformance` instead.
_SPEC_URI = "urn:recallrai:openapi"
_REGISTRY: Registry[Any] = Registry().with_resource(_SPEC_URI, DRAFT202012.create_resource(SPEC))
CONTEXT = Draft202012Validator(
    {"$ref": f"{_SPEC_URI}#/components/schemas/Context"}, registry=_REGISTRY
)


def _is_event_stream(response: schemathesis.Response) -> bool:
    content_type = next(
        (v[0] for k, v in response.headers.items() if k.lower() == "content-type" and v), ""
    )
    return content_type.split(";")[0].strip().lower() == "text/event-stream"


@schemathesis.check
def event_stream_conformance(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
) -> bool | None:
    """A `text/event-stream` body is UTF-8 text of `data: <Context JSON>` events, only the
    last one final."""
    if not _is_event_stream(response):
        return None
    text = response.content.decode("utf-8")
    assert text.endswith("\n\n"), "the stream does not end with a complete event"
    finals = []
    for block in text.split("\n\n")[:-1]:
        lines = block.split("\n")
        assert all(line.startswith("data:") for line in lines), f"not a data event: {block!r}"
        event = json.loads("\n".join(line.removeprefix("data:").lstrip(" ") for line in lines))
        errors = [error.message for error in CONTEXT.iter_errors(event)]
        assert not errors, f"event {event!r} is not a Context: {errors}"
        finals.append(event["is_final"])
    assert finals and finals == [False] * (len(finals) - 1) + [True], f"is_final: {finals}"
    return True


CHECKS = [
    # what the contract asks for
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    event_stream_conformance,
    # cheap extras that hold: 405 with `Allow` for other methods, 401 without credentials
    unsupported_method,
    allow_header_conformance,
    missing_required_header,
    ignored_auth,
]
STREAM_CHECKS = [check for check in CHECKS if check is not response_schema_conformance]
# Not used: `negative_data_rejection` and `positive_data_acceptance`. The server is lenient
# where the spec is strict (unknown query parameters are ignored; `null` for an optional
# object field means "absent"; `createSession` takes an empty body), and it rejects with a
# documented 400/422 values the spec cannot express (a JSON filter that is not JSON, an
# unknown time zone or category, a session that is no longer pending).


# ----------------------------------------------------------------------- seeds
@dataclass
class Seeded:
    """The ids of one seeded user's data."""

    session_ids: list[str] = field(default_factory=list)  # the pending one first
    memory_ids: list[str] = field(default_factory=list)  # current versions, then expired
    conflict_ids: list[str] = field(default_factory=list)  # the pending one first
    answer: dict[str, Any] = field(default_factory=dict)  # resolves the pending conflict

    def ids(self, name: str) -> list[str]:
        kinds = {"session_id": "session_ids", "memory_id": "memory_ids"}
        return list(getattr(self, kinds.get(name, "conflict_ids")))


SEEDS: dict[str, Seeded] = {}  # user id -> its seeded data, renewed for every operation
CASES: Counter[tuple[str, int]] = Counter()  # (operation, status) -> cases run
PHASES: Counter[str] = Counter()  # "fuzzing/positive" etc. -> cases run


def _seed_user(http: httpx.Client, app: LocalApp, user_id: str) -> Seeded:
    """(Re)create a user with sessions, memories and merge conflicts."""
    user = f"/users/{quote(user_id, safe='')}"
    assert http.delete(user).status_code in (204, 404)
    body = {"custom_user_id": user_id, "metadata": {"plan": "pro"}, "merge_conflict_enabled": True}
    assert http.post("/users", json=body).status_code == 201

    def session(*turns: str, process: bool = True) -> str:
        created = http.post(f"{user}/sessions", json={"metadata": {"type": "chat"}})
        session_id: str = created.json()["session_id"]
        for i, text in enumerate(turns):
            message = {"message": text, "role": "assistant" if i % 2 else "user"}
            assert http.post(f"{user}/sessions/{session_id}/add-message", json=message).is_success
        if process:
            assert http.post(f"{user}/sessions/{session_id}/process").is_success
            app.run_due_work()  # finish processing now instead of in the worker
        return session_id

    def answer(conflict: dict[str, Any], option: int) -> dict[str, Any]:
        question = conflict["clarifying_questions"][0]
        chosen = {"question": question["question"], "answer": question["options"][option]}
        return {"answers": {"question_answers": [chosen]}}

    session("I live in Berlin. My favourite food is sushi. I'm allergic to peanuts.", "Noted!")
    session("I live in Paris now.")
    [moved] = http.get(f"{user}/merge-conflicts").json()["conflicts"]
    resolved = http.post(f"{user}/merge-conflicts/{moved['id']}/resolve", json=answer(moved, 0))
    assert resolved.status_code == 200, resolved.text
    session("My favourite food is pizza now.")
    pending = session("What should I cook tonight?", "How about pasta?", process=False)

    sessions = [s["session_id"] for s in http.get(f"{user}/sessions").json()["sessions"]]
    memories = http.get(f"{user}/memories").json()["items"]
    expired = [v["memory_id"] for m in memories for v in m["previous_versions"]]
    [conflict] = http.get(f"{user}/merge-conflicts", params={"status": "PENDING"}).json()[
        "conflicts"
    ]
    assert expired and len(sessions) == 4
    return Seeded(
        session_ids=[pending, *(s for s in sessions if s != pending)],
        memory_ids=[m["memory_id"] for m in memories] + expired,
        conflict_ids=[conflict["id"], moved["id"]],
        answer=answer(conflict, 1),
    )


# ------------------------------------------------------------------------ hooks
def _with_seeded_ids(params: dict[str, Any], pick: int) -> dict[str, Any]:
    """`params` as generated (pick 0), with the seeded user (1), or every id seeded (2+)."""
    seeded = dict(params)
    if pick >= 1 and "user_id" in seeded:
        seeded["user_id"] = FUZZ_USER
    for name in seeded.keys() - {"user_id"} if pick >= 2 else ():
        choices = SEEDS[FUZZ_USER].ids(name)
        seeded[name] = choices[(pick - 2) % len(choices)]
    return seeded


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: dict[str, Any] | None
) -> st.SearchStrategy[Any]:
    if not path_parameters:
        return st.just(path_parameters)
    # The ids are read when the case is drawn: after seeding, and fresh for each operation.
    return st.integers(0, 3).map(lambda pick: _with_seeded_ids(path_parameters, pick))


# Free strings that the server reads as JSON objects or time zones (anything else gets a
# documented 422): sometimes a meaningful one.
MEANINGFUL_QUERY = {
    "metadata_filter": ['{"plan": "pro"}', '{"type": "chat"}', "{}"],
    "user_metadata_filter": ['{"plan": "pro"}', "{}"],
    "session_metadata_filter": ['{"type": "chat"}', "{}"],
    "timezone": ["UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata"],
}


@schema.hook
def flatmap_query(
    context: schemathesis.HookContext, query: dict[str, Any] | None
) -> st.SearchStrategy[Any]:
    names = [n for n in MEANINGFUL_QUERY if query and isinstance(query.get(n), str)]
    if not query or not names:
        return st.just(query)
    meaningful = st.fixed_dictionaries({n: st.sampled_from(MEANINGFUL_QUERY[n]) for n in names})
    return st.one_of(st.just(query), meaningful.map(lambda values: {**query, **values}))


@schema.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    operation = context.operation
    if operation is None or not operation.path.endswith("/resolve"):
        return st.just(body)
    # Sometimes the answer that resolves the seeded pending conflict.
    return st.booleans().map(
        lambda valid: copy.deepcopy(SEEDS[FUZZ_USER].answer) if valid else body
    )


# HTTP framing headers are the client library's business, not the API's: a generated
# `Content-Length: (` makes the server refuse the message itself (400 before any routing,
# as any HTTP server or gateway would), which says nothing about the contract.
FRAMING_HEADERS = {"content-length", "transfer-encoding", "host", "connection", "expect"}


@schema.hook
def map_headers(context: schemathesis.HookContext, headers: dict[str, Any] | None) -> Any:
    if not headers:
        return headers
    return {k: v for k, v in headers.items() if k.lower() not in FRAMING_HEADERS}


def _point_examples_at_seeds(case: schemathesis.Case) -> None:
    """Swap the spec's example ids in a case for the seeded ids of `user123`."""
    params = case.path_parameters
    if not params or params.get("user_id") != EXAMPLE_USER:
        return
    for name in params.keys() - {"user_id"}:
        if params[name] == EXAMPLE_IDS[name]:
            params[name] = SEEDS[EXAMPLE_USER].ids(name)[0]


# --------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def server() -> Iterator[LocalServer]:
    with local_http_server() as started:
        yield started


@pytest.fixture
def seeded(server: LocalServer) -> dict[str, Seeded]:
    """Fresh seeds for the operation under test (the previous one may have deleted some)."""
    app = server.app
    assert isinstance(app, LocalApp)
    with httpx.Client(base_url=f"{server.url}/api/v1", headers=HEADERS) as http:
        for user_id in (FUZZ_USER, EXAMPLE_USER):
            SEEDS[user_id] = _seed_user(http, app, user_id)
    return SEEDS


# ------------------------------------------------------------------------ tests
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,  # the seeds are renewed per operation on purpose
    ],
)
def test_api_conforms(
    case: schemathesis.Case, server: LocalServer, seeded: dict[str, Seeded]
) -> None:
    _point_examples_at_seeds(case)
    response = case.call(base_url=server.url, headers=HEADERS)
    checks = STREAM_CHECKS if _is_event_stream(response) else CHECKS
    case.validate_response(response, checks=checks, headers=HEADERS)
    CASES[(case.operation.label, response.status_code)] += 1
    if case.meta is not None:
        PHASES[f"{case.meta.phase.name.value}/{case.meta.generation.mode.value}"] += 1


def test_cases_ran(record_property: Callable[[str, object], None]) -> None:
    """Last in the file, so last to run: every operation ran, and enough cases in all.

    The count goes into the terminal summary (tests/contract/conftest.py); the table of
    cases per operation and status is printed (shown with `-s` or on failure).
    """
    if not CASES:
        pytest.skip("the contract cases did not run (run the whole module)")
    total = sum(CASES.values())
    phases = ", ".join(f"{phase} {count}" for phase, count in sorted(PHASES.items()))
    summary = f"{total} cases over {len({op for op, _ in CASES})} operations ({phases})"
    record_property("contract_cases", summary)
    print(f"\ncontract: {summary}")
    for (operation, status), count in sorted(CASES.items()):
        print(f"  {operation} -> {status}: {count}")
    assert {op for op, _ in CASES} == OPERATIONS
    assert total >= MIN_CASES
