"""FaultPlan: ordering, matching, counters, thread safety, and the control endpoints."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from datetime import UTC, datetime
from typing import Any

import pytest

from recallrai.local._clock import Clock, ManualClock
from recallrai.local._faults import FaultPlan, control_response, is_control
from recallrai.local._wire import LocalRequest, LocalResponse


def _req(method: str = "GET", path: str = "/api/v1/users", body: Any = None) -> LocalRequest:
    raw = b"" if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
    return LocalRequest(method=method, path=path, query=[], headers={}, body=raw)


class StubApp:
    """Just enough app for the control endpoints."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.due_runs = 0

    def handle(self, request: LocalRequest) -> LocalResponse:
        return LocalResponse(200, [])

    def run_due_work(self) -> None:
        self.due_runs += 1


def _control(
    plan: FaultPlan, method: str, path: str, body: Any = None, app: StubApp | None = None
) -> tuple[int, Any]:
    app = app or StubApp(ManualClock(datetime(2025, 1, 1, tzinfo=UTC)))
    response = control_response(plan, app, _req(method, path, body))
    return response.status, json.loads(response.body)


# -- the plan ------------------------------------------------------------------------------


def test_nothing_planned_passes_and_counts() -> None:
    plan = FaultPlan()
    admission = plan.admit(_req())
    assert (admission.latency, admission.response, admission.drop) == (0.0, None, None)
    assert plan.count() == 1
    assert plan.handled_count() == 0
    plan.record_handled(_req())
    assert plan.requests() == [{"method": "GET", "path": "/api/v1/users", "count": 1, "handled": 1}]


def test_faults_fire_in_order_then_stop() -> None:
    plan = FaultPlan()
    plan.fail_next(2, 503)
    plan.fail_next(1, 429, retry_after=3)
    plan.drop_next(1, after_handling=True)
    statuses = [plan.admit(_req()) for _ in range(5)]
    assert [a.response.status if a.response else a.drop for a in statuses] == [
        503, 503, 429, "after", None,
    ]  # fmt: skip
    assert plan.pending() == []


def test_failure_response_shapes() -> None:
    plan = FaultPlan()
    plan.fail_next(1, 503)
    plan.fail_next(1, 429, retry_after=0.25)
    plan.fail_next(1, 502, body="<html>Bad Gateway</html>")
    plan.fail_next(1, 404, body="404 page not found")
    plan.fail_next(1, 500, body='{"detail": "boom"}')
    plan.fail_next(1, 500, body="x", content_type="text/csv")
    responses = [plan.admit(_req()).response for _ in range(6)]
    assert all(r is not None for r in responses)
    first, rate, html, text, js, csv = (r for r in responses if r is not None)
    assert json.loads(first.body) == {"detail": "Injected fault: 503 Service Unavailable"}
    assert dict(first.headers)["content-type"] == "application/json"
    assert "retry-after" not in dict(first.headers)
    assert dict(rate.headers)["retry-after"] == "0.25"
    assert dict(html.headers)["content-type"].startswith("text/html")
    assert dict(text.headers)["content-type"].startswith("text/plain")
    assert dict(js.headers)["content-type"] == "application/json"
    assert dict(csv.headers)["content-type"] == "text/csv"


def test_match_by_path_fragment_and_method() -> None:
    plan = FaultPlan()
    plan.fail_next(1, 500, match="/sessions/")
    plan.drop_next(1, match="POST /api/v1/users")
    assert plan.admit(_req("GET", "/api/v1/users")).drop is None
    assert plan.admit(_req("POST", "/api/v1/users/u/sessions/s/process")).response is not None
    assert plan.admit(_req("post", "/api/v1/users")).drop == "before"
    assert plan.pending() == []


def test_latency_with_and_without_match() -> None:
    plan = FaultPlan()
    plan.set_latency(0.5)
    assert plan.admit(_req()).latency == 0.5
    plan.set_latency(0.25, match="/context")
    assert plan.admit(_req()).latency == 0.0
    assert plan.admit(_req(path="/api/v1/users/u/sessions/s/context")).latency == 0.25
    plan.clear()
    assert plan.latency == 0.0


def test_clear_keeps_counters_reset_drops_them() -> None:
    plan = FaultPlan()
    plan.fail_next(3)
    plan.admit(_req())
    plan.clear()
    assert plan.pending() == []
    assert plan.count() == 1
    plan.fail_next(1)
    plan.reset()
    assert (plan.pending(), plan.count(), plan.requests()) == ([], 0, [])


