"""An async web handler that remembers: a plain ASGI app over `AsyncRecallrAI`.

    python examples/async_web_handler.py     # serves two requests through httpx's ASGI transport

`POST /chat` with `{"user_id": ..., "message": ..., "session_id": optional}` stores the
message and answers with the recalled context. One `AsyncRecallrAI` serves every request
(its connection pool is shared); run the app under any ASGI server (uvicorn, hypercorn).
Set RECALLRAI_BASE_URL to use a running server; without it a local one starts in-process.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from typing import Any

import httpx

from recallrai import AsyncRecallrAI
from recallrai.exceptions import RecallrAIError, UserNotFoundError
from recallrai.models import MessageRole

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class ChatApp:
    """ASGI app: one client for the whole process, one session per conversation."""

    def __init__(self, client: AsyncRecallrAI) -> None:
        self.client = client

    async def __call__(self, scope: dict[str, Any], receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (scope["method"], scope["path"]) != ("POST", "/chat"):
            return await _reply(send, 404, {"error": "POST /chat"})
        body = b""
        while True:
            event = await receive()
            body += event.get("body", b"")
            if not event.get("more_body"):
                break
        try:
            request = json.loads(body)
            status, payload = 200, await self.chat(**request)
        except (TypeError, ValueError) as error:  # bad JSON or bad fields: the caller's fault
            status, payload = 400, {"error": str(error)}
        except RecallrAIError as error:  # typed SDK errors: say what, never a traceback
            status, payload = error.http_status or 502, {"error": error.message}
        await _reply(send, status, payload)

    async def chat(
        self, user_id: str, message: str, session_id: str | None = None
    ) -> dict[str, Any]:
        try:
            user = await self.client.get_user(user_id)
        except UserNotFoundError:
            user = await self.client.create_user(user_id)
        if session_id is None:
            session = await user.create_session()
        else:
            session = await user.get_session(session_id)
        await session.add_message(role=MessageRole.USER, content=message)
        context = await session.get_context(include_system_prompt=False)
        return {"session_id": session.session_id, "context": context.context}


async def _reply(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def demo() -> None:
    async with AsyncRecallrAI() as client:
        transport = httpx.ASGITransport(app=ChatApp(client))
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as web:
            first = await web.post("/chat", json={"user_id": "web-user", "message": "Hello!"})
            print(first.status_code, first.json()["session_id"][:8], "…")
            again = {**first.json(), "user_id": "web-user", "message": "I like tea."}
            again.pop("context")
            second = await web.post("/chat", json=again)
            print(
                second.status_code,
                "same session:",
                second.json()["session_id"] == again["session_id"],
            )
            bad = await web.post("/chat", content=b"{not json")
            print(bad.status_code, bad.json()["error"][:40])


def main() -> None:
    with ExitStack() as stack:
        if "RECALLRAI_BASE_URL" not in os.environ:
            from recallrai.local.testing import local_http_server

            os.environ["RECALLRAI_BASE_URL"] = stack.enter_context(local_http_server()).url
        os.environ.setdefault("RECALLRAI_API_KEY", "rai_example")
        os.environ.setdefault("RECALLRAI_PROJECT_ID", "example-project")
        asyncio.run(demo())


if __name__ == "__main__":
    main()
