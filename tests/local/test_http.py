"""The loopback HTTP server and the `python -m recallrai.local serve` command."""

from __future__ import annotations

import importlib.util
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

from recallrai.local._clock import ManualClock
from recallrai.local._http import MAX_BODY_BYTES, LocalServer
from recallrai.local._wire import LocalRequest, LocalResponse

ROOT = Path(__file__).resolve().parents[2]


class StubApp:
    """Echoes each request as JSON; `/events` streams three SSE events through a gate."""

    def __init__(self) -> None:
        self.clock = ManualClock(datetime(2025, 1, 1, tzinfo=UTC))
        self.handled = 0
        self.due_runs = 0
        self.gate = threading.Event()
        self._lock = threading.Lock()

    def handle(self, request: LocalRequest) -> LocalResponse:
        with self._lock:
            self.handled += 1
        if request.path == "/events":
            return LocalResponse(
                200, [("content-type", "text/event-stream")], stream=self._events()
            )
        if request.path == "/boom":
            raise RuntimeError("stub failure")
        if request.path == "/empty":
            return LocalResponse(204, [])
        echo = {
            "method": request.method,
            "path": request.path,
            "query": request.query,
            "headers": request.headers,
            "body": request.body.decode(),
        }
        return LocalResponse(200, [("content-type", "application/json")], json.dumps(echo).encode())

    def _events(self) -> Iterator[bytes]:
        yield b'data: {"n": 1}\n\n'
        released = self.gate.wait(5)  # the client must see event 1 before this returns
        yield b'data: {"n": 2, "released": %s}\n\n' % str(released).lower().encode()
        yield b'data: {"n": 3, "is_final": true}\n\n'

    def run_due_work(self) -> None:
        self.due_runs += 1


@pytest.fixture
def app() -> StubApp:
    return StubApp()


@pytest.fixture
def server(app: StubApp) -> Iterator[LocalServer]:
    with LocalServer(app, test_controls=True) as s:
        yield s


@pytest.fixture
def client(server: LocalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


def _echo(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


# -- the server ----------------------------------------------------------------------------


def test_url_has_the_real_port(server: LocalServer) -> None:
    assert server.port > 0
    assert server.url == f"http://127.0.0.1:{server.port}"


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/v1/users/a%2Fb", "/api/v1/users/a%2Fb"),
        ("/api/v1/users/%2E%2E/sessions", "/api/v1/users/%2E%2E/sessions"),
        ("/api/v1/users/Jürgen", "/api/v1/users/J%C3%BCrgen"),
        ("/api/v1/users/a%20b%3Fc", "/api/v1/users/a%20b%3Fc"),
    ],
)
def test_raw_path_is_preserved(client: httpx.Client, path: str, raw: str) -> None:
    assert _echo(client.get(path))["path"] == raw


def test_query_headers_and_body(client: httpx.Client) -> None:
    params = [("status_filter", "pending"), ("status_filter", "processing"), ("q", "a b&c=ü")]
    response = client.post(
        "/api/v1/users",
        params=tuple(params),
        json={"x": 1},
        headers={"X-Recallr-Api-Key": "rai_k"},
    )
    echo = _echo(response)
    assert echo["method"] == "POST"
    assert [tuple(p) for p in echo["query"]] == params
    assert json.loads(echo["body"]) == {"x": 1}
    assert echo["headers"]["x-recallr-api-key"] == "rai_k"
    assert echo["headers"]["content-type"] == "application/json"


def test_keep_alive_reuses_one_connection(server: LocalServer, client: httpx.Client) -> None:
    for _ in range(3):
        _echo(client.get("/api/v1/users"))
    assert server.connections_accepted == 1


def test_accepted_sockets_have_tcp_nodelay(server: LocalServer, client: httpx.Client) -> None:
    _echo(client.get("/x"))
    sockets = server._live_sockets()
    assert sockets
    for sock in sockets:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_sse_arrives_event_by_event(app: StubApp, client: httpx.Client) -> None:
    with client.stream("GET", "/events") as response:
        assert response.headers["content-type"] == "text/event-stream"
        assert response.headers["transfer-encoding"] == "chunked"
        chunks = response.iter_bytes()
        assert next(chunks) == b'data: {"n": 1}\n\n'
        app.gate.set()
        rest = b"".join(chunks)
    assert b'"released": true' in rest
    assert rest.endswith(b'data: {"n": 3, "is_final": true}\n\n')
    _echo(client.get("/after-stream"))  # the connection is still usable


def test_204_and_head(client: httpx.Client) -> None:
    empty = client.delete("/empty")
    assert (empty.status_code, empty.content) == (204, b"")
    head = client.head("/x")
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize("method", ["TRACE", "QUERY", "PROPFIND"])
def test_any_method_reaches_the_app(client: httpx.Client, method: str) -> None:
    # http.server alone answers methods without a do_* handler with an HTML 501.
    assert _echo(client.request(method, "/x"))["method"] == method


def test_handler_exception_becomes_500(client: httpx.Client) -> None:
    response = client.get("/boom")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


