"""The inspector's proxy over real sockets: its guard, its JSON errors, its entry points."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from recallrai import RecallrAI
from recallrai.local.testing import PROJECT_ID, local_http_server
from recallrai.ui import InspectorServer

from .conftest import API_KEY, Inspector

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def http(inspector: Inspector) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=inspector.server.url, timeout=10) as client:
        yield client


def csrf_of(http: httpx.Client) -> str:
    page = http.get("/").text
    marker = 'name="csrf-token" content="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def resolve_url(inspector: Inspector) -> str:
    return f"/api/users/alice/conflicts/{inspector.data.conflict_id}/resolve"


def test_the_page_and_its_assets_are_served_with_a_strict_policy(http: httpx.Client) -> None:
    page = http.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "__CSRF_TOKEN__" not in page.text
    for asset, kind in (("/app.js", "text/javascript"), ("/app.css", "text/css")):
        answer = http.get(asset)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)
    assert "access-control-allow-origin" not in {k.lower() for k in page.headers}
    for path in ("/../pyproject.toml", "/static/app.js", "/%2e%2e/recallrai/ui/_server.py"):
        assert http.get(path).status_code == 404


def test_a_rebound_host_name_is_refused(http: httpx.Client) -> None:
    """DNS rebinding: evil.example resolving to 127.0.0.1 sends its own Host."""
    for host in ("evil.example", "evil.example:80", "127.0.0.1", "127.0.0.1.nip.io:1"):
        answer = http.get("/api/users", headers={"Host": host})
        assert answer.status_code == 421
        assert answer.json()["error"]["type"] == "HostRefused"
    port = httpx.URL(str(http.base_url)).port
    assert http.get("/api/users", headers={"Host": f"localhost:{port}"}).status_code == 200


def test_writes_need_the_csrf_token_and_the_same_origin(
    http: httpx.Client, inspector: Inspector
) -> None:
    url = resolve_url(inspector)
    answer = http.post(url, json={"answers": []})
    assert answer.status_code == 403 and "X-Inspector-CSRF" in answer.json()["error"]["message"]
    csrf = csrf_of(http)
    headers = {"X-Inspector-CSRF": csrf}
    cross = http.post(
        url, json={"answers": []}, headers={**headers, "Origin": "http://evil.example"}
    )
    assert cross.status_code == 403
    site = http.post(url, json={"answers": []}, headers={**headers, "Sec-Fetch-Site": "cross-site"})
    assert site.status_code == 403
    form = http.post(url, content=b"answers=x", headers={**headers, "Content-Type": "text/plain"})
    assert form.status_code == 403
    preflight = http.options(url, headers={"Origin": "http://evil.example"})
    assert preflight.status_code == 405
    assert "access-control-allow-origin" not in {k.lower() for k in preflight.headers}
    conflict = inspector.client.get_user("alice").get_merge_conflict(inspector.data.conflict_id)
    assert conflict.status.value == "PENDING"  # none of those got through


def test_resolve_answers_the_sdks_errors_as_json_then_resolves(
    http: httpx.Client, inspector: Inspector
) -> None:
    url = resolve_url(inspector)
    origin = str(http.base_url).rstrip("/")
    headers = {"X-Inspector-CSRF": csrf_of(http), "Origin": origin}
    conflict = inspector.client.get_user("alice").get_merge_conflict(inspector.data.conflict_id)
    question = conflict.clarifying_questions[0]

    wrong = http.post(
        url, json={"answers": [{"question": question.question, "answer": "Rome"}]}, headers=headers
    )
    assert wrong.status_code == 400
    error = wrong.json()["error"]
    assert error["type"] == "MergeConflictInvalidAnswerError"
    assert error["question"] == question.question
    assert error["valid_options"] == question.options

    bad_body = http.post(url, json={"answers": "all"}, headers=headers)
    assert bad_body.status_code == 422 and bad_body.json()["error"]["type"] == "ValidationError"
    not_json = http.post(url, content=b"{", headers={**headers, "Content-Type": "application/json"})
    assert not_json.status_code == 400

    right = http.post(
        url,
        json={"answers": [{"question": question.question, "answer": question.options[1]}]},
        headers=headers,
    )
    assert right.status_code == 200, right.text
    assert right.json()["conflict"]["status"] == "RESOLVED"
    conflict.refresh()
    assert conflict.status.value == "RESOLVED"
    again = http.post(
        url,
        json={"answers": [{"question": question.question, "answer": question.options[1]}]},
        headers=headers,
    )
    assert again.json()["error"]["type"] == "MergeConflictAlreadyResolvedError"


def test_header_names_are_case_insensitive(http: httpx.Client, inspector: Inspector) -> None:
    lower = {"x-inspector-csrf": csrf_of(http), "origin": str(http.base_url).rstrip("/")}
    answer = http.post(resolve_url(inspector), json={"answers": []}, headers=lower)
    assert answer.json()["error"]["type"] == "MergeConflictMissingAnswersError"  # got through
    shouting = {"X-INSPECTOR-CSRF": csrf_of(http), "ORIGIN": "http://evil.example"}
    refused = http.post(resolve_url(inspector), json={"answers": []}, headers=shouting)
    assert refused.status_code == 403


def test_stop_then_start_serves_again(inspector: Inspector) -> None:
    server = InspectorServer(inspector.client).start()
    server.stop()
    server.start()
    try:
        assert httpx.get(server.url + "api/users/alice").json()["counts"]["sessions"] == 2
    finally:
        server.stop()
    server.stop()  # twice is fine


def test_the_page_never_sees_credentials_in_the_base_url() -> None:
    with (
        local_http_server() as api,
        RecallrAI(
            api_key=API_KEY,
            project_id=PROJECT_ID,
            base_url=api.url.replace("http://", "http://someone:pa55word@"),
        ) as client,
        InspectorServer(client) as server,
    ):
        info = httpx.get(server.url + "api/info").json()
    assert info["base_url"] == api.url
    assert "pa55word" not in str(info)


def test_user_search_scans_in_steps_and_says_where_to_go_on(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The API cannot search users: each request scans a bounded stretch of them."""
    monkeypatch.setattr("recallrai.ui._api.SEARCH_SCAN_LIMIT", 10)
    found: list[str] = []
    offset, requests = 0, 0
    while True:
        answer = http.get("/api/users", params={"q": "USER-001", "offset": offset, "limit": 3})
        page = answer.json()
        requests += 1
        assert page["scanned_to"] - offset <= 10 and page["total"] == 31
        found += [u["user_id"] for u in page["items"]]
        if not page["has_more"]:
            break
        offset = page["scanned_to"]
    assert found == [f"user-{i:04d}" for i in range(10, 20)]  # every match, once, in order
    assert requests >= 4
    monkeypatch.undo()  # the default scans all 31 in one request
    by_metadata = http.get("/api/users", params={"q": "FREE", "limit": 100}).json()["items"]
    assert [u["user_id"] for u in by_metadata] == [f"user-{i:04d}" for i in range(0, 30, 2)]
    assert http.get("/api/users", params={"q": "nobody"}).json()["items"] == []


