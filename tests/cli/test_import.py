"""`recallrai import` and `export`: formats, bad input, interruption, lost answers, round trip."""

from __future__ import annotations

import contextlib
import json
import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cli_support import Env, one_line_error, start_server, stop_server

from recallrai import RecallrAI
from recallrai.local import FaultPlan
from recallrai.local.testing import local_http_server


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def history(users: int, sessions: int, messages: int) -> list[dict[str, Any]]:
    """Interleaved lines of several users' sessions, with timestamps."""
    lines = []
    for m in range(messages):
        for u in range(users):
            for s in range(sessions):
                stamp = datetime(2024, 1 + s % 12, 1 + u, 9, m, tzinfo=UTC).isoformat()
                lines.append(
                    {
                        "user_id": f"user-{u}",
                        "session": f"s{s}",
                        "role": "user" if m % 2 == 0 else "assistant",
                        "content": f"message {m} of session {s} of user {u}",
                        "timestamp": stamp,
                    }
                )
    return lines


def snapshot(client: RecallrAI) -> dict[str, list[tuple[str, list[tuple[str, str]]]]]:
    """Every user's sessions (by start time) with their messages, as the server has them."""
    found: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    for user in client.list_users(limit=100):
        sessions = []
        for session in user.list_sessions(limit=100):
            messages = [(m.role.value, m.content) for m in session.get_messages(limit=200)]
            sessions.append((session.created_at.isoformat(), messages))  # type: ignore[union-attr]
        found[user.user_id] = sorted(sessions)
    return found


def expected(lines: list[dict[str, Any]]) -> dict[str, list[tuple[str, list[tuple[str, str]]]]]:
    sessions: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for line in lines:
        sessions.setdefault((line["user_id"], line["session"]), []).append(line)
    found: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
    for (user, _), rows in sessions.items():
        start = min(datetime.fromisoformat(r["timestamp"]) for r in rows).isoformat()
        found.setdefault(user, []).append((start, [(r["role"], r["content"]) for r in rows]))
    return {user: sorted(s) for user, s in found.items()}


def summary(result: Any) -> dict[str, Any]:
    records = result.json()
    assert len(records) == 1, result.stdout
    return records[0]  # type: ignore[no-any-return]


def test_jsonl_import_keeps_order_start_times_and_processes(env: Env, tmp_path: Path) -> None:
    lines = history(users=2, sessions=3, messages=4)
    lines[0]["session_metadata"] = {"source": "crm"}
    lines[0]["user_metadata"] = {"plan": "pro"}
    path = write_jsonl(tmp_path / "history.jsonl", lines)
    done = env.run("import", path, "--concurrency", "3", "--progress-interval", "0")
    assert done.code == 0, done.stderr
    result = summary(done)
    assert result["messages_sent"] == 24 and result["sessions_created"] == 6
    assert result["users_created"] == 2 and result["sessions_processed"] == 6
    assert "import: 24/24 messages (100%)" in done.stderr  # plain progress, not a bar
    with env.client() as client:
        assert snapshot(client) == expected(lines)
        user = client.get_user("user-0")
        assert user.metadata == {"plan": "pro"}
        statuses = {s.status.value for s in user.list_sessions()}  # type: ignore[union-attr]
        assert statuses <= {"processing", "processed"}
        assert any(s.metadata == {"source": "crm"} for s in user.list_sessions())
    again = summary(env.call("import", path))
    assert again["messages_sent"] == 0 and again["sessions_already_imported"] == 6


def test_no_process_leaves_sessions_pending(env: Env, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "h.jsonl", history(1, 2, 2))
    done = env.run("import", path, "--no-process")
    assert done.code == 0 and summary(done)["sessions_processed"] == 0
    with env.client() as client:
        sessions = client.get_user("user-0").list_sessions()
        assert {s.status.value for s in sessions} == {"pending"}  # type: ignore[union-attr]