def test_oversized_body_is_refused_with_413(app: StubApp, client: httpx.Client) -> None:
    response = client.post("/x", content=b"x" * (2 * MAX_BODY_BYTES))
    assert response.status_code == 413
    assert app.handled == 0
    _echo(client.post("/x", content=b"x" * MAX_BODY_BYTES))  # the limit itself is fine


def test_chunked_request_body(client: httpx.Client) -> None:
    echo = _echo(client.post("/x", content=iter([b"ab", b"cd"])))
    assert echo["body"] == "abcd"


def test_stop_closes_idle_keep_alive_connections(app: StubApp) -> None:
    server = LocalServer(app).start()
    with httpx.Client(base_url=server.url, timeout=5) as c:
        _echo(c.get("/x"))
        server.stop()
        with pytest.raises(httpx.TransportError):
            c.get("/x")
    assert app.handled == 1


# -- faults over the wire ------------------------------------------------------------------


def test_fail_next_429_with_retry_after(server: LocalServer, client: httpx.Client) -> None:
    server.faults.fail_next(1, 429, retry_after=2)
    response = client.get("/api/v1/users")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    _echo(client.get("/api/v1/users"))
    assert server.faults.count("GET", "/api/v1/users") == 2


def test_drop_before_handling(app: StubApp, server: LocalServer, client: httpx.Client) -> None:
    server.faults.drop_next(1)
    with pytest.raises(httpx.TransportError):
        client.post("/api/v1/users", json={})
    assert app.handled == 0
    _echo(client.post("/api/v1/users", json={}))
    assert app.handled == 1


def test_drop_after_handling(app: StubApp, server: LocalServer, client: httpx.Client) -> None:
    server.faults.drop_next(1, after_handling=True)
    with pytest.raises(httpx.TransportError):
        client.post("/api/v1/users", json={})
    assert app.handled == 1
    assert server.faults.handled_count("POST", "/api/v1/users") == 1
    _echo(client.get("/api/v1/users"))


def test_latency(server: LocalServer, client: httpx.Client) -> None:
    server.faults.set_latency(0.2, match="/slow")
    started = time.monotonic()
    _echo(client.get("/slow"))
    assert time.monotonic() - started >= 0.19


def test_control_endpoints_over_http(
    app: StubApp, server: LocalServer, client: httpx.Client
) -> None:
    armed = client.post(
        "/_local/faults",
        json={"fail_next": 2, "status": 503, "match": "GET /api/v1/users", "latency": 0.05},
    )
    assert armed.status_code == 200
    assert armed.json()["faults"][0]["remaining"] == 2
    assert client.get("/_local/faults").json()["latency"] == 0.05
    assert client.get("/_local/requests").status_code == 200  # never faulted
    assert client.get("/api/v1/users").status_code == 503
    assert client.post("/api/v1/users").status_code == 200  # method does not match
    assert client.delete("/_local/faults").json()["faults"] == []
    _echo(client.get("/api/v1/users"))

    counters = client.get("/_local/requests").json()
    rows = {(r["method"], r["path"]): (r["count"], r["handled"]) for r in counters["requests"]}
    assert rows == {("GET", "/api/v1/users"): (2, 1), ("POST", "/api/v1/users"): (1, 1)}
    assert counters["total"] == 3

    moved = client.post("/_local/clock/advance", json={"seconds": 3600})
    assert moved.json()["now"].startswith("2025-01-01T01:00:00")
    assert app.due_runs == 1

    client.post("/_local/faults", json={"drop_next": 1})
    assert client.post("/_local/reset").status_code == 200
    assert client.get("/_local/requests").json() == {"requests": [], "total": 0}
    _echo(client.get("/api/v1/users"))  # the drop was cleared by reset


def test_control_endpoint_errors(client: httpx.Client) -> None:
    assert client.post("/_local/faults", json={"fail_next": "x"}).status_code == 422
    assert client.post("/_local/faults", json={"bogus": 1}).status_code == 422
    assert client.post("/_local/faults", content=b"not json").status_code == 422
    assert client.post("/_local/clock/advance", json={}).status_code == 422
    assert client.get("/_local/clock/advance").status_code == 405
    assert client.get("/_local/nothing").status_code == 404


# -- the command line ----------------------------------------------------------------------


def _read_line(stream: IO[str], timeout: float) -> str:
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        pytest.fail(f"no line from the server within {timeout} s")


