"""The fixtures SDK users get from ``recallrai.local.pytest_plugin``."""

from __future__ import annotations

from typing import Any

import pytest

from recallrai import RecallrAI
from recallrai.exceptions import InternalServerError, UserNotFoundError


def test_recallrai_local_gives_a_fresh_server_and_its_controls(recallrai_local: Any) -> None:
    client = recallrai_local.client
    assert isinstance(client, RecallrAI)
    with pytest.raises(UserNotFoundError):
        client.get_user("alice")
    client.create_user("alice")
    recallrai_local.faults.fail_next(1, 500)
    with pytest.raises(InternalServerError):
        client.with_options(max_retries=0).get_user("alice")
    assert client.get_user("alice").user_id == "alice"


def test_each_test_gets_a_fresh_server(recallrai_local: Any) -> None:
    assert recallrai_local.client.list_users().total == 0


def test_recallrai_local_server_serves_http(recallrai_local_server: Any) -> None:
    with RecallrAI(
        api_key="rai_plugin", project_id="p", base_url=recallrai_local_server.url
    ) as client:
        assert client.create_user("bob").user_id == "bob"
        assert [u.user_id for u in client.list_users().users] == ["bob"]