def test_openai_chat_format_lines_and_json(env: Env, tmp_path: Path) -> None:
    conversation = {
        "messages": [
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": "I live in Lisbon."},
            {"role": "assistant", "content": [{"type": "text", "text": "Lisbon is sunny."}]},
        ]
    }
    bare = [{"role": "user", "content": "My favourite food is ramen."}]
    lines = tmp_path / "chats.jsonl"
    lines.write_text(json.dumps(conversation) + "\n" + json.dumps(bare) + "\n")
    refused = env.call("import", lines)
    assert refused.code == 2 and "--user" in refused.stderr
    done = env.run("import", lines, "--user", "olga")
    assert done.code == 0, done.stderr
    result = summary(done)
    assert result["format"] == "openai" and result["messages_sent"] == 3
    assert result["not_imported"] == {"system messages": 1}
    document = tmp_path / "chats.json"
    document.write_text(json.dumps([conversation, {"messages": bare}]))
    as_json = summary(env.call("import", document, "--user", "pia"))
    assert as_json["messages_sent"] == 3
    with env.client() as client:
        messages = sorted(
            (m.role.value, m.content)
            for s in client.get_user("pia").list_sessions()
            for m in s.get_messages()
        )
    assert messages == [
        ("assistant", "Lisbon is sunny."),
        ("user", "I live in Lisbon."),
        ("user", "My favourite food is ramen."),
    ]


def chatgpt_export() -> list[dict[str, Any]]:
    """conversations.json as ChatGPT's data export writes it: a tree of nodes per
    conversation, with an edited user message making a second branch."""

    def node(ident: str, parent: str | None, children: list[str], message: Any) -> dict[str, Any]:
        return {"id": ident, "parent": parent, "children": children, "message": message}

    def message(ident: str, role: str, text: str, created: float | None, **extra: Any) -> Any:
        return {
            "id": ident,
            "author": {"role": role, "name": None, "metadata": {}},
            "create_time": created,
            "update_time": None,
            "content": {"content_type": "text", "parts": [text]},
            "status": "finished_successfully",
            "end_turn": True,
            "weight": 1.0,
            "metadata": extra,
            "recipient": "all",
        }

    mapping = {
        "root": node("root", None, ["sys"], None),
        "sys": node(
            "sys",
            "root",
            ["u1"],
            message("sys", "system", "", None, is_visually_hidden_from_conversation=True),
        ),
        "u1": node("u1", "sys", ["a1"], message("u1", "user", "I live in Oslo.", 1714550400.5)),
        "a1": node("a1", "u1", ["u2", "u2b"], message("a1", "assistant", "Oslo!", 1714550401.0)),
        "u2": node("u2", "a1", [], message("u2", "user", "I have a cat.", 1714550402.0)),
        "u2b": node("u2b", "a1", ["a2b"], message("u2b", "user", "I have a dog.", 1714550403.0)),
        "a2b": node("a2b", "u2b", [], message("a2b", "assistant", "Dogs are great.", 1714550404)),
    }
    tool = node("t", None, [], message("t", "tool", "search results", 1714550500.0))
    return [
        {
            "title": "Moving to Oslo",
            "create_time": 1714550400.5,
            "update_time": 1714550404.0,
            "mapping": mapping,
            "current_node": "a2b",
            "conversation_id": "6630a1b2-0000-4000-8000-000000000001",
            "id": "6630a1b2-0000-4000-8000-000000000001",
            "moderation_results": [],
            "is_archived": False,
        },
        {
            "title": "Only a tool",
            "create_time": 1714550500.0,
            "mapping": {"t": tool},
            "current_node": "t",
            "id": "6630a1b2-0000-4000-8000-000000000002",
        },
    ]


def test_chatgpt_conversations_json(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(chatgpt_export()))
    done = env.run("import", path, "--user", "nora")
    assert done.code == 0, done.stderr
    result = summary(done)
    assert result["format"] == "chatgpt" and result["sessions"] == 1
    assert result["not_imported"] == {
        "tool messages": 1,
        "conversations without user or assistant text": 1,
    }
    with env.client() as client:
        (session,) = client.get_user("nora").list_sessions().sessions
        messages = [(m.role.value, m.content) for m in session.get_messages()]
    assert messages == [  # the branch shown last: the edited message and its answer
        ("user", "I live in Oslo."),
        ("assistant", "Oslo!"),
        ("user", "I have a dog."),
        ("assistant", "Dogs are great."),
    ]
    assert session.created_at == datetime.fromtimestamp(1714550400.5, UTC)
    assert session.metadata == {
        "title": "Moving to Oslo",
        "chatgpt_conversation_id": "6630a1b2-0000-4000-8000-000000000001",
    }