@pytest.mark.skipif(
    importlib.util.find_spec("recallrai.local._app") is None,
    reason="recallrai.local._app (the core LocalApp) is not written yet",
)
def test_cli_serves_until_terminated(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    command = [sys.executable, "-m", "recallrai.local", "serve", "--port", "0"]
    command += ["--db", str(tmp_path / "local.db"), "--api-key", "rai_cli_test"]
    command += ["--manual-clock", "--test-controls"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
    )
    try:
        assert proc.stdout is not None
        line = _read_line(proc.stdout, timeout=30)
        prefix = "RecallrAI local server listening on "
        assert line.startswith(prefix), line
        url = line[len(prefix) :].strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        headers = {"X-Recallr-Api-Key": "rai_cli_test", "X-Recallr-Project-Id": "cli"}
        response = httpx.get(f"{url}/api/v1/users", headers=headers, timeout=10)
        assert response.status_code == 200, response.text
        assert response.json()["users"] == []
        wrong = httpx.get(f"{url}/api/v1/users", headers={**headers, "X-Recallr-Api-Key": "rai_no"})
        assert wrong.status_code == 401
        advance = f"{url}/_local/clock/advance"
        assert httpx.post(advance, json={"seconds": 60}, timeout=10).status_code == 401
        moved = httpx.post(advance, json={"seconds": 60}, headers=headers, timeout=10)
        assert moved.status_code == 200, moved.text
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=5)
            pytest.fail("the server did not stop on SIGTERM")
    assert proc.returncode == 0, err


# -- the real app behind the server --------------------------------------------------------


def test_real_app_over_http_keeps_escaped_ids_and_streams() -> None:
    from recallrai.local._app import LocalApp

    app = LocalApp()
    headers = {"X-Recallr-Api-Key": "rai_http", "X-Recallr-Project-Id": "p"}
    try:
        with LocalServer(app) as server, httpx.Client(base_url=server.url, headers=headers) as c:
            created = c.post("/api/v1/users", json={"custom_user_id": "a/b ü"})
            assert created.status_code == 201, created.text
            user = c.get("/api/v1/users/a%2Fb%20%C3%BC")
            assert user.json()["custom_user_id"] == "a/b ü"
            session = c.post("/api/v1/users/a%2Fb%20%C3%BC/sessions", json={}).json()
            base = f"/api/v1/users/a%2Fb%20%C3%BC/sessions/{session['session_id']}"
            message = {"message": "I live in Berlin", "role": "user"}
            assert c.post(f"{base}/add-message", json=message).status_code == 200
            params = {"stream": "true", "include_system_prompt": "false"}
            with c.stream("GET", f"{base}/context", params=params) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                events = [json.loads(line[6:]) for line in response.iter_lines() if line]
            assert events[-1]["is_final"] is True
            assert all(not e["is_final"] for e in events[:-1]) and len(events) > 1
            assert server.connections_accepted == 1
            for method in ("TRACE", "QUERY", "PATCH"):
                refused = c.request(method, "/api/v1/users")
                assert (refused.status_code, refused.headers["allow"]) == (405, "GET, POST")
                assert refused.json() == {"detail": "Method Not Allowed"}
    finally:
        app.close()


# -- command-line mistakes -----------------------------------------------------------------


def _cli(
    *args: str, cwd: Path | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    command = [sys.executable, "-m", "recallrai.local", *args]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout, check=False
    )


def _one_error_line(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("python -m recallrai.local"), lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["serve", "--port", "70000"], ["--port", "70000"]),
        (["serve", "--port", "eighty"], ["--port"]),
        (["serve", "--bogus"], ["--bogus"]),
        (["serve", "--idle-timeout", "nan"], ["--idle-timeout"]),
        (["serve", "--max-connections", "0"], ["--max-connections"]),
        (["frobnicate"], ["frobnicate"]),
        ([], ["command"]),
    ],
)
def test_cli_usage_mistakes_are_one_line(args: list[str], fragments: list[str]) -> None:
    result = _cli(*args)
    assert result.returncode == 2
    _one_error_line(result, *fragments)


def test_cli_port_in_use_is_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = str(taken.getsockname()[1])
        result = _cli("serve", "--port", port)
    assert result.returncode == 1
    _one_error_line(result, port, "in use")


def test_cli_unusable_databases_are_one_line(tmp_path: Path) -> None:
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("these are not the tables you are looking for\n" * 100)
    for db in (not_sqlite, tmp_path, tmp_path / "missing" / "dir" / "x.db"):
        result = _cli("serve", "--port", "0", "--db", str(db))
        assert result.returncode == 1, db
        _one_error_line(result, "database", str(db))
    assert not_sqlite.read_text().startswith("these are not")  # left as it was


def test_cli_manual_clock_needs_the_controls() -> None:
    result = _cli("serve", "--port", "0", "--manual-clock")
    assert result.returncode == 1
    _one_error_line(result, "--test-controls")


def test_cli_on_all_interfaces_prints_a_reachable_url_and_warns() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "generated")])}
    command = [sys.executable, "-m", "recallrai.local", "serve", "--host", "0.0.0.0", "--port", "0"]
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert proc.stdout is not None and proc.stderr is not None
        line = _read_line(proc.stdout, timeout=30)
        url = line.rsplit(" ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:"), line
        warning = _read_line(proc.stderr, timeout=10)
        assert warning.startswith("warning:") and "0.0.0.0" in warning and "--api-key" in warning
        headers = {"X-Recallr-Api-Key": "rai_any", "X-Recallr-Project-Id": "p"}
        assert httpx.get(f"{url}/api/v1/users", headers=headers, timeout=10).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
