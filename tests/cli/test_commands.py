"""Every inspect command, run as `python -m recallrai.cli` against a local server process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cli_support import API_KEY, LISTENING, Env, one_line_error, run_in_pty

from recallrai import RecallrAI
from recallrai.models import SessionStatus


def processed(client: RecallrAI, user_id: str, session_id: str) -> None:
    session = client.get_user(user_id).get_session(session_id)
    session.process()
    deadline = time.monotonic() + 15
    while session.status is not SessionStatus.PROCESSED:
        assert time.monotonic() < deadline, "processing did not finish"
        time.sleep(0.05)
        session.refresh()


def seed(env: Env) -> dict[str, str]:
    """alice: a processed session (Berlin, sushi), then one that moves her to Paris,
    raising a merge conflict; bob: nothing."""
    ids: dict[str, str] = {}
    with env.client() as client:
        alice = client.create_user("alice", metadata={"plan": "pro"}, merge_conflict_enabled=True)
        client.create_user("bob")
        first = alice.create_session(metadata={"channel": "web"})
        first.add_message("user", "I live in Berlin.")
        first.add_message("assistant", "Berlin is lovely.")
        first.add_message("user", "My favourite food is sushi.")
        processed(client, "alice", first.session_id)
        second = alice.create_session()
        second.add_message("user", "I live in Paris now.")
        processed(client, "alice", second.session_id)
        ids["first"], ids["second"] = first.session_id, second.session_id
        conflicts = alice.list_merge_conflicts(status="PENDING")
        assert len(conflicts.conflicts) == 1
        ids["conflict"] = conflicts.conflicts[0].conflict_id
    return ids


def console_script() -> str:
    path = shutil.which("recallrai", path=os.path.dirname(sys.executable))
    assert path is not None, "the recallrai console script is not installed"
    return path


def test_help_and_version_from_the_console_script() -> None:
    done = subprocess.run([console_script(), "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    for command in ("users", "sessions", "memories", "context", "conflicts", "import", "export"):
        assert command in done.stdout
    assert "exit codes" in done.stdout
    version = subprocess.run([console_script(), "--version"], capture_output=True, text=True)
    from recallrai import __version__

    assert version.stdout.strip() == f"recallrai {__version__}"


def test_without_the_extra_one_line_names_the_install_command(env: Env) -> None:
    code = "import sys; sys.modules['rich'] = None; from recallrai.cli import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", code, "users", "list"],
        capture_output=True,
        text=True,
        env=env.environ(),
    )
    assert done.returncode == 1
    assert done.stderr == (
        "recallrai: the command line needs its extra: pip install 'recallrai[cli]'\n"
    )
    helped = subprocess.run([sys.executable, "-c", code, "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and "import" in helped.stdout


def test_users_list_show_delete(env: Env) -> None:
    seed(env)
    listed = env.run("users", "list")
    assert listed.code == 0, listed.stderr
    users = {u["user_id"]: u for u in listed.json()}
    assert set(users) == {"alice", "bob"}
    assert users["alice"]["metadata"] == {"plan": "pro"}
    assert users["alice"]["merge_conflict_enabled"] is True

    limited = env.call("users", "list", "--limit", "1")
    assert len(limited.json()) == 1
    assert "1 of 2 shown" in limited.stderr  # a pipe is told the list goes on

    shown = env.run("users", "show", "alice").json()[0]
    assert shown["sessions"] == 2 and shown["pending_conflicts"] == 1
    assert shown["memories"] >= 2

    refused = env.call("users", "delete", "bob")
    assert refused.code == 2
    assert "--yes" in one_line_error(refused)
    deleted = env.run("users", "delete", "bob", "--yes")
    assert deleted.code == 0 and deleted.json() == [{"deleted": "bob"}]
    missing = env.call("users", "show", "bob")
    assert missing.code == 3
    assert "bob" in one_line_error(missing)


def test_sessions_list_and_show_with_messages(env: Env) -> None:
    ids = seed(env)
    sessions = env.run("sessions", "list", "alice").json()
    assert {s["session_id"] for s in sessions} == {ids["first"], ids["second"]}
    assert all(s["status"] == "processed" for s in sessions)
    pending = env.call("sessions", "list", "alice", "--status", "pending")
    assert pending.code == 0 and pending.json() == []

    shown = env.run("sessions", "show", "alice", ids["first"]).json()[0]
    assert shown["metadata"] == {"channel": "web"} and shown["message_count"] == 3
    assert [(m["role"], m["content"]) for m in shown["messages"]] == [
        ("user", "I live in Berlin."),
        ("assistant", "Berlin is lovely."),
        ("user", "My favourite food is sushi."),
    ]
    missing = env.call("sessions", "show", "alice", "no-such-session")
    assert missing.code == 3
    one_line_error(missing)


def test_memories_list_filter_and_version_chain(env: Env) -> None:
    seed(env)
    with env.client() as client:  # a second version of the city, without a conflict
        carol = client.create_user("carol", merge_conflict_enabled=False)
        for text in ("I live in Berlin.", "I live in Paris now."):
            session = carol.create_session()
            session.add_message("user", text)
            processed(client, "carol", session.session_id)

    everything = env.run("memories", "list", "alice").json()
    food = env.call("memories", "list", "alice", "--category", "food_preferences").json()
    assert food and all("food_preferences" in m["categories"] for m in food)
    assert len(food) < len(everything)
    bad = env.call("memories", "list", "alice", "--category", "no-such-category")
    assert bad.code == 2
    assert "'no-such-category'" in one_line_error(bad)  # which category, not only "invalid"

    city = next(m for m in env.call("memories", "list", "carol").json() if "Paris" in m["content"])
    assert city["version_number"] == 2
    shown = env.run("memories", "show", "carol", city["memory_id"]).json()[0]
    assert [v["content"] for v in shown["previous_versions"]] == ["User lives in Berlin"]
    assert shown["content"] == "User lives in Paris"
    by_old_id = env.call(
        "memories", "show", "carol", shown["previous_versions"][0]["memory_id"]
    ).json()[0]
    assert by_old_id["memory_id"] == city["memory_id"]
    missing = env.call("memories", "show", "carol", "no-such-memory")
    assert missing.code == 3


def test_context_plain_json_and_streamed(env: Env) -> None:
    ids = seed(env)
    with env.client() as client:
        session = client.get_user("alice").create_session()
        session.add_message("user", "What food do I like?")
        sid = session.session_id
    argv = [sys.executable, "-m", "recallrai.cli", "context", "alice", sid]
    code, screen = run_in_pty([*argv, "--no-system-prompt", "--stream"], env.environ())
    assert code == 0, screen
    assert "… Searching memories" in screen  # a status event, shown as it arrived
    assert "sushi" in screen and '"context"' not in screen
    as_json = env.run("context", "alice", sid, "--strategy", "low_latency").json()
    assert as_json[0]["is_final"] is True and "sushi" in as_json[0]["context"]
    assert len(as_json[0]["context"]) > len(screen)  # the system prompt is in it
    streamed = env.run("context", "alice", sid, "--stream").json()
    assert len(streamed) >= 2
    assert [e["is_final"] for e in streamed] == [False] * (len(streamed) - 1) + [True]
    assert streamed[0]["status_update_message"]
    bad = env.call("context", "alice", ids["first"], "--min-top-k", "1")
    assert bad.code == 2 and "min_top_k" in one_line_error(bad)


def test_conflicts_list_show_and_scripted_resolve(env: Env) -> None:
    ids = seed(env)
    listed = env.run("conflicts", "list", "alice").json()
    assert [c["conflict_id"] for c in listed] == [ids["conflict"]]
    shown = env.run("conflicts", "show", "alice", ids["conflict"]).json()[0]
    question = shown["clarifying_questions"][0]
    assert "User lives in Paris" in question["options"]

    unknown = env.call("conflicts", "resolve", "alice", ids["conflict"], "--answer", "9=1")
    assert unknown.code == 2 and "no such question" in one_line_error(unknown)
    wrong = env.call("conflicts", "resolve", "alice", ids["conflict"], "--answer", "1=London")
    assert wrong.code == 2 and "not an option" in one_line_error(wrong)
    silent = env.call("conflicts", "resolve", "alice", ids["conflict"])
    assert silent.code == 2 and "--answer" in one_line_error(silent)

    answer = f"{question['question']}=User lives in Paris"
    resolved = env.run(
        "conflicts", "resolve", "alice", ids["conflict"], "--answer", answer, "--message", "moved"
    )
    assert resolved.code == 0, resolved.stderr
    record = resolved.json()[0]
    assert record["status"] == "RESOLVED"
    assert record["resolution_data"]["answers"][0]["answer"] == "User lives in Paris"
    again = env.call("conflicts", "resolve", "alice", ids["conflict"], "--answer", "1=1")
    assert again.code == 2 and "already resolved" in one_line_error(again)
    memories = env.call("memories", "list", "alice").json()
    assert any(m["content"] == "User lives in Paris" for m in memories)


def test_interactive_resolve_on_a_terminal(env: Env) -> None:
    ids = seed(env)
    argv = [sys.executable, "-m", "recallrai.cli", "conflicts", "resolve", "alice", ids["conflict"]]
    code, screen = run_in_pty(argv, env.environ(), replies=["7", "2", "kept the old one"])
    assert code == 0, screen
    assert "Question 1:" in screen and "1. User lives in Paris" in screen
    assert "please type a number from 1 to 3" in screen  # "7" was refused, asked again
    with env.client() as client:
        conflict = client.get_user("alice").get_merge_conflict(ids["conflict"])
    assert conflict.status.value == "RESOLVED"
    answer = conflict.resolution_data["answers"][0]  # type: ignore[index]
    assert answer["answer"] == "User lives in Berlin"
    assert answer["message"] == "kept the old one"


def test_tables_on_a_terminal_json_lines_in_a_pipe(env: Env) -> None:
    seed(env)
    argv = [sys.executable, "-m", "recallrai.cli", "users", "list"]
    code, screen = run_in_pty(argv, env.environ())
    assert code == 0
    assert "┃" in screen and "alice" in screen and '"user_id"' not in screen
    piped = env.run("users", "list")
    assert all(line.startswith("{") for line in piped.lines())
    forced = run_in_pty([*argv, "--json"], env.environ())[1]
    assert json.loads(forced.strip().splitlines()[0])["user_id"] in ("alice", "bob")


def test_errors_are_one_line_with_exit_codes_and_no_key(env: Env, tmp_path: Path) -> None:
    secret = "rai_SECRET_never_print_me"
    dead = env.environ(RECALLRAI_BASE_URL="http://127.0.0.1:9", RECALLRAI_API_KEY=secret)
    unreachable = env.run("users", "list", "--max-retries", "0", env=dead)
    assert unreachable.code == 1
    assert "Could not reach" in one_line_error(unreachable)
    debug = env.run("users", "list", "--max-retries", "0", "--debug", env=dead)
    assert "Traceback" in debug.stderr and secret not in debug.stderr + debug.stdout
    no_key = env.call("users", "list", RECALLRAI_API_KEY="")
    assert no_key.code == 2 and "RECALLRAI_API_KEY" in one_line_error(no_key)
    usage = env.call("users", "list", "--limit", "many")
    assert usage.code == 2 and "--limit" in one_line_error(usage)
    assert env.call("nonsense").code == 2


def test_authentication_failure_exits_5(tmp_path: Path) -> None:
    from cli_support import start_server, stop_server

    process, url = start_server("--api-key", API_KEY)
    try:
        other = Env(url, "p").environ(RECALLRAI_API_KEY="rai_wrong_key")
        done = subprocess.run(
            [sys.executable, "-m", "recallrai.cli", "users", "list"],
            capture_output=True,
            text=True,
            env=other,
        )
        assert done.returncode == 5
        assert "rai_wrong_key" not in done.stderr
    finally:
        stop_server(process)


def test_serve_runs_the_local_server_until_terminated(env: Env) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "recallrai.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        found = LISTENING.search(process.stdout.readline())
        assert found, "serve did not print its address"
        other = Env(found.group(1), "served")
        assert other.run("users", "list").code == 0
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


def test_ui_calls_recallrai_ui_run_or_says_it_is_missing(env: Env, tmp_path: Path) -> None:
    absent = "import sys; sys.modules['recallrai.ui'] = None; from recallrai.cli import run; run()"
    done = subprocess.run(
        [sys.executable, "-c", absent, "ui", "--no-browser"],
        capture_output=True,
        text=True,
        env=env.environ(),
    )
    assert done.returncode == 1
    assert "recallrai.ui is missing" in done.stderr and len(done.stderr.splitlines()) == 1

    fake = (
        "import sys, types, json\n"
        "ui = types.ModuleType('recallrai.ui')\n"
        "def run(client, *, host, port, token, open_browser):\n"
        "    print(json.dumps([type(client).__name__, client.project_id, host, port, token,"
        " open_browser]))\n"
        "ui.run = run\n"
        "sys.modules['recallrai.ui'] = ui\n"
        "from recallrai.cli import run as main; main()\n"
    )
    called = subprocess.run(
        [sys.executable, "-c", fake, "ui", "--port", "8123", "--no-browser", "--token", "t0k"],
        capture_output=True,
        text=True,
        env=env.environ(),
    )
    assert called.returncode == 0, called.stderr
    assert json.loads(called.stdout) == ["RecallrAI", env.project, "127.0.0.1", 8123, "t0k", False]


def test_ui_reports_a_weak_token_and_a_taken_port_in_one_line(env: Env) -> None:
    weak = env.run("ui", "--no-browser", "--token", "short", timeout=20)
    assert weak.code == 2, weak.stderr
    assert "token must be 16-256 characters" in weak.stderr
    assert len(weak.stderr.splitlines()) == 1 and "short" not in weak.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        busy = env.run("ui", "--no-browser", "--port", port, timeout=20)
    assert busy.code == 1, busy.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in busy.stderr
    assert len(busy.stderr.splitlines()) == 1 and "Traceback" not in busy.stderr


def test_ports_outside_0_to_65535_are_usage_errors(env: Env) -> None:
    for command in (["ui", "--no-browser"], ["serve"]):
        for port in ("99999", "-1", "65536", "http"):
            done = env.run(*command, "--port", port, timeout=20)
            assert done.code == 2, (command, port, done.stderr)
            assert "Traceback" not in done.stderr and "internal error" not in done.stderr


def test_a_closed_pipe_is_not_an_error(env: Env) -> None:
    with env.client() as client:  # far more output than a pipe buffers (64 KiB)
        session = client.create_user("talker").create_session()
        for i in range(50):
            session.add_message("user", f"{i} " + "words " * 5000)
    process = env.popen("sessions", "show", "talker", session.session_id, "--messages", "0")
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(1) == "{"
    process.stdout.close()  # the reader goes away, as `| head -c 1` does
    assert process.wait(30) in (0, 141)  # 141 = 128 + SIGPIPE, when the write fails
    assert process.stderr.read() == ""  # no "Broken pipe", no traceback


def test_every_command_in_the_readme_parses() -> None:
    import shlex

    from recallrai.cli import build_parser

    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("## Command line", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [
        shlex.split(line.split(" #", 1)[0].rstrip(" &"))
        for line in block.splitlines()
        if line.startswith("recallrai ")
    ]
    assert len(commands) >= 10
    for argv in commands:
        if argv[1] == "serve":
            continue  # handed to the local server's own parser
        args = build_parser().parse_args(argv[1:])
        assert callable(args.handler), argv