def big_line(path: Path, megabytes: int) -> None:
    """A JSON line of ``megabytes`` MB, written in chunks (never built in memory)."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"user_id": "u", "session": "s", "role": "user", "content": "')
        chunk = "x" * (1 << 20)
        for _ in range(megabytes):
            handle.write(chunk)
        handle.write('"}\n')


def test_malformed_input_is_reported_by_line_and_nothing_is_stored(
    env: Env, tmp_path: Path
) -> None:
    good = {"user_id": "u", "session": "s", "role": "user", "content": "I live in Rome."}
    path = tmp_path / "bad.jsonl"
    rows = [
        json.dumps(good),
        '{"user_id": "u", "session": "s", "role": "user", "content": "unterminated',
        json.dumps({"user_id": "u", "session": "s", "role": "user"}),
        json.dumps({**good, "role": "system"}),
        json.dumps({**good, "timestamp": "2024-05-01T10:00:00"}),
        json.dumps({**good, "user_id": ""}),
        json.dumps({**good, "content": 42}),
    ]
    path.write_text("\n".join(rows) + "\n")
    # A 50 MB line stands for the 1 GB one: anything over the 16 MiB line cap
    # takes the same path (read in 1 MiB pieces and dropped), and 50 MB keeps the suite fast.
    big_line(path, 50)
    path.open("a").write(json.dumps({**good, "content": "I like tea."}) + "\n")

    stopped = env.run("import", path)
    assert stopped.code == 2
    errors = stopped.stderr.splitlines()
    assert "Traceback" not in stopped.stderr
    expected_lines = {
        "line 2: not valid JSON",
        "line 3: missing content",
        "line 4: role must be 'user' or 'assistant', not 'system'",
        "line 5: timestamp '2024-05-01T10:00:00' has no UTC offset",
        "line 6: user_id must be 1 to 255 characters",
        "line 7: content must be a string, not int",
        "line 8: longer than 16 MiB",
    }
    for fragment in expected_lines:
        assert any(fragment in e for e in errors), (fragment, errors)
    assert errors[-1].endswith(
        "7 bad line(s), nothing imported (fix them, or pass --on-error skip to import the rest)"
    )
    assert len(errors) == 8  # one line per problem, then the verdict
    with env.client() as client:
        assert client.list_users().total == 0  # nothing half-written
    assert not list(tmp_path.glob(".*recallrai-import*"))

    skipped = env.call("import", path, "--on-error", "skip")
    assert skipped.code == 4  # partly done: scripts can tell
    result = summary(skipped)
    assert result["lines_skipped"] == 7 and result["messages_sent"] == 2
    with env.client() as client:
        (session,) = client.get_user("u").list_sessions().sessions
        assert [m.content for m in session.get_messages()] == ["I live in Rome.", "I like tea."]


def test_unreadable_or_invalid_documents(env: Env, tmp_path: Path) -> None:
    missing = env.call("import", tmp_path / "nope.jsonl")
    assert missing.code == 2 and "no such file" in one_line_error(missing)
    broken = tmp_path / "conversations.json"
    broken.write_text('[{"mapping": {}, ')
    result = env.call("import", broken, "--user", "x")
    assert result.code == 2 and "file: not valid JSON" in result.stderr


def journal_records(tmp_path: Path) -> list[dict[str, Any]]:
    journals = list(tmp_path.glob(".*.recallrai-import-*.jsonl"))
    if not journals:
        return []
    (journal,) = journals
    records = []
    for line in journal.read_text().splitlines():
        with contextlib.suppress(ValueError):  # a line torn by the kill
            records.append(json.loads(line))
    return records


@pytest.fixture
def slow_server() -> Iterator[tuple[str, FaultPlan]]:
    """An in-process loopback server whose every request takes 5 ms more."""
    faults = FaultPlan()
    faults.set_latency(0.005)
    with local_http_server(faults=faults) as server:
        yield server.url, faults


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_import_continues_without_duplicates(
    slow_server: tuple[str, FaultPlan], tmp_path: Path, how: signal.Signals
) -> None:
    url, _ = slow_server
    env = Env(url, "interrupted")
    lines = history(users=3, sessions=8, messages=6)  # 24 sessions, 144 messages
    path = write_jsonl(tmp_path / "history.jsonl", lines)
    process = env.popen("import", path, "--concurrency", "4")
    deadline = time.monotonic() + 60
    while sum("added" in r for r in journal_records(tmp_path)) < 6:
        assert process.poll() is None, "the import finished before it could be interrupted"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(how)
    _, err = process.communicate(timeout=30)
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "interrupted: run the same command again to continue" in err
        assert "Traceback" not in err
    else:
        assert process.returncode == -signal.SIGKILL
    with env.client() as client:
        partial = sum(len(m) for s in snapshot(client).values() for _, m in s)
    assert 0 < partial < 144

    done = env.run("import", path, "--concurrency", "4")
    assert done.code == 0, done.stderr
    result = summary(done)
    assert result["messages_sent"] + result["messages_already_stored"] == 144
    assert result["messages_already_stored"] == partial
    assert (
        result["sessions_created"]
        + result["sessions_resumed"]
        + result["sessions_already_imported"]
        == 24
    )
    with env.client() as client:
        assert snapshot(client) == expected(lines)  # every message once, in order


def test_lost_answers_are_checked_on_the_server_not_resent(tmp_path: Path) -> None:
    faults = FaultPlan()
    with local_http_server(faults=faults) as server:
        env = Env(server.url, "lossy")
        lines = history(users=1, sessions=2, messages=5)
        path = write_jsonl(tmp_path / "h.jsonl", lines)
        # The server stores these, then drops the connection: the answers are lost.
        faults.drop_next(1, after_handling=True, match="POST /sessions")
        faults.drop_next(3, after_handling=True, match="/add-message")
        done = env.run("import", path, "--concurrency", "1", "--no-process")
        assert done.code == 0, done.stderr
        assert summary(done)["messages_sent"] == 10
        with env.client() as client:
            assert snapshot(client) == expected(lines)


def test_export_then_import_into_a_fresh_server(env: Env, tmp_path: Path) -> None:
    with env.client() as client:
        ann = client.create_user(
            "ann", metadata={"tier": "gold", "n": 1}, merge_conflict_enabled=False
        )
        first = ann.create_session(
            metadata={"channel": "app"}, custom_created_at_utc=datetime(2024, 3, 1, tzinfo=UTC)
        )
        for i, text in enumerate(["I live in Berlin.", "Nice!", "My favourite food is sushi."]):
            first.add_message("user" if i % 2 == 0 else "assistant", text)
        first.process()
        pending = ann.create_session()
        pending.add_message("user", "Still talking.")
        client.create_user("ben")
        time.sleep(0.3)
    out = tmp_path / "backup.jsonl"
    exported = env.run("export", "--all", "-o", out)
    assert exported.code == 0, exported.stderr
    counts = summary(exported)["records"]
    assert counts["user"] == 2 and counts["session"] == 2 and counts["message"] == 4
    kinds = [json.loads(line)["type"] for line in out.read_text().splitlines()]
    assert kinds[0] == "user" and "memory" in kinds

    process, fresh_url = start_server()
    try:
        fresh = Env(fresh_url, "restored")
        imported = fresh.run("import", out)
        assert imported.code == 0, imported.stderr
        assert summary(imported)["not_imported"]["memory records (derived again by processing)"]
        with env.client() as before, fresh.client() as after:
            assert snapshot(after) == snapshot(before)
            for user_id in ("ann", "ben"):
                old, new = before.get_user(user_id), after.get_user(user_id)
                assert (new.metadata, new.merge_conflict_enabled) == (
                    old.metadata,
                    old.merge_conflict_enabled,
                )
            old_sessions = {s.created_at: s for s in before.get_user("ann").list_sessions()}
            for session in after.get_user("ann").list_sessions():
                twin = old_sessions[session.created_at]
                assert session.metadata == twin.metadata
                assert (session.status.value == "pending") == (  # type: ignore[union-attr]
                    twin.status.value == "pending"  # type: ignore[union-attr]
                )
    finally:
        stop_server(process)


def test_export_failure_leaves_no_partial_file(env: Env, tmp_path: Path) -> None:
    with env.client() as client:
        client.create_user("real")
    out = tmp_path / "out.jsonl"
    failed = env.run("export", "real", "ghost", "-o", out)
    assert failed.code == 3 and "ghost" in one_line_error(failed)
    assert list(tmp_path.iterdir()) == []
    to_stdout = env.call("export", "real", "-o", "-", "--no-memories")
    assert [r["type"] for r in to_stdout.json()] == ["user"]


def test_state_of_another_import_is_refused(env: Env, tmp_path: Path) -> None:
    state = tmp_path / "state.jsonl"
    one = write_jsonl(tmp_path / "one.jsonl", history(1, 1, 1))
    two = write_jsonl(tmp_path / "two.jsonl", history(1, 1, 2))
    assert env.call("import", one, "--state", state, "--no-process").code == 0
    refused = env.call("import", two, "--state", state)
    assert refused.code == 2 and "different import" in one_line_error(refused)


def test_a_failing_session_is_skipped_then_completed_by_the_next_run(tmp_path: Path) -> None:
    faults = FaultPlan()
    with local_http_server(faults=faults) as server:
        env = Env(server.url, "flaky")
        lines = history(users=1, sessions=3, messages=3)
        path = write_jsonl(tmp_path / "h.jsonl", lines)
        # Six 500s in a row on add-message: one session runs out of attempts (4), the
        # others recover (each 500 is checked against the server, then sent again).
        faults.fail_next(6, 500, match="/add-message")
        first = env.call("import", path, "--concurrency", "1", "--on-error", "skip")
        assert first.code == 4, first.stderr
        result = summary(first)
        assert result["sessions_failed"] == 1 and result["sessions_processed"] == 2
        assert "Injected fault: 500" in result["failures"][0]["error"]
        second = env.call("import", path, "--concurrency", "1")
        assert second.code == 0, second.stderr
        again = summary(second)
        assert again["sessions_resumed"] == 1 and again["sessions_already_imported"] == 2
        assert again["sessions_processed"] == 1
        with env.client() as client:
            assert snapshot(client) == expected(lines)


def test_progress_bar_and_summary_table_on_a_terminal(env: Env, tmp_path: Path) -> None:
    import sys

    from cli_support import run_in_pty

    path = write_jsonl(tmp_path / "h.jsonl", history(1, 2, 3))
    argv = [sys.executable, "-m", "recallrai.cli", "import", str(path), "--no-process"]
    code, screen = run_in_pty(argv, env.environ())
    assert code == 0, screen
    assert "━" in screen and "6/6" in screen and "messages" in screen  # rich's bar
    assert "messages sent" in screen and '"messages_sent"' not in screen  # a table, not JSON


def test_export_follows_symlinks_and_writes_fifos_and_devices_in_place(
    env: Env, tmp_path: Path
) -> None:
    import os
    import stat
    import threading

    with env.client() as client:
        client.create_user("dee", metadata={"k": "v"})
    target = tmp_path / "real.jsonl"
    target.write_text("old\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(target)
    done = env.call("export", "dee", "-o", link, "--no-memories")
    assert done.code == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)  # the link is kept
    assert [json.loads(line)["type"] for line in target.read_text().splitlines()] == ["user"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "real.jsonl"]

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    piped = env.call("export", "dee", "-o", fifo, "--no-memories")
    reader.join(10)
    assert piped.code == 0, piped.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still a FIFO, not a regular file
    assert json.loads(received[0])["user_id"] == "dee"

    if os.access("/dev/null", os.W_OK):
        nulled = env.call("export", "dee", "-o", "/dev/null", "--no-memories")
        assert nulled.code == 0, nulled.stderr
        assert stat.S_ISCHR(os.stat("/dev/null").st_mode)

    to_stdout = env.run("export", "dee", "-o", "/dev/stdout", "--no-memories")  # a pipe
    assert to_stdout.code == 0, to_stdout.stderr
    assert [r["type"] for r in to_stdout.json()] == ["user"]  # the summary went to stderr

    directory = env.call("export", "dee", "-o", tmp_path, "--no-memories")
    assert directory.code == 2 and "is a directory" in one_line_error(directory)


def wait_processed(client: RecallrAI, user_id: str) -> None:
    deadline = time.monotonic() + 15
    user = client.get_user(user_id)
    while any(s.status.value != "processed" for s in user.list_sessions()):  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "processing did not finish"
        time.sleep(0.05)


def test_history_is_replayed_oldest_first_whatever_the_file_order(env: Env, tmp_path: Path) -> None:
    with env.client() as client:
        for user_id, merge in (("mover", False), ("asker", True)):
            user = client.create_user(user_id, merge_conflict_enabled=merge)
            # The later session is created first: only the start times say which is newer.
            later = user.create_session(custom_created_at_utc=datetime(2024, 6, 1, tzinfo=UTC))
            later.add_message("user", "I live in Paris now.")
            earlier = user.create_session(custom_created_at_utc=datetime(2024, 1, 1, tzinfo=UTC))
            earlier.add_message("user", "I live in Berlin.")
            later.process()
            earlier.process()
            wait_processed(client, user_id)
    out = tmp_path / "backup.jsonl"
    assert env.call("export", "--all", "-o", out, "--no-memories").code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    contents = [r["content"] for r in records if r["type"] == "message"]
    assert contents == ["I live in Berlin.", "I live in Paris now."] * 2  # oldest first
    # The same lines with each user's sessions in the other order must import the same.
    blocks: list[list[dict[str, Any]]] = []
    for record in records:
        if record["type"] != "message":
            blocks.append([])
        blocks[-1].append(record)
    swapped = [blocks[0], blocks[2], blocks[1], blocks[3], blocks[5], blocks[4]]
    reversed_file = write_jsonl(tmp_path / "reversed.jsonl", [r for b in swapped for r in b])

    for index, path in enumerate((out, reversed_file)):
        fresh = Env(env.url, f"{env.project}-restored-{index}")
        imported = fresh.call("import", path, "--concurrency", "4")
        assert imported.code == 0, imported.stderr
        with fresh.client() as client:
            wait_processed(client, "mover")
            wait_processed(client, "asker")
            (city,) = [m for m in client.get_user("mover").list_memories() if "live" in m.content]
            assert (city.content, city.version_number) == ("User lives in Paris", 2), path
            (conflict,) = client.get_user("asker").list_merge_conflicts().conflicts
            assert "Paris" in conflict.proposed_memory_content
            (kept,) = [m for m in client.get_user("asker").list_memories() if "live" in m.content]
            assert kept.content == "User lives in Berlin"


@pytest.mark.parametrize(
    "bad",
    [
        {"timestamp": "9999-12-31T23:59:59-14:00"},
        {"timestamp": "0001-01-01T00:00:00+14:00"},
        {"timestamp": 1e300},
        {"user_metadata": "DEEP"},
    ],
)
def test_out_of_range_times_and_deep_json_are_bad_lines(
    env: Env, tmp_path: Path, bad: dict[str, Any]
) -> None:
    good = {"user_id": "u", "session": "s", "role": "user", "content": "I like tea."}
    line = json.dumps({**good, **bad})
    if bad.get("user_metadata") == "DEEP":  # 100,000 levels: past the JSON parser's limit
        line = line.replace('"DEEP"', '{"a":' * 100_000 + "1" + "}" * 100_000)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n" + line + "\n")
    stopped = env.call("import", path)
    assert stopped.code == 2, stopped.stderr
    assert "internal error" not in stopped.stderr
    assert stopped.stderr.splitlines()[0].startswith(f"recallrai: {path}: line 2: ")
    skipped = env.call("import", path, "--on-error", "skip", "--no-process")
    assert skipped.code == 4, skipped.stderr
    assert summary(skipped)["lines_skipped"] == 1 and summary(skipped)["messages_sent"] == 1


def test_deep_json_document_is_a_bad_file(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "conversations.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = env.call("import", path, "--user", "x", "--format", "openai")
    assert result.code == 2 and "nested too deeply" in result.stderr


def test_the_journal_never_keeps_credentials_from_the_url(env: Env, tmp_path: Path) -> None:
    from recallrai.cli._config import public_url

    assert public_url("https://bob:pw@api.example.com:8443/v1/?token=t#x") == (
        "https://api.example.com:8443/v1"
    )
    path = write_jsonl(tmp_path / "h.jsonl", history(1, 1, 2))
    secret_url = env.url.replace("http://", "http://bob:s3cret-pw@")
    done = env.call("import", path, "--no-process", RECALLRAI_BASE_URL=secret_url)
    assert done.code == 0, done.stderr
    assert "s3cret" not in done.stdout + done.stderr
    (journal,) = tmp_path.glob(".*.recallrai-import-*.jsonl")
    assert "s3cret" not in journal.read_text() and "bob" not in journal.read_text()
    queried = env.call("import", path, RECALLRAI_BASE_URL=secret_url + "/?token=t")
    assert queried.code == 2 and "s3cret" not in one_line_error(queried)
    again = env.call("import", path, "--no-process")  # the same server: the same journal
    assert again.code == 0 and summary(again)["sessions_already_imported"] == 1


def test_importing_a_directory_says_so(env: Env, tmp_path: Path) -> None:
    result = env.call("import", tmp_path)
    assert result.code == 2 and "is a directory" in one_line_error(result)
