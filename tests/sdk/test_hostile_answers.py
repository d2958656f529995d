"""What a hostile or broken server sends back never leaks the key or escapes untyped."""

from __future__ import annotations

import asyncio

import pytest
from pytest_httpx import HTTPXMock

from recallrai import RecallrAI
from recallrai.exceptions import MAX_MESSAGE, RecallrAIError, ValidationError
from recallrai.local.testing import async_local_client, local_client

KEY = "rai_secretkey123"
DEEP = '{"detail":' + "[" * 100_000 + "]" * 100_000 + "}"


def test_a_key_echoed_by_the_server_is_masked_sync_and_async() -> None:
    body = f'{{"detail": "your key {KEY} is bad", "extra": ["{KEY}"]}}'
    with local_client(api_keys=[KEY]) as env:
        env.faults.fail_next(1, 400, body=body)
        with pytest.raises(ValidationError) as caught:
            env.client.get_user("u")
    assert KEY not in str(caught.value) + repr(caught.value) + repr(caught.value.detail)
    assert "rai_***" in str(caught.value)

    async def run() -> RecallrAIError:
        async with async_local_client(api_keys=[KEY]) as env:
            env.faults.fail_next(1, 400, body=body)
            try:
                await env.client.get_user("u")
            except RecallrAIError as error:
                return error
        raise AssertionError("no error")

    error = asyncio.run(run())
    assert KEY not in str(error) + repr(error.args) + repr(error.detail)


@pytest.mark.parametrize("status", [400, 404, 500])
def test_an_error_body_nested_too_deep_for_json_is_a_typed_error(status: int) -> None:
    with local_client(max_retries=0) as env:
        env.faults.fail_next(1, status, body=DEEP, content_type="application/json")
        with pytest.raises(RecallrAIError):
            env.client.list_users()


def test_a_success_body_nested_too_deep_for_json_is_a_typed_error(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(
        200, content=DEEP.encode(), headers={"content-type": "application/json"}
    )
    client = RecallrAI(api_key="rai_k", project_id="p", base_url="http://api.test")
    with client, pytest.raises(RecallrAIError, match="not JSON"):
        client.list_users()


def test_a_megabyte_of_detail_makes_a_short_message_and_keeps_the_detail() -> None:
    with local_client() as env:
        env.faults.fail_next(1, 400, body='{"detail": "' + "x" * 900_000 + '"}')
        with pytest.raises(ValidationError) as caught:
            env.client.list_users()
    assert len(caught.value.message) < MAX_MESSAGE + 100
    assert "898,000 more characters" in caught.value.message
    assert caught.value.detail == "x" * 900_000


def test_credentials_and_query_in_base_url_never_show() -> None:
    with pytest.raises(ValidationError) as caught:
        RecallrAI(api_key="rai_k", project_id="p", base_url=f"http://127.0.0.1:1?x={KEY}")
    assert KEY not in str(caught.value)
    client = RecallrAI(api_key="rai_k", project_id="p", base_url="http://user:pw@127.0.0.1:1")
    assert "pw" not in repr(client) and "user" not in repr(client)
    with pytest.raises(ValidationError) as caught:
        RecallrAI(api_key="rai_k", project_id="p", base_url="ftp://user:hunter2@host")
    assert "hunter2" not in str(caught.value)