def test_counts_by_exact_method_and_raw_path() -> None:
    plan = FaultPlan()
    for method, path in [("GET", "/u/a%2Fb"), ("GET", "/u/a%2Fb"), ("POST", "/u"), ("GET", "/u")]:
        plan.admit(_req(method, path))
    assert plan.count("GET", "/u/a%2Fb") == 2
    assert plan.count("get") == 3
    assert plan.count(path="/u") == 2
    assert plan.count() == 4


def test_invalid_arguments() -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError):
        plan.fail_next(-1)
    with pytest.raises(ValueError):
        plan.fail_next(1, 42)
    with pytest.raises(ValueError):
        plan.fail_next(1, 429, retry_after=-1)
    with pytest.raises(ValueError):
        plan.set_latency(-0.1)
    plan.fail_next(0)
    assert plan.pending() == []


def test_concurrent_admissions_consume_each_fault_once() -> None:
    plan = FaultPlan()
    plan.fail_next(100, 503)
    failed: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(50):
            if plan.admit(_req()).response is not None:
                with lock:
                    failed.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(failed) == 100
    assert plan.count() == 400


# -- the control endpoints -----------------------------------------------------------------


def test_is_control() -> None:
    assert is_control(_req(path="/_local/faults"))
    assert is_control(_req(path="/_local"))
    assert not is_control(_req(path="/api/v1/_local/faults"))
    assert not is_control(_req(path="/_localx"))


def test_post_faults_arms_the_plan() -> None:
    plan = FaultPlan()
    spec = {
        "fail_next": 1, "status": 429, "retry_after": 1, "body": "slow down",
        "drop_next": 2, "drop_after_handling": True, "latency": 0.1, "match": "/users",
    }  # fmt: skip
    status, state = _control(plan, "POST", "/_local/faults", spec)
    assert status == 200
    assert [f["kind"] for f in state["faults"]] == ["fail", "drop"]
    assert state["faults"][1] == {
        "kind": "drop", "remaining": 2, "match": "/users", "after_handling": True,
    }  # fmt: skip
    assert (state["latency"], state["latency_match"]) == (0.1, "/users")
    failed = plan.admit(_req()).response
    assert failed is not None
    assert (failed.status, failed.body, dict(failed.headers)["retry-after"]) == (
        429, b"slow down", "1",
    )  # fmt: skip


def test_faults_defaults_to_503() -> None:
    plan = FaultPlan()
    _control(plan, "POST", "/_local/faults", {"fail_next": 1})
    response = plan.admit(_req()).response
    assert response is not None and response.status == 503


@pytest.mark.parametrize(
    "body",
    [
        {"fail_next": "2"},
        {"fail_next": True},
        {"fail_next": 1, "status": 99},
        {"latency": -1},
        {"drop_next": 1, "match": 5},
        {"unknown": 1},
        [1, 2],
        b"{",
    ],
)
def test_post_faults_rejects_bad_input(body: Any) -> None:
    plan = FaultPlan()
    status, payload = _control(plan, "POST", "/_local/faults", body)
    assert status == 422
    assert isinstance(payload["detail"], str)
    assert plan.pending() == []


def test_requests_endpoint_and_reset() -> None:
    plan = FaultPlan()
    plan.admit(_req("DELETE", "/api/v1/users/u"))
    status, payload = _control(plan, "GET", "/_local/requests")
    assert status == 200
    assert payload == {
        "requests": [{"method": "DELETE", "path": "/api/v1/users/u", "count": 1, "handled": 0}],
        "total": 1,
    }
    assert _control(plan, "POST", "/_local/reset")[0] == 200
    assert plan.count() == 0


def test_clock_advance_moves_a_manual_clock_and_runs_due_work() -> None:
    app = StubApp(ManualClock(datetime(2025, 1, 1, tzinfo=UTC)))
    status, payload = _control(FaultPlan(), "POST", "/_local/clock/advance", {"seconds": 600}, app)
    assert status == 200
    assert payload["now"] == "2025-01-01T00:10:00+00:00"
    assert app.clock.now() == datetime(2025, 1, 1, 0, 10, tzinfo=UTC)
    assert app.due_runs == 1


