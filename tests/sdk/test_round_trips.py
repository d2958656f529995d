"""One turn of the README chat loop makes the fewest requests the API allows.

A turn is: add the user's message, get the context, read the session's messages, add
the assistant's answer. That is four requests; the default system prompt is fetched
once per recall strategy and client (first turn only), never again.
"""

from __future__ import annotations

import asyncio
from typing import Any

from recallrai.local.testing import async_local_client, local_client
from recallrai.models import MessageRole


def sent(faults: Any) -> list[tuple[str, str, int]]:
    return sorted((r["method"], r["path"], r["count"]) for r in faults.requests())


def total(faults: Any) -> int:
    return sum(r["count"] for r in faults.requests())


def test_chat_turn_round_trips_sync() -> None:
    with local_client() as env:
        session = env.client.create_user("alice").create_session()
        counts = []
        for turn in range(3):
            before = total(env.faults)
            session.add_message(MessageRole.USER, f"I live in Berlin, turn {turn}.")
            context = session.get_context()
            messages = session.get_messages()
            session.add_message(MessageRole.ASSISTANT, "Noted.")
            counts.append(total(env.faults) - before)
            assert context.context
            assert len(messages.messages) == 2 * turn + 1
        assert counts == [5, 4, 4]
        prompt_fetches = [r for r in sent(env.faults) if r[1].endswith("/system-prompt")]
        assert [r[2] for r in prompt_fetches] == [1]


def test_chat_turn_round_trips_async() -> None:
    async def chat() -> list[int]:
        async with async_local_client() as env:
            user = await env.client.create_user("alice")
            session = await user.create_session()
            counts = []
            for turn in range(3):
                before = total(env.faults)
                await session.add_message(MessageRole.USER, f"I like tea, turn {turn}.")
                await session.get_context()
                await session.get_messages()
                await session.add_message(MessageRole.ASSISTANT, "Noted.")
                counts.append(total(env.faults) - before)
            return counts

    assert asyncio.run(chat()) == [5, 4, 4]


def test_prompt_cache_is_shared_with_derived_clients() -> None:
    with local_client() as env:
        session = env.client.create_user("bob").create_session()
        session.get_context()
        fast = env.client.with_options(timeout=5)
        twin = fast.get_user("bob", validate=False).get_session(session.session_id, validate=False)
        before = total(env.faults)
        twin.get_context()
        assert total(env.faults) - before == 1
