"""Round trip through the Python client that openapi-generator makes from the spec.

    python tests/generators/python_roundtrip.py BASE_URL

Run by scripts/check-spec in its own venv, where `recallrai_openapi` (generated from
openapi/recallrai.openapi-3.0.yaml) is installed: create a user, a session, two messages,
then the context, against the local server. Exits non-zero naming the failed step.
"""

from __future__ import annotations

import sys
import uuid

import recallrai_openapi as api


def main(base_url: str) -> None:
    config = api.Configuration(host=base_url.rstrip("/"))
    config.api_key = {"ApiKey": "rai_generated_python", "ProjectId": "generated-python"}
    with api.ApiClient(config) as client:
        users, sessions = api.UsersApi(client), api.SessionsApi(client)
        messages = api.MessagesApi(client)
        user_id = f"og-python/{uuid.uuid4()}"  # a slash: the path must be percent-encoded
        user = users.create_user(
            api.CreateUserRequest(custom_user_id=user_id, metadata={"source": "og-python"})
        )
        assert user.custom_user_id == user_id, f"createUser: {user!r}"
        assert users.get_user(user_id).metadata == {"source": "og-python"}, "getUser"
        session = sessions.create_session(user_id, api.CreateSessionRequest(metadata={}))
        assert session.status == api.SessionStatus.PENDING, f"createSession: {session!r}"
        for role, text in (("user", "I live in Berlin."), ("assistant", "Noted!")):
            messages.add_message(
                user_id,
                session.session_id,
                api.AddMessageRequest(message=text, role=api.MessageRole(role)),
            )
        page = messages.list_session_messages(user_id, session.session_id)
        assert [m.content for m in page.messages] == ["I live in Berlin.", "Noted!"], page
        context = sessions.get_context(
            user_id, session.session_id, include_system_prompt=False, last_n_messages=2
        )
        assert context.is_final is True and context.context is not None, f"getContext: {context!r}"
        assert "I live in Berlin." in context.context, context.context
        users.delete_user(user_id)
    print(f"openapi-generator python client: round trip OK ({user_id})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