def test_clock_advance_refuses_a_real_clock() -> None:
    app = StubApp(Clock())
    status, payload = _control(FaultPlan(), "POST", "/_local/clock/advance", {"seconds": 1}, app)
    assert status == 409
    assert "ManualClock" in payload["detail"]
    assert app.due_runs == 0


def test_clock_advance_rejects_negative_seconds() -> None:
    status, _ = _control(FaultPlan(), "POST", "/_local/clock/advance", {"seconds": -5})
    assert status == 422


def test_unknown_route_and_method() -> None:
    assert _control(FaultPlan(), "GET", "/_local/nope")[0] == 404
    assert _control(FaultPlan(), "PUT", "/_local/faults")[0] == 405


def test_package_import_is_lazy() -> None:
    code = (
        "import sys, recallrai.local as local\n"
        "heavy = [m for m in ('recallrai.local._app', 'recallrai.local._http',"
        " 'recallrai.local._transport', 'httpx', 'sqlite3') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert local.FaultPlan.__name__ == 'FaultPlan'\n"
        "assert 'recallrai.local._faults' in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr


# -- bounds --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arm",
    [
        lambda p: p.fail_next(1, 200),  # not an error: it would silently empty the answer
        lambda p: p.fail_next(1, 399),
        lambda p: p.fail_next(1, 600),
        lambda p: p.fail_next(1, True),
        lambda p: p.fail_next(10**6),
        lambda p: p.drop_next(-1),
        lambda p: p.fail_next(1, retry_after=float("inf")),
        lambda p: p.fail_next(1, retry_after=3601),
        lambda p: p.fail_next(1, content_type="text/html\r\nSet-Cookie: a=b"),
        lambda p: p.fail_next(1, body="x" * (1024 * 1024 + 1)),
        lambda p: p.fail_next(1, match="x" * 3000),
        lambda p: p.set_latency(float("nan")),
        lambda p: p.set_latency(float("inf")),
        lambda p: p.set_latency(60.5),
    ],
)
def test_out_of_bounds_faults_are_refused(arm: Any) -> None:
    plan = FaultPlan()
    with pytest.raises(ValueError):
        arm(plan)
    assert plan.pending() == [] and plan.latency == 0


def test_pending_faults_are_bounded() -> None:
    plan = FaultPlan()
    for _ in range(1000):
        plan.fail_next(1)
    with pytest.raises(ValueError, match="1000"):
        plan.drop_next(1)
    assert len(plan.pending()) == 1000


def test_counters_are_bounded_but_totals_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    import recallrai.local._faults as faults

    monkeypatch.setattr(faults, "MAX_COUNTED_PATH_BYTES", 100)
    plan = FaultPlan()
    for i in range(50):
        plan.admit(_req(path=f"/p/{i}"))
    rows = plan.requests()
    assert sum(row["count"] for row in rows) == 50
    assert {"method": "*", "path": "*", "count": 50 - len(rows) + 1, "handled": 0} in rows
    assert plan.count("GET", "/p/0") == 1  # the first paths keep their own counter


def test_a_half_valid_control_arms_nothing() -> None:
    plan = FaultPlan()
    status, _ = _control(plan, "POST", "/_local/faults", {"fail_next": 2, "latency": -1})
    assert status == 422
    assert plan.pending() == [] and plan.latency == 0
    status, _ = _control(plan, "POST", "/_local/faults", {"fail_next": 1, "status": 0})
    assert status == 422  # 0 is not "the default status"


@pytest.mark.parametrize("seconds", [-3600, -0.5, float("nan"), float("inf"), 11 * 365 * 86400])
def test_manual_clock_moves_forward_only_within_bounds(seconds: float) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    clock = ManualClock(start)
    with pytest.raises(ValueError):
        clock.advance(seconds)
    assert clock.now() == start


def test_manual_clock_cannot_be_set_back_or_past_9999() -> None:
    clock = ManualClock(datetime(9999, 12, 1, tzinfo=UTC))
    with pytest.raises(ValueError):
        clock.set(datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValueError, match="9999"):
        clock.advance(365 * 86400)
    clock.advance(0)
    clock.set(datetime(9999, 12, 2, tzinfo=UTC))
    assert clock.now() == datetime(9999, 12, 2, tzinfo=UTC)


def test_env_advance_refuses_going_back() -> None:
    from recallrai.local.testing import local_client

    with local_client() as env:
        before = env.app.clock.now()
        with pytest.raises(ValueError):
            env.advance(-3600)
        assert env.app.clock.now() == before
