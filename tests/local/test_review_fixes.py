"""Regressions from the security review of the local server.

Keys no client can send are refused at startup; a missing key header matches nothing;
control bodies are parsed as deep-safely as API bodies; blank ids, over-long or
control-character project ids are 422s; a 422 echoes only an excerpt of the input;
no request prints a traceback.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_app import START, Client, enc

from recallrai import _validation
from recallrai.exceptions import ValidationError
from recallrai.local.__main__ import main
from recallrai.local._admission import Gate, run
from recallrai.local._app import LocalApp
from recallrai.local._clock import ManualClock
from recallrai.local._faults import FaultPlan
from recallrai.local._wire import MAX_ECHO_CHARS, LocalRequest, LocalResponse
from recallrai.local.testing import local_http_server

ROOT = Path(__file__).resolve().parents[2]
DEEP = b'{"fail_next":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
BAD_KEYS = ["", "rai_has space", "rai_tab\t", "rai_caf\u00e9", "sk_not_rai", " rai_lead"]


@pytest.fixture
def client() -> Iterator[Client]:
    app = LocalApp(clock=ManualClock(START), background=False)
    yield Client(app)
    app.close()


def _cli(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    return subprocess.Popen(
        [sys.executable, "-m", "recallrai.local", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


# -- 1. keys ---------------------------------------------------------------------------------


def test_serve_refuses_an_empty_key_at_startup() -> None:
    proc = _cli("--api-key", "", "--test-controls")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert out == ""
    assert err.count("\n") == 1 and "empty" in err, err


@pytest.mark.parametrize("key", BAD_KEYS)
def test_serve_refuses_a_key_no_client_can_send(
    key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", "0", "--api-key", "rai_fine", "--api-key", key])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--api-key" in err, err
    if key.strip():
        assert key.strip() not in err  # the key itself never shows
    if key == "sk_not_rai":
        assert "rai_" in err and "SDK" in err


@pytest.mark.parametrize("key", BAD_KEYS)
def test_local_app_refuses_such_keys(key: str) -> None:
    with pytest.raises(ValueError, match="API key"):
        LocalApp(api_keys=["rai_fine", key], background=False)


def test_local_app_refuses_one_string_for_a_collection() -> None:
    with pytest.raises(ValueError, match="collection"):
        LocalApp(api_keys="rai_key", background=False)


def test_a_missing_key_header_matches_nothing_over_http() -> None:
    with local_http_server(api_keys=["rai_right"]) as server:
        project = {"x-recallr-project-id": "p"}
        with httpx.Client(base_url=server.url, timeout=10) as http:
            for path in ("/_local/faults", "/api/v1/users"):
                assert http.get(path, headers=project).status_code == 401, path
                wrong = {**project, "x-recallr-api-key": "rai_wrong"}
                assert http.get(path, headers=wrong).status_code == 401, path
                right = {**project, "x-recallr-api-key": "rai_right"}
                assert http.get(path, headers=right).status_code == 200, path


class _EmptyKeyApp:
    """An app that (wrongly) lists "" as a key: the gate must still want a header."""

    api_keys = frozenset({""})
    clock = ManualClock(START)

    def handle(self, request: LocalRequest) -> LocalResponse:
        return LocalResponse(200, [])

    def run_due_work(self) -> None:
        pass


def test_the_control_gate_never_treats_a_missing_header_as_empty() -> None:
    gate = Gate(_EmptyKeyApp(), FaultPlan(), test_controls=True)
    missing = LocalRequest("GET", "/_local/faults", [], {})
    assert run(gate.steps(missing), lambda s: None).response.status == 401  # type: ignore[union-attr]
    empty = LocalRequest("GET", "/_local/faults", [], {"x-recallr-api-key": ""})
    assert run(gate.steps(empty), lambda s: None).response.status == 200  # type: ignore[union-attr]


def test_the_app_never_treats_a_missing_header_as_a_key(client: Client) -> None:
    assert client.call("GET", "/users", headers={"x-recallr-project-id": "p"}).status == 401


# -- 2. deep control bodies --------------------------------------------------------------------


def test_deep_control_bodies_get_422_and_nothing_on_stderr() -> None:
    proc = _cli("--test-controls", "--manual-clock")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.rsplit(" ", 1)[1].strip()
        headers = {"x-recallr-api-key": "rai_k", "content-type": "application/json"}
        with httpx.Client(base_url=url, headers=headers, timeout=20) as http:
            for path in ("/_local/faults", "/_local/clock/advance"):
                reply = http.post(path, content=DEEP)
                assert reply.status_code == 422, (path, reply.text)
                assert "JSON" in reply.json()["detail"]
            assert http.get("/_local/faults").json()["faults"] == []
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=15)
    assert err == ""


def test_a_deep_fault_body_is_served_as_text() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with local_http_server() as server:
        headers = {"x-recallr-api-key": "rai_k", "x-recallr-project-id": "p"}
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            armed = http.post("/_local/faults", json={"fail_next": 1, "body": deep})
            assert armed.status_code == 200, armed.text
            reply = http.get("/api/v1/users")
            assert reply.status_code == 503
            assert reply.headers["content-type"].startswith("text/plain")


class _Broken:
    api_keys = None

    def handle(self, request: LocalRequest) -> LocalResponse:
        raise RuntimeError("boom " + "x" * 10_000)


def test_an_unexpected_failure_is_one_log_line_without_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="recallrai.local")
    gate = Gate(_Broken(), FaultPlan(), test_controls=False)  # type: ignore[arg-type]
    outcome = run(gate.steps(LocalRequest("GET", "/api/v1/users", [], {})), lambda s: None)
    assert outcome.response.status == 500  # type: ignore[union-attr]
    [record] = caplog.records
    assert record.exc_info is None
    assert "RuntimeError: boom" in record.getMessage()
    assert len(record.getMessage()) < 400


# -- 3. blank ids ------------------------------------------------------------------------------


def _sdk_accepts(value: str) -> bool:
    try:
        _validation.identifier("user_id", value)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize(
    "value",
    [" ", "   ", "\u00a0\u3000", "\u2028", "\x1c\x1d", "\u200b", "a b", " x "],
    ids=["space", "spaces", "nbsp-ideographic", "line-sep", "info-sep", "zwsp", "inner", "pad"],
)
def test_blank_ids_are_refused_exactly_as_the_sdk_refuses_them(client: Client, value: str) -> None:
    created = client.post("/users", {"custom_user_id": value})
    if _sdk_accepts(value):  # e.g. U+200B: not whitespace to str.strip(), so not blank
        assert created.status == 201, created.text
        return
    assert created.status == 422, created.text
    [problem] = created.detail
    if problem["type"] != "string_pattern_mismatch":  # \x1c is a control character too
        assert problem == {
            "type": "value_error",
            "loc": ["body", "custom_user_id"],
            "msg": "Value error, must not be blank",
            "input": value,
        }
    assert client.get("/users").json["total"] == 0
    assert client.get(f"/users/{enc(value)}").status == 422


def test_blank_ids_in_renames_paths_and_queries_are_refused(client: Client) -> None:
    assert client.post("/users", {"custom_user_id": "x"}).status == 201
    rename = client.call("PUT", "/users/x", {"new_custom_user_id": " "})
    assert rename.status == 422, rename.text
    assert rename.detail[0]["loc"] == ["body", "new_custom_user_id"]
    assert client.get("/users/x").status == 200
    assert client.get("/users/%20%20/sessions").status == 422
    assert client.get("/users/x/sessions/%E3%80%80").detail[0]["loc"] == ["path", "session_id"]
    memories = client.get("/users/x/memories", session_id_filter=" ")
    assert memories.status == 422
    assert memories.detail[0]["loc"] == ["query", "session_id_filter", 0]


# -- 4. project ids ----------------------------------------------------------------------------


@pytest.mark.parametrize("project", ["p" * 256, "p" * 200_000, "a\x01b", "del\x7f", " "])
def test_a_project_id_that_is_not_an_id_is_refused(client: Client, project: str) -> None:
    headers = {"x-recallr-api-key": "rai_k", "x-recallr-project-id": project}
    reply = client.call("POST", "/users", {"custom_user_id": "u"}, headers=headers)
    assert reply.status == 422, reply.text
    assert reply.detail[0]["loc"] == ["header", "X-Recallr-Project-Id"]
    assert len(reply.text) < 1000
    assert client.call("GET", "/users", headers=headers).status == 422


def test_a_project_id_of_255_characters_is_fine(client: Client) -> None:
    headers = {"x-recallr-api-key": "rai_k", "x-recallr-project-id": "p" * 255}
    assert client.call("POST", "/users", {"custom_user_id": "u"}, headers=headers).status == 201


def test_a_long_project_id_over_http_is_422() -> None:
    with local_http_server() as server:
        headers = {"x-recallr-api-key": "rai_k", "x-recallr-project-id": "p" * 10_000}
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as http:
            reply = http.post("/api/v1/users", json={"custom_user_id": "u"})
            assert reply.status_code == 422, reply.text


# -- 5. echoed input ---------------------------------------------------------------------------


def _echoed(reply: Any) -> Any:
    assert reply.status == 422, reply.text
    return reply.detail[0]["input"]


def test_a_huge_message_is_echoed_as_an_excerpt(client: Client) -> None:
    client.post("/users", {"custom_user_id": "u"})
    session = client.post("/users/u/sessions", {}).json["session_id"]
    reply = client.post(
        f"/users/u/sessions/{session}/add-message", {"role": "user", "message": "m" * 1_000_001}
    )
    assert _echoed(reply) == "m" * MAX_ECHO_CHARS + "…"
    assert len(reply.text) < 1000


def test_huge_ids_and_objects_are_echoed_as_excerpts(client: Client) -> None:
    assert _echoed(client.post("/users", {"custom_user_id": "u" * 100_000})) == "u" * 100 + "…"
    big = {"b": "x" * 70_000}
    echoed = _echoed(client.post("/users", {"custom_user_id": "u", "metadata": big}))
    assert echoed == json.dumps(big, separators=(",", ":"))[:MAX_ECHO_CHARS] + "…"
    short = {"a": 1}
    missing = client.post("/users", short)  # a missing field echoes the (short) body as is
    assert _echoed(missing) == short
    assert len(client.post("/users", {"x": "y" * 100_000}).text) < 1000
    assert len(client.get("/users/" + "u" * 100_000).text) < 1000
