"""Testing your own code against the local server, faults included, without sleeping.

    cd examples && python -m pytest -q

`save_note` and `recall` stand for your application code. The fixtures give each test a
fresh in-memory RecallrAI server; `faults` breaks the next requests the way a real
network or service does. Retries never sleep: `retry_delays` lists what the SDK chose.
"""

from __future__ import annotations

from typing import Any

import pytest

from recallrai import RecallrAI
from recallrai.exceptions import (
    AuthenticationError,
    ConnectionError,
    InternalServerError,
    RateLimitError,
    ServerError,
)
from recallrai.models import MessageRole


def save_note(client: RecallrAI, user_id: str, text: str) -> str:
    """Your code: store what the user said in a new session, return the session id."""
    user = client.create_user(user_id)
    session = user.create_session()
    session.add_message(role=MessageRole.USER, content=text)
    return session.session_id


def messages_of(client: RecallrAI, user_id: str, session_id: str) -> list[str]:
    session = client.get_user(user_id).get_session(session_id)
    return [m.content for m in session.get_messages(limit=50).messages]


def test_a_note_is_stored(recallrai_local: Any) -> None:
    session_id = save_note(recallrai_local.client, "ann", "I live in Oslo.")
    assert messages_of(recallrai_local.client, "ann", session_id) == ["I live in Oslo."]


def test_two_503s_are_retried_with_growing_backoff(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(2, 503)
    save_note(recallrai_local.client, "ann", "hello")
    first, second = recallrai_local.retry_delays
    assert 0 < first < second <= 8


def test_retry_after_is_honoured(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(1, 429, retry_after=3)
    save_note(recallrai_local.client, "ann", "hello")
    assert recallrai_local.retry_delays == [3.0]


def test_a_long_retry_after_is_handed_to_the_caller(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(1, 429, retry_after=3600)
    with pytest.raises(RateLimitError) as caught:
        save_note(recallrai_local.client, "ann", "hello")
    assert caught.value.retry_after == 3600
    assert recallrai_local.retry_delays == []


def test_a_500_after_a_message_was_sent_is_not_repeated(recallrai_local: Any) -> None:
    client = recallrai_local.client
    session = client.create_user("ann").create_session()
    recallrai_local.faults.fail_next(1, 500, match="POST /add-message")
    with pytest.raises(InternalServerError):
        session.add_message(role=MessageRole.USER, content="once")
    assert recallrai_local.retry_delays == []  # it may have arrived: not sent again
    assert messages_of(client, "ann", session.session_id) == []  # the fault answered instead


def test_a_lost_answer_never_duplicates_a_message(recallrai_local: Any) -> None:
    client = recallrai_local.client
    session = client.create_user("ann").create_session()
    recallrai_local.faults.drop_next(1, after_handling=True, match="/add-message")
    with pytest.raises(ConnectionError):
        session.add_message(role=MessageRole.USER, content="once")
    assert messages_of(client, "ann", session.session_id) == ["once"]  # stored, exactly once


def test_a_dropped_read_is_retried(recallrai_local: Any) -> None:
    session_id = save_note(recallrai_local.client, "ann", "hi")
    recallrai_local.faults.drop_next(1, match="GET /messages")
    assert messages_of(recallrai_local.client, "ann", session_id) == ["hi"]
    assert len(recallrai_local.retry_delays) == 1


@pytest.mark.recallrai(max_retries=0)
def test_without_retries_the_first_failure_surfaces(recallrai_local: Any) -> None:
    recallrai_local.faults.fail_next(1, 503)
    with pytest.raises(ServerError):
        save_note(recallrai_local.client, "ann", "hello")


def test_a_gateway_html_page_is_a_typed_error(recallrai_local: Any) -> None:
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    recallrai_local.faults.fail_next(3, 502, body=page)
    with pytest.raises(ServerError) as caught:
        save_note(recallrai_local.client, "ann", "hello")
    assert caught.value.http_status == 502
    assert len(recallrai_local.retry_delays) == 2  # max_retries=2, then it gives up


def test_a_wrong_key_is_refused(recallrai_local_factory: Any) -> None:
    server = recallrai_local_factory(api_keys=["rai_right"])
    wrong = RecallrAI(
        api_key="rai_wrong",
        project_id="p",
        base_url=str(server.client.base_url),
        http_client=server.client._api.http,
    )
    with pytest.raises(AuthenticationError):
        save_note(wrong, "ann", "hello")
    assert server.client.list_users().total == 0
