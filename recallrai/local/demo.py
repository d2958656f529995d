"""The README's chat-with-memory flow, scripted, against an embedded local server.

    python -m recallrai.local.demo

A user talks to an assistant over two sessions. The first is turned into memories;
the second contradicts one of them, which raises a merge conflict; the conflict is
resolved, and a third session's context shows the corrected fact. The assistant is
scripted (no LLM, no network): every call goes over HTTP to a loopback server.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

from recallrai import RecallrAI
from recallrai.exceptions import UserNotFoundError
from recallrai.models import MergeConflictAnswer, MergeConflictStatus, MessageRole, SessionStatus
from recallrai.session import Session
from recallrai.user import User

from .testing import API_KEY, PROJECT_ID, local_http_server

FIRST_CHAT = [
    ("Hi! I live in Berlin.", "Nice to meet you! Berlin is a great city."),
    ("My favourite food is sushi. I'm allergic to peanuts.", "Noted: sushi yes, peanuts no."),
]
SECOND_CHAT = [
    ("Big news: I live in Paris now.", "Congratulations on the move to Paris!"),
]
THIRD_CHAT = [
    ("Can you suggest a restaurant near where I live?", "(the assistant would answer here)"),
]


def step(text: str) -> None:
    print(f"\n== {text}")


def chat(session: Session, turns: Sequence[tuple[str, str]]) -> str:
    """One scripted conversation, each turn as the README's chat loop does it."""
    context = ""
    for user_text, reply in turns:
        session.add_message(role=MessageRole.USER, content=user_text)
        context = session.get_context(include_system_prompt=False).context
        history = session.get_messages(offset=0, limit=50)
        print(f"  You: {user_text}")
        count = len(history.messages)
        print(f"  Assistant: {reply}   [{count} message{'' if count == 1 else 's'} so far]")
        session.add_message(role=MessageRole.ASSISTANT, content=reply)
    return context


def process(session: Session, timeout: float = 10.0) -> None:
    """Process the session and wait until the server has turned it into memories."""
    session.process()
    deadline = time.monotonic() + timeout
    while session.status in (SessionStatus.PENDING, SessionStatus.PROCESSING):
        if time.monotonic() > deadline:
            raise SystemExit(
                f"session {session.session_id} still {session.status} after {timeout}s"
            )
        time.sleep(0.02)
        session.refresh()
    print(
        f"  session {session.session_id[:8]}… is {session.status.value if session.status else '?'}"
    )


def show_memories(user: User) -> None:
    for memory in user.list_memories(limit=50):
        version = f"v{memory.version_number}/{memory.total_versions}"
        print(f"  - [{', '.join(memory.categories)}] {memory.content} ({version})")


def run(client: RecallrAI) -> None:
    step("User: get or create 'demo-user' (merge conflicts on)")
    try:
        user = client.get_user("demo-user")
    except UserNotFoundError:
        user = client.create_user(
            "demo-user", metadata={"name": "Demo"}, merge_conflict_enabled=True
        )
    print(f"  {user.user_id} created at {user.created_at:%Y-%m-%d %H:%M:%S %Z}")

    step("Session 1: a first conversation")
    first = user.create_session(auto_process_after_seconds=1800, metadata={"channel": "demo"})
    chat(first, FIRST_CHAT)
    process(first)

    step("Memories after session 1")
    show_memories(user)

    step("Session 2: the user contradicts an earlier fact")
    second = user.create_session(auto_process_after_seconds=1800)
    chat(second, SECOND_CHAT)
    process(second)

    step("Merge conflicts waiting for an answer")
    pending = user.list_merge_conflicts(status=MergeConflictStatus.PENDING)
    if not pending.conflicts:
        raise SystemExit("expected a pending merge conflict, found none")
    conflict = pending.conflicts[0]
    print(f"  proposed: {conflict.new_memory_content}")
    for memory in conflict.conflicting_memories:
        print(f"  conflicts with: {memory.content} ({memory.reason})")
    answers = []
    for question in conflict.clarifying_questions:
        print(f"  Q: {question.question}  options: {question.options}")
        answers.append(
            MergeConflictAnswer(
                question=question.question,
                answer=question.options[0],
                message="The user said so in the latest conversation",
            )
        )
    conflict.resolve(answers)
    print(f"  resolved: {conflict.status.value} at {conflict.resolved_at:%H:%M:%S}")

    step("Memories after resolving")
    show_memories(user)

    step("Session 3: the context now recalls the resolved fact")
    third = user.create_session(auto_process_after_seconds=1800)
    context = chat(third, THIRD_CHAT)
    for line in context.splitlines():
        if line.strip():
            print(f"  | {line}")
    if "Paris" not in context:
        raise SystemExit("the context does not mention the resolved fact (Paris)")
    step("Done: the assistant remembers, across sessions, what is true now.")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m recallrai.local.demo",
        description=(
            "The README's chat-with-memory flow, scripted, against a local RecallrAI server "
            "started in this process (in memory, on 127.0.0.1). Needs no key and no network."
        ),
    )
    parser.parse_args(argv)
    with local_http_server() as server:
        print(f"RecallrAI local server at {server.url} (in this process, in memory)")
        with RecallrAI(api_key=API_KEY, project_id=PROJECT_ID, base_url=server.url) as client:
            run(client)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