def test_bad_input_gets_the_sdks_validation_errors(http: httpx.Client) -> None:
    cases = {
        "/api/users?limit=0": "limit must be between 1 and 100",
        "/api/users?offset=-1": "offset must be",
        "/api/users?offset=ten": "offset must be an integer",
        "/api/users?metadata_filter=%7Bnope": "metadata_filter is not valid JSON",
        "/api/users?metadata_filter=%5B1%5D": "must be a JSON object",
        "/api/users/alice/memories?limit=201": "limit must be between 1 and 200",
        "/api/users/alice/sessions/x/context?memories_threshold=0.9": "memories_threshold",
        "/api/users/alice/sessions/x/context?memories_threshold=nan": "finite",
        "/api/users/alice/sessions/x/context?recall_strategy=fast": "recall_strategy",
        "/api/users?metadata_filter=" + "%5B" * 5_000: "nested too deeply",
    }
    for path, message in cases.items():
        answer = http.get(path)
        assert answer.status_code == 422, (path, answer.text)
        assert message in answer.json()["error"]["message"], (path, answer.text)


def test_a_body_nested_too_deeply_is_refused_not_a_500(
    http: httpx.Client, inspector: Inspector
) -> None:
    origin = str(http.base_url).rstrip("/")
    headers = {"X-Inspector-CSRF": csrf_of(http), "Origin": origin}
    body = b"[" * 100_000 + b"]" * 100_000
    answer = http.post(
        resolve_url(inspector),
        content=body,
        headers={**headers, "Content-Type": "application/json"},
    )
    assert answer.status_code == 422, answer.text
    assert "nested too deeply" in answer.json()["error"]["message"]


