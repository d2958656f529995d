"""Chat with memory: RecallrAI recalls what the user said before, an LLM answers.

    python examples/chat_with_memory.py                  # starts a local server in-process
    RECALLRAI_BASE_URL=http://127.0.0.1:8080 python examples/chat_with_memory.py

`StubLLM` has the shape of the `openai` package's client
(`llm.chat.completions.create(model=..., messages=...).choices[0].message.content`), so
swapping in a real model is two lines: `from openai import OpenAI` and `llm = OpenAI()`.
"""

from __future__ import annotations

import os
import time
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from recallrai import RecallrAI
from recallrai.exceptions import UserNotFoundError
from recallrai.models import MessageRole, SessionStatus
from recallrai.session import Session


@dataclass
class _Message:
    content: str


@dataclass
class _Choice:
    message: _Message


@dataclass
class _Completion:
    choices: list[_Choice]


class _Completions:
    def create(self, *, model: str, messages: list[dict[str, str]]) -> _Completion:
        """Answer from the system prompt: repeat the remembered fact about where they live."""
        system, question = messages[0]["content"], messages[-1]["content"]
        known = [
            line.split("] ", 1)[-1] for line in system.splitlines() if "] User lives in" in line
        ]
        if "where" in question.lower() and known:
            return _Completion([_Choice(_Message(f"From what I remember: {known[0]}."))])
        return _Completion([_Choice(_Message("Noted!"))])


class StubLLM:
    """Stands in for `openai.OpenAI()`: the same call shape, a canned model."""

    def __init__(self) -> None:
        self.chat = type("Chat", (), {"completions": _Completions()})()


def turn(llm: Any, session: Session, text: str) -> str:
    """One chat turn: store the message, recall context, ask the LLM, store its answer."""
    session.add_message(role=MessageRole.USER, content=text)
    context = session.get_context()
    history = session.get_messages(limit=20)
    messages = [{"role": "system", "content": context.context}]
    messages += [{"role": m.role.value, "content": m.content} for m in history.messages]
    reply = llm.chat.completions.create(model="gpt-4o-mini", messages=messages)
    answer: str = reply.choices[0].message.content
    session.add_message(role=MessageRole.ASSISTANT, content=answer)
    return answer


def processed(session: Session, timeout: float = 10.0) -> None:
    session.process()
    deadline = time.monotonic() + timeout
    while session.status in (SessionStatus.PENDING, SessionStatus.PROCESSING):
        if time.monotonic() > deadline:
            raise SystemExit(f"session still {session.status} after {timeout} s")
        time.sleep(0.02)
        session.refresh()


def main() -> None:
    with ExitStack() as stack:
        if "RECALLRAI_BASE_URL" not in os.environ:
            from recallrai.local.testing import local_http_server

            server = stack.enter_context(local_http_server())
            os.environ.update(RECALLRAI_BASE_URL=server.url)
        os.environ.setdefault("RECALLRAI_API_KEY", "rai_example")
        os.environ.setdefault("RECALLRAI_PROJECT_ID", "example-project")
        client = stack.enter_context(RecallrAI())
        llm = StubLLM()
        try:
            user = client.get_user("example-user")
        except UserNotFoundError:
            user = client.create_user("example-user")

        first = user.create_session()
        print("assistant:", turn(llm, first, "Hi! I live in Lisbon."))
        processed(first)  # the first conversation becomes memories

        second = user.create_session()
        print("assistant:", turn(llm, second, "Where do I live again?"))


if __name__ == "__main__":
    main()