def test_unknown_routes_and_methods_answer_json(http: httpx.Client) -> None:
    missing = http.get("/api/nothing")
    assert missing.status_code == 404 and missing.json()["error"]["type"] == "NotFound"
    assert http.get("/api/users/nobody").json()["error"]["type"] == "UserNotFoundError"
    assert http.get("/api/users/%FF").status_code == 400
    wrong = http.delete("/api/users/alice")
    assert wrong.status_code == 405 and wrong.json()["error"]["type"] == "MethodNotAllowed"
    too_big = http.post(
        "/api/users/alice/conflicts/x/resolve",
        content=b"x" * (1024 * 1024 + 1),
        headers={"X-Inspector-CSRF": csrf_of(http), "Content-Type": "application/json"},
    )
    assert too_big.status_code == 413


def test_a_bug_answers_a_json_500_without_a_traceback(
    http: httpx.Client, inspector: Inspector, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError(f"boom {API_KEY}")

    monkeypatch.setattr(inspector.server.api, "info", broken)
    monkeypatch.setattr(inspector.server.api, "_routes", [("GET", ("info",), broken)])
    answer = http.get("/api/info")
    assert answer.status_code == 500
    assert answer.json() == {"error": {"type": "InternalError", "message": "the inspector failed"}}
    assert "Traceback" not in answer.text and API_KEY not in answer.text


def test_an_upstream_failure_is_a_502_naming_the_sdk_error() -> None:
    with (
        local_http_server(api_keys=["rai_the_right_key"]) as api,
        RecallrAI(
            api_key=API_KEY, project_id=PROJECT_ID, base_url=api.url, max_retries=0
        ) as client,
        InspectorServer(client) as server,
    ):
        answer = httpx.get(server.url + "api/users")
    assert answer.status_code == 502
    assert answer.json()["error"]["type"] == "AuthenticationError"
    assert API_KEY not in answer.text


def test_the_token_guards_every_request_and_never_reaches_the_log(
    inspector: Inspector, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="recallrai.ui")
    token = "a-token-of-at-least-16-chars"
    with InspectorServer(inspector.client, token=token) as server:
        assert server.login_url == f"{server.url}?token={token}"
        with httpx.Client(base_url=server.url) as http:
            assert http.get("/").status_code == 401
            assert http.get("/api/users").status_code == 401
            assert http.get("/?token=wrong").status_code == 401
            bearer = http.get("/api/users", headers={"Authorization": f"Bearer {token}"})
            assert bearer.status_code == 200
            login = http.get(f"/?token={token}")
            assert login.status_code == 303 and login.headers["location"] == "/"
            cookie = login.headers["set-cookie"]
            assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
            assert http.get("/api/users").status_code == 200  # the cookie from now on
    assert caplog.records, "the inspector logs requests at debug level"
    assert all(token not in record.getMessage() for record in caplog.records)


def test_not_loopback_makes_a_token_and_rejects_weak_ones(inspector: Inspector) -> None:
    exposed = InspectorServer(inspector.client, host="0.0.0.0")
    assert exposed.token is not None and len(exposed.token) >= 32
    assert InspectorServer(inspector.client).token is None
    with pytest.raises(ValueError, match="token"):
        InspectorServer(inspector.client, token="short")
    with pytest.raises(ValueError, match="token"):
        InspectorServer(inspector.client, token="has spaces; and semicolons")


def test_python_m_recallrai_ui_serves_the_env_client() -> None:
    with local_http_server() as api:
        env = {
            **os.environ,
            "RECALLRAI_API_KEY": API_KEY,
            "RECALLRAI_PROJECT_ID": PROJECT_ID,
            "RECALLRAI_BASE_URL": api.url,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "recallrai.ui", "--no-browser"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("RecallrAI memory inspector at http://127.0.0.1:"), line
            url = line.split(" at ", 1)[1].strip()
            info = httpx.get(url + "api/info", timeout=10).json()
            assert info["base_url"] == api.url and info["project_id"] == PROJECT_ID
            assert API_KEY not in line
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl-C
            process.wait(timeout=10)
        assert process.returncode == 0
        assert process.stderr is not None
        stderr = process.stderr.read()
        assert "inspector stopped" in stderr and "Traceback" not in stderr


def test_python_m_recallrai_ui_without_a_key_says_so() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECALLRAI_")}
    result = subprocess.run(
        [sys.executable, "-m", "recallrai.ui", "--no-browser"],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "RECALLRAI_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_the_wheel_ships_the_static_page(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = tmp_path.glob("recallrai-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    static = ROOT / "recallrai" / "ui" / "static"
    for asset in sorted(p.name for p in static.iterdir()):
        assert f"recallrai/ui/static/{asset}" in names
    assert "recallrai/ui/__main__.py" in names
