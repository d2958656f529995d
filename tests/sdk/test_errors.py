"""Which exception each failed answer raises (the table in ``recallrai/_errors.py``).

Every class, attribute and import named in the README's error section is checked here,
for the sync and the async client alike.
"""

from __future__ import annotations

import builtins
import socket
import traceback
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
from flavours import Flavour
from pytest_httpx import HTTPXMock, IteratorStream
from sdk_helpers import API, API_KEY, BASE_URL, CONFLICT, CONTEXT, MEMORY, SESSION, USER

from recallrai import AsyncRecallrAI, RecallrAI, _core
from recallrai import exceptions as exc
from recallrai.exceptions import (
    AuthenticationError,
    ClientClosedError,
    ConnectionError,
    InternalServerError,
    InvalidCategoriesError,
    InvalidSessionStateError,
    MemoryNotFoundError,
    MergeConflictAlreadyResolvedError,
    MergeConflictError,
    MergeConflictInvalidAnswerError,
    MergeConflictInvalidQuestionsError,
    MergeConflictMissingAnswersError,
    MergeConflictNotFoundError,
    NetworkError,
    RateLimitError,
    RecallrAIError,
    ServerError,
    SessionError,
    SessionNotFoundError,
    TimeoutError,
    UserAlreadyExistsError,
    UserError,
    UserNotFoundError,
    ValidationError,
)
from recallrai.local.testing import local_http_server
from recallrai.models import MergeConflictAnswer, MessageRole

ANSWERS = [MergeConflictAnswer(question="Where do you live?", answer="Berlin")]

# Every operation, by the name the error table uses: (what it is called on, the call).
OPS: dict[str, tuple[str, Callable[[Any], Any]]] = {
    "create_user": ("client", lambda c: c.create_user("u")),
    "get_user": ("client", lambda c: c.get_user("u")),
    "list_users": ("client", lambda c: c.list_users()),
    "update_user": ("user", lambda u: u.update(new_user_id="v")),
    "refresh_user": ("user", lambda u: u.refresh()),
    "delete_user": ("user", lambda u: u.delete()),
    "create_session": ("user", lambda u: u.create_session()),
    "get_session": ("user", lambda u: u.get_session("s")),
    "list_sessions": ("user", lambda u: u.list_sessions()),
    "list_memories": ("user", lambda u: u.list_memories(categories=["food"])),
    "get_memory": ("user", lambda u: u.get_memory("m")),
    "delete_memory": ("user", lambda u: u.delete_memory("m")),
    "get_last_messages": ("user", lambda u: u.get_last_n_messages(5)),
    "list_merge_conflicts": ("user", lambda u: u.list_merge_conflicts()),
    "get_merge_conflict": ("user", lambda u: u.get_merge_conflict("c")),
    "add_message": ("session", lambda s: s.add_message(MessageRole.USER, "hi")),
    "get_context": ("session", lambda s: s.get_context()),
    "get_context_stream": ("session", lambda s: s.get_context_stream()),
    "process_session": ("session", lambda s: s.process()),
    "list_session_messages": ("session", lambda s: s.get_messages()),
    "update_session": ("session", lambda s: s.update(new_metadata={"a": 1})),
    "refresh_session": ("session", lambda s: s.refresh()),
    "delete_session": ("session", lambda s: s.delete()),
    "resolve_merge_conflict": ("conflict", lambda c: c.resolve(ANSWERS)),
    "refresh_merge_conflict": ("conflict", lambda c: c.refresh()),
}


@pytest.fixture
def call(sdk: Any, user: Any, session: Any, httpx_mock: HTTPXMock) -> Callable[..., Any]:
    """``call(op, expected, status, **answer)``: perform ``op`` against that answer.

    The mock gives the answer (``httpx_mock.add_response`` keywords, or ``exception=``);
    the call must raise ``expected``, which is returned.
    """

    def perform(
        op: str,
        expected: type[Exception],
        status: int = 200,
        *,
        exception: Exception | None = None,
        **answer: Any,
    ) -> Any:
        on, fn = OPS[op]
        if on == "conflict":
            httpx_mock.add_response(url=f"{API}/users/u/merge-conflicts/c", json=CONFLICT)
            target = sdk.run(user.get_merge_conflict("c"))
        else:
            target = {"client": sdk.client, "user": user, "session": session}[on]
        if exception is not None:
            httpx_mock.add_exception(exception)
        else:
            httpx_mock.add_response(status_code=status, **answer)
        with pytest.raises(expected) as info:
            result = fn(target)
            if op == "get_context_stream":
                sdk.collect(result)
            else:
                sdk.run(result)
        return info.value

    return perform


# Hierarchy -------------------------------------------------------------------------------

HIERARCHY = {
    AuthenticationError: (RecallrAIError,),
    NetworkError: (RecallrAIError,),
    ServerError: (RecallrAIError,),
    UserError: (RecallrAIError,),
    SessionError: (RecallrAIError,),
    MergeConflictError: (RecallrAIError,),
    ValidationError: (RecallrAIError, ValueError),
    TimeoutError: (NetworkError, builtins.TimeoutError),
    ConnectionError: (NetworkError, builtins.ConnectionError),
    InternalServerError: (ServerError,),
    RateLimitError: (ServerError,),
    UserNotFoundError: (UserError,),
    UserAlreadyExistsError: (UserError,),
    InvalidCategoriesError: (UserError,),
    InvalidSessionStateError: (SessionError,),
    SessionNotFoundError: (SessionError,),
    MergeConflictNotFoundError: (MergeConflictError,),
    MergeConflictAlreadyResolvedError: (MergeConflictError,),
    MergeConflictInvalidQuestionsError: (MergeConflictError,),
    MergeConflictMissingAnswersError: (MergeConflictError,),
    MergeConflictInvalidAnswerError: (MergeConflictError,),
    MemoryNotFoundError: (RecallrAIError,),
    ClientClosedError: (RecallrAIError,),
}


@pytest.mark.parametrize("cls", list(HIERARCHY), ids=lambda c: c.__name__)
def test_hierarchy_is_the_readmes(cls: type[Exception]) -> None:
    assert cls.__bases__ == HIERARCHY[cls]
    assert issubclass(cls, RecallrAIError)
    assert getattr(exc, cls.__name__) is cls


def test_base_error_derives_from_exception() -> None:
    assert RecallrAIError.__bases__ == (Exception,)
    assert set(exc.__all__) == {c.__name__ for c in HIERARCHY} | {"RecallrAIError"}


def test_error_str_and_attributes() -> None:
    error = UserNotFoundError("User u not found", http_status=404, detail="User u not found")
    assert str(error) == "User u not found (HTTP 404)"
    assert error.message == "User u not found"
    assert (error.http_status, error.detail) == (404, "User u not found")
    assert str(ValidationError("bad")) == "bad"


# 401 / 403 -------------------------------------------------------------------------------


@pytest.mark.parametrize("op", list(OPS))
def test_401_is_authentication_error(op: str, call: Any) -> None:
    error = call(op, AuthenticationError, 401, json={"detail": "Invalid API key"})
    assert error.http_status == 401
    assert "Invalid API key" in str(error)


@pytest.mark.parametrize("content", [b'{"detail": "Forbidden"}', b"<html>Forbidden</html>"])
def test_403_is_authentication_error(content: bytes, call: Any) -> None:
    error = call("get_user", AuthenticationError, 403, content=content)
    assert error.http_status == 403


# 404 -------------------------------------------------------------------------------------

# Operations whose 404 means the user (they have no nested resource).
USER_LEVEL = [
    "get_user",
    "update_user",
    "refresh_user",
    "delete_user",
    "create_session",
    "list_sessions",
    "list_memories",
    "get_last_messages",
    "list_merge_conflicts",
]
NESTED = {
    "get_session": (SessionNotFoundError, "Session s not found"),
    "add_message": (SessionNotFoundError, "Session s not found"),
    "get_context": (SessionNotFoundError, "Session s not found"),
    "get_context_stream": (SessionNotFoundError, "Session s not found"),
    "process_session": (SessionNotFoundError, "Session s not found"),
    "list_session_messages": (SessionNotFoundError, "Session s not found"),
    "update_session": (SessionNotFoundError, "Session s not found"),
    "refresh_session": (SessionNotFoundError, "Session s not found"),
    "delete_session": (SessionNotFoundError, "Session s not found"),
    "get_memory": (MemoryNotFoundError, "Memory m not found"),
    "delete_memory": (MemoryNotFoundError, "Memory m not found"),
    "get_merge_conflict": (MergeConflictNotFoundError, "Merge conflict c not found"),
    "resolve_merge_conflict": (MergeConflictNotFoundError, "Merge conflict c not found"),
    "refresh_merge_conflict": (MergeConflictNotFoundError, "Merge conflict c not found"),
}


@pytest.mark.parametrize("op", USER_LEVEL)
def test_404_user_level_is_user_not_found(op: str, call: Any) -> None:
    error = call(op, UserNotFoundError, 404, json={"detail": "User u not found"})
    assert (error.http_status, error.detail) == (404, "User u not found")
    assert "User u not found" in str(error)


@pytest.mark.parametrize("op", list(NESTED))
def test_404_nested_resource(op: str, call: Any) -> None:
    expected, detail = NESTED[op]
    error = call(op, expected, 404, json={"detail": detail})
    assert not isinstance(error, UserNotFoundError)
    assert detail in str(error)


@pytest.mark.parametrize("op", list(NESTED))
def test_404_naming_the_user_under_a_nested_path(op: str, call: Any) -> None:
    call(op, UserNotFoundError, 404, json={"detail": "User u not found"})


@pytest.mark.parametrize(
    "detail",
    ["Session user-42 not found", "Session user.1 not found", "Session s not found for user u"],
)
def test_404_session_detail_mentioning_user_is_not_user_not_found(detail: str, call: Any) -> None:
    call("get_session", SessionNotFoundError, 404, json={"detail": detail})


def test_gateway_404_is_not_user_not_found(call: Any) -> None:
    error = call(
        "get_user",
        RecallrAIError,
        404,
        text="404 page not found",
        headers={"Content-Type": "text/plain"},
    )
    assert type(error) is RecallrAIError
    assert error.http_status == 404
    assert "base_url" in str(error)
    assert "404 page not found" in str(error)


# 409 / 400 -------------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["create_user", "update_user"])
def test_409_on_user_is_already_exists(op: str, call: Any) -> None:
    error = call(op, UserAlreadyExistsError, 409, json={"detail": "User with id u already exists"})
    assert "already exists" in str(error)
    assert error.http_status == 409


def test_409_elsewhere_is_a_plain_error(call: Any) -> None:
    error = call("update_session", RecallrAIError, 409, json={"detail": "Conflict"})
    assert not isinstance(error, UserAlreadyExistsError)
    assert error.http_status == 409


@pytest.mark.parametrize("op", ["add_message", "process_session"])
def test_400_on_session_state_is_invalid_session_state(op: str, call: Any) -> None:
    detail = "Cannot add message to session with status processed"
    error = call(op, InvalidSessionStateError, 400, json={"detail": detail})
    assert detail in str(error)


def test_400_invalid_categories(call: Any) -> None:
    error = call(
        "list_memories",
        InvalidCategoriesError,
        400,
        json={
            "detail": {
                "message": "Invalid categories provided",
                "invalid_categories": ["food", "colour"],
            }
        },
    )
    assert error.invalid_categories == ["food", "colour"]
    assert "Invalid categories provided" in str(error)
    assert isinstance(error, UserError)


def test_400_elsewhere_is_validation_error(call: Any) -> None:
    error = call("create_user", ValidationError, 400, json={"detail": "Bad metadata"})
    assert isinstance(error, ValueError)
    assert "Bad metadata" in str(error)


# The four 400s of resolve ----------------------------------------------------------------

Q = "Where do you live?"

RESOLVE_CASES: list[tuple[str, dict[str, Any], type[Exception], dict[str, Any]]] = [
    (
        "error-code-beats-prose",
        {
            "detail": "Missing answers? No: invalid questions provided",
            "error_code": "missing_answers",
            "missing_questions": [Q],
        },
        MergeConflictMissingAnswersError,
        {"missing_questions": [Q]},
    ),
    (
        "unknown-error-code-falls-back-to-prose",
        {"detail": "Merge conflict c is already resolved", "error_code": "resolved_elsewhere"},
        MergeConflictAlreadyResolvedError,
        {},
    ),
    (
        "already-resolved",
        {"detail": "Merge conflict c is already resolved", "error_code": "already_resolved"},
        MergeConflictAlreadyResolvedError,
        {},
    ),
    (
        "invalid-questions-structured",
        {
            "detail": "Invalid questions provided: Where do you work?",
            "error_code": "invalid_questions",
            "invalid_questions": ["Where do you work?"],
        },
        MergeConflictInvalidQuestionsError,
        {"invalid_questions": ["Where do you work?"]},
    ),
    (
        "invalid-questions-detail-object",
        {"detail": {"message": "Bad questions", "invalid_questions": ["A?", "B?"]}},
        MergeConflictInvalidQuestionsError,
        {"invalid_questions": ["A?", "B?"]},
    ),
    (
        "invalid-questions-prose-list",
        {"detail": "Invalid questions provided: ['Where do you work?', \"What's up?\"]"},
        MergeConflictInvalidQuestionsError,
        {"invalid_questions": ["Where do you work?", "What's up?"]},
    ),
    (
        "invalid-questions-prose-bare",
        {"detail": "Invalid questions provided: Where do you work?"},
        MergeConflictInvalidQuestionsError,
        {"invalid_questions": ["Where do you work?"]},
    ),
    (
        "missing-answers-structured",
        {
            "detail": f"Missing answers for the following questions: {Q}",
            "missing_questions": [Q],
        },
        MergeConflictMissingAnswersError,
        {"missing_questions": [Q]},
    ),
    (
        "missing-answers-prose-list",
        {"detail": f"Missing answers for the following questions: ['{Q}', 'Why?']"},
        MergeConflictMissingAnswersError,
        {"missing_questions": [Q, "Why?"]},
    ),
    (
        "missing-answers-prose-bare",
        {"detail": f"Missing answers for the following questions: {Q}"},
        MergeConflictMissingAnswersError,
        {"missing_questions": [Q]},
    ),
    (
        "invalid-answer-structured",
        {
            "detail": f"Invalid answer 'Berlin' for question '{Q}'",
            "error_code": "invalid_answer",
            "question": Q,
            "valid_options": ["Paris", "Rome"],
        },
        MergeConflictInvalidAnswerError,
        {"question": Q, "valid_options": ["Paris", "Rome"]},
    ),
    (
        "invalid-answer-prose",
        {"detail": f"Invalid answer 'Berlin' for question '{Q}'. Valid options: ['Paris', 'Rome']"},
        MergeConflictInvalidAnswerError,
        {"question": Q, "valid_options": ["Paris", "Rome"]},
    ),
    (
        "invalid-answer-prose-apostrophe",
        {
            "detail": "Invalid answer 'x' for question 'What's your city?'. "
            "Valid options: ['Paris', \"Rome's\"]"
        },
        MergeConflictInvalidAnswerError,
        {"question": "What's your city?", "valid_options": ["Paris", "Rome's"]},
    ),
    (
        "invalid-answer-prose-no-options",
        {"detail": f"Invalid answer 'Berlin' for question '{Q}'"},
        MergeConflictInvalidAnswerError,
        {"question": Q, "valid_options": None},
    ),
]


@pytest.mark.parametrize(
    ("wire", "expected", "attributes"),
    [c[1:] for c in RESOLVE_CASES],
    ids=[c[0] for c in RESOLVE_CASES],
)
def test_resolve_400s(
    wire: dict[str, Any],
    expected: type[Exception],
    attributes: dict[str, Any],
    call: Any,
) -> None:
    error = call("resolve_merge_conflict", expected, 400, json=wire)
    assert isinstance(error, MergeConflictError)
    assert error.http_status == 400
    for name, value in attributes.items():
        assert getattr(error, name) == value, name


def test_other_resolve_400_is_validation_error(call: Any) -> None:
    call("resolve_merge_conflict", ValidationError, 400, json={"detail": "Something else"})


def test_resolve_error_attributes_default_to_none() -> None:
    assert MergeConflictInvalidQuestionsError("x").invalid_questions is None
    assert MergeConflictMissingAnswersError("x").missing_questions is None
    error = MergeConflictInvalidAnswerError("x")
    assert (error.question, error.valid_options) == (None, None)


# 422 / 413 -------------------------------------------------------------------------------


def test_422_list_is_a_readable_validation_error(call: Any) -> None:
    error = call(
        "list_users",
        ValidationError,
        422,
        json={
            "detail": [
                {
                    "loc": ["query", "limit"],
                    "msg": "Input should be less than or equal to 100",
                    "type": "less_than_equal",
                },
                {"loc": ["body", "metadata", 0], "msg": "Field required", "type": "missing"},
            ]
        },
    )
    assert isinstance(error, ValueError)
    assert error.http_status == 422
    text = str(error)
    assert "query.limit: Input should be less than or equal to 100" in text
    assert "body.metadata.0: Field required" in text
    assert "{" not in text  # not a dump of the raw JSON
    assert isinstance(error.detail, list)


def test_422_string_detail(call: Any) -> None:
    error = call("get_user", ValidationError, 422, json={"detail": "Unprocessable"})
    assert "Unprocessable" in str(error)


def test_413_is_validation_error(call: Any) -> None:
    error = call("add_message", ValidationError, 413, json={"detail": "Request too large"})
    assert error.http_status == 413


# 429 -------------------------------------------------------------------------------------


def _http_date(seconds_from_now: float) -> str:
    return format_datetime(datetime.now(UTC) + timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("headers", "low", "high"),
    [
        (lambda: {"Retry-After": "7"}, 7.0, 7.0),
        (lambda: {"Retry-After": "1.5"}, 1.5, 1.5),
        (lambda: {"Retry-After": _http_date(30)}, 25.0, 31.0),
        (lambda: {"Retry-After": _http_date(-30)}, 0.0, 0.0),
        (lambda: {"retry-after-ms": "250"}, 0.25, 0.25),
        (lambda: {"retry-after-ms": "250", "Retry-After": "9"}, 0.25, 0.25),
    ],
    ids=["seconds", "fraction", "http-date", "past-date", "ms", "ms-wins"],
)
@pytest.mark.parametrize("json_body", [True, False], ids=["json", "plain"])
def test_429_is_rate_limit_error_with_retry_after(
    headers: Callable[[], dict[str, str]],
    low: float,
    high: float,
    json_body: bool,
    call: Any,
) -> None:
    content: dict[str, Any] = (
        {"json": {"detail": "Rate limit exceeded"}} if json_body else {"text": "Too Many"}
    )
    error = call("get_user", RateLimitError, 429, headers=headers(), **content)
    assert isinstance(error, ServerError)
    assert error.http_status == 429
    assert error.retry_after is not None
    assert low <= error.retry_after <= high


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "soon"}], ids=["none", "garbage"])
def test_429_without_usable_retry_after(headers: dict[str, str], call: Any) -> None:
    error = call("add_message", RateLimitError, 429, json={"detail": "Slow down"}, headers=headers)
    assert error.retry_after is None
    assert "Slow down" in str(error)


# 5xx and bodies that are not the API's -----------------------------------------------------

HTML = "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 5000 + "</body></html>"


@pytest.mark.parametrize("status", [500, 502, 503, 504, 599])
@pytest.mark.parametrize("kind", ["json", "html", "empty"])
def test_5xx_is_internal_server_error(status: int, kind: str, call: Any) -> None:
    content: dict[str, Any] = {
        "json": {"json": {"detail": "Database unavailable"}},
        "html": {"text": HTML, "headers": {"Content-Type": "text/html"}},
        "empty": {},
    }[kind]
    error = call("get_user", InternalServerError, status, **content)
    assert isinstance(error, ServerError)
    assert error.http_status == status
    text = str(error)
    if kind == "json":
        assert "Database unavailable" in text
    elif kind == "html":
        assert "502 Bad Gateway" in text
        assert len(text) < 400  # an excerpt, not the whole page
    else:
        assert "empty" in text


def test_5xx_on_a_stream_is_internal_server_error(call: Any) -> None:
    error = call("get_context_stream", InternalServerError, 502, text=HTML)
    assert error.http_status == 502


@pytest.mark.parametrize("op", ["get_user", "list_users", "get_context", "list_memories"])
def test_200_with_a_body_that_is_not_json(op: str, call: Any) -> None:
    error = call(op, InternalServerError, 200, text="<html>Welcome to nginx!</html>")
    assert "Welcome to nginx!" in str(error)
    assert error.__cause__ is None
    assert error.__suppress_context__  # no JSONDecodeError chained into the traceback


def test_200_with_json_that_is_not_an_object(call: Any) -> None:
    call("get_user", InternalServerError, 200, json=["not", "a", "user"])


def test_stream_event_that_is_not_json(call: Any) -> None:
    call(
        "get_context_stream",
        InternalServerError,
        200,
        content=b"data: {oops\n\n",
        headers={"Content-Type": "text/event-stream"},
    )


@pytest.mark.parametrize(
    ("status", "kwargs", "snippet"),
    [
        (418, {"json": {"detail": "I'm a teapot"}}, "teapot"),
        (418, {"text": "short and stout"}, "short and stout"),
        (451, {"text": "Unavailable For Legal Reasons"}, "Legal Reasons"),
        (
            302,
            {"text": "Moved", "headers": {"Location": "https://elsewhere.test/"}},
            "redirect to https://elsewhere.test/",
        ),
        (301, {"json": {"detail": "Moved"}}, "base_url"),
        (520, {"text": "Web server is returning an unknown error"}, "unknown error"),
    ],
    ids=["418-json", "418-text", "451", "302", "301-json", "520"],
)
def test_status_not_in_the_table(
    status: int, kwargs: dict[str, Any], snippet: str, call: Any
) -> None:
    error = call("get_user", RecallrAIError, status, **kwargs)
    assert error.http_status == status
    assert snippet in str(error)
    if status < 500:
        assert type(error) is RecallrAIError
    else:
        assert isinstance(error, InternalServerError)


# Transport failures --------------------------------------------------------------------------

TRANSPORT = [
    (httpx.ReadTimeout("read timed out"), TimeoutError, builtins.TimeoutError),
    (httpx.ConnectTimeout("connect timed out"), TimeoutError, builtins.TimeoutError),
    (httpx.WriteTimeout("write timed out"), TimeoutError, builtins.TimeoutError),
    (httpx.PoolTimeout("pool timed out"), TimeoutError, builtins.TimeoutError),
    (httpx.ConnectError("Name or service not known"), ConnectionError, builtins.ConnectionError),
    (httpx.ReadError("connection reset"), ConnectionError, builtins.ConnectionError),
    (httpx.RemoteProtocolError("peer closed"), ConnectionError, builtins.ConnectionError),
]


@pytest.mark.parametrize(
    ("error", "expected", "builtin"), TRANSPORT, ids=[type(t[0]).__name__ for t in TRANSPORT]
)
@pytest.mark.parametrize("op", ["get_user", "add_message", "get_context_stream"])
def test_transport_errors(
    error: Exception,
    expected: type[Exception],
    builtin: type[Exception],
    op: str,
    call: Any,
) -> None:
    raised_error = call(op, expected, exception=error)
    assert isinstance(raised_error, NetworkError)
    assert isinstance(raised_error, builtin)
    assert raised_error.http_status is None
    assert raised_error.__cause__ is error
    if expected is ConnectionError:
        assert str(error) in str(raised_error)


def _broken_stream() -> Any:
    yield b'data: {"is_final": false, "status_update_message": "Searching"}\n\n'
    raise httpx.ReadTimeout("stalled")


def test_transport_error_in_the_middle_of_a_stream(call: Any) -> None:
    call(
        "get_context_stream",
        TimeoutError,
        200,
        stream=IteratorStream(_broken_stream()),
        headers={"Content-Type": "text/event-stream"},
    )


# A closed client ---------------------------------------------------------------------------


def _closed_by_close(sdk: Any) -> Any:
    sdk.close(sdk.client)
    return sdk.client


def _closed_by_with(sdk: Any) -> Any:
    client = sdk.client
    if sdk.is_async:

        async def leave() -> None:
            async with client:
                pass

        sdk.run(leave())
    else:
        with client:
            pass
    return client


def _closed_by_async_close(sdk: Any) -> Any:
    client = sdk.client
    sdk.run(client.close())  # openai's spelling, on both flavours (sync: the plain close())
    return client


CLOSINGS = {"close": _closed_by_close, "with": _closed_by_with, "close()": _closed_by_async_close}


@pytest.mark.parametrize("closing", list(CLOSINGS))
@pytest.mark.parametrize(
    "use",
    [
        lambda sdk, c, u: c.get_user("u"),
        lambda sdk, c, u: c.list_users(),
        lambda sdk, c, u: c.with_options(max_retries=0).get_user("u"),
        lambda sdk, c, u: u.refresh(),
        lambda sdk, c, u: u.list_memories(),
        lambda sdk, c, u: sdk.run(u.get_session("s", validate=False)).get_context(),
    ],
    ids=["client", "page", "with_options", "user", "user-page", "session"],
)
def test_a_closed_client_says_so(
    closing: str, use: Callable[..., Any], sdk: Any, user: Any, httpx_mock: HTTPXMock
) -> None:
    client = CLOSINGS[closing](sdk)
    with pytest.raises(ClientClosedError) as info:
        sdk.run(use(sdk, client, user))
    assert "client was closed" in str(info.value)
    assert ("aclose()" in str(info.value)) is sdk.is_async
    assert httpx_mock.get_requests() == []
    assert not isinstance(info.value.__context__, RuntimeError)


def test_a_closed_client_stream_says_so(sdk: Any, session: Any, httpx_mock: HTTPXMock) -> None:
    sdk.close(sdk.client)
    with pytest.raises(ClientClosedError):
        sdk.collect(session.get_context_stream())
    assert httpx_mock.get_requests() == []


def test_a_page_of_a_closed_client_says_so(sdk: Any, httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(json={"users": [USER], "total": 2, "has_more": True})
    page = sdk.run(sdk.client.list_users(limit=1))
    sdk.close(sdk.client)
    with pytest.raises(ClientClosedError):
        sdk.run(page.next_page())
    assert len(httpx_mock.get_requests()) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_closed_http_client_of_your_own_says_so(mode: str, httpx_mock: HTTPXMock) -> None:
    flavour = Flavour(mode)
    http = httpx.AsyncClient() if flavour.is_async else httpx.Client()
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    client = cls(api_key=API_KEY, project_id="p", base_url=BASE_URL, http_client=http)
    flavour.close(http)
    try:
        with pytest.raises(ClientClosedError, match="http_client was closed"):
            flavour.run(client.get_user("u"))
    finally:
        flavour.close_loop()
    assert httpx_mock.get_requests() == []


def test_closing_a_derived_client_leaves_the_original_open(sdk: Any, httpx_mock: HTTPXMock) -> None:
    fast = sdk.client.with_options(max_retries=0)
    sdk.close(fast)
    httpx_mock.add_response(json=USER)
    assert sdk.run(sdk.client.get_user("u")).user_id == "u"
    with pytest.raises(ClientClosedError):
        sdk.run(fast.get_user("u"))


# Network errors say where they went, never how ------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens there now: connections are refused


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_refused_connection_names_method_and_url_without_query(mode: str) -> None:
    port = _closed_port()
    flavour = Flavour(mode)
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    client = cls(
        api_key="rai_n0t_in_messages",
        project_id="p",
        base_url=f"http://127.0.0.1:{port}",
        max_retries=0,
    )
    try:
        with pytest.raises(ConnectionError) as info:
            flavour.run(client.list_users(metadata_filter={"team": "secret-filter"}))
        with pytest.raises(ConnectionError) as by_id:
            flavour.run(client.get_user("u1"))
        flavour.close(client)
    finally:
        flavour.close_loop()
    message = str(info.value)
    assert message.startswith(
        f"Could not reach the RecallrAI API (GET http://127.0.0.1:{port}/api/v1/users): "
    ), message
    assert "secret-filter" not in message and "?" not in message
    shown = "".join(traceback.format_exception(info.value))
    assert "rai_n0t_in_messages" not in shown
    assert str(by_id.value).startswith(
        f"Could not reach the RecallrAI API (GET http://127.0.0.1:{port}/api/v1/users/u1): "
    )
    if not flavour.is_async:  # the stdlib's own words; anyio's differ
        assert str(by_id.value).endswith("[Errno 111] Connection refused"), str(by_id.value)


def test_a_timeout_names_method_and_url(call: Any) -> None:
    error = call("get_user", TimeoutError, exception=httpx.ReadTimeout("read timed out"))
    assert f"(GET {API}/users/u)" in str(error)


def test_credentials_in_a_url_are_not_shown(sdk: Any, httpx_mock: HTTPXMock) -> None:
    cls = AsyncRecallrAI if sdk.is_async else RecallrAI
    client = cls(api_key=API_KEY, project_id="p", base_url="https://me:pw@api.test", max_retries=0)
    httpx_mock.add_exception(httpx.ConnectError("refused"))
    try:
        with pytest.raises(ConnectionError) as info:
            sdk.run(client.get_user("u"))
    finally:
        sdk.close(client)
    assert "pw" not in str(info.value) and "(GET https://api.test/api/v1/users/u)" in str(
        info.value
    )


# What httpx raises that is not a network failure ------------------------------------------------


def test_httpx_refusing_a_request_is_not_retried_and_shows_no_key(
    sdk: Any, httpx_mock: HTTPXMock
) -> None:
    cls = AsyncRecallrAI if sdk.is_async else RecallrAI
    client = cls(api_key=API_KEY, project_id="p", base_url=BASE_URL, max_retries=3)
    # what h11 says about an illegal header value, with the value in it
    httpx_mock.add_exception(httpx.LocalProtocolError(f"Illegal header value b'{API_KEY}\\n'"))
    try:
        with pytest.raises(ValidationError) as info:
            sdk.run(client.get_user("u"))
    finally:
        sdk.close(client)
    assert len(httpx_mock.get_requests()) == 1  # not retried: it would fail the same way
    shown = "".join(traceback.format_exception(info.value)).split("The above exception")[-1]
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)
    assert "Illegal header value b'***'" in str(info.value)
    assert isinstance(info.value.__cause__, httpx.LocalProtocolError)
    assert "ValidationError" in shown


WRAPPED = [
    (httpx.DecodingError("Error -3 while decompressing data"), InternalServerError),
    (httpx.TooManyRedirects("Exceeded maximum allowed redirects"), RecallrAIError),
    (RuntimeError("a transport that broke"), RecallrAIError),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), RecallrAIError),
]


@pytest.mark.parametrize(
    ("raised", "expected"), WRAPPED, ids=[type(w[0]).__name__ for w in WRAPPED]
)
def test_other_httpx_errors_are_wrapped_with_the_cause_chained(
    raised: Exception, expected: type[Exception], call: Any
) -> None:
    error = call("get_user", expected, exception=raised)
    assert error.__cause__ is raised
    assert f"(GET {API}/users/u)" in str(error) and type(raised).__name__ in str(error)


def test_a_bug_in_the_sdk_is_not_disguised(
    sdk: Any, httpx_mock: HTTPXMock, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(status: int, content: bytes) -> Any:
        raise ZeroDivisionError("a bug in recallrai")

    monkeypatch.setattr(_core, "parse_body", broken)
    httpx_mock.add_response(json=USER)
    with pytest.raises(ZeroDivisionError, match="a bug in recallrai"):
        sdk.run(sdk.client.get_user("u"))


def test_closing_the_original_closes_its_derived_clients(sdk: Any, httpx_mock: HTTPXMock) -> None:
    fast = sdk.client.with_options(max_retries=0).with_options(timeout=5)
    sdk.close(sdk.client)
    with pytest.raises(ClientClosedError):
        sdk.run(fast.get_user("u"))
    assert httpx_mock.get_requests() == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_closing_the_original_closes_derived_clients_on_your_http_client(
    mode: str, httpx_mock: HTTPXMock
) -> None:
    flavour = Flavour(mode)
    http = httpx.AsyncClient() if flavour.is_async else httpx.Client()
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    client = cls(api_key=API_KEY, project_id="p", base_url=BASE_URL, http_client=http)
    fast = client.with_options(max_retries=0)
    try:
        flavour.close(client)
        assert not http.is_closed  # yours to close
        with pytest.raises(ClientClosedError, match="client was closed"):
            flavour.run(fast.get_user("u"))
        flavour.close(http)
    finally:
        flavour.close_loop()
    assert httpx_mock.get_requests() == []


# An answer of the wrong shape ------------------------------------------------------------------

MALFORMED = [
    ("get_user", {**USER, "created_at": "yesterday"}),
    ("get_session", {**SESSION, "status": 5}),
    ("get_merge_conflict", {**CONFLICT, "status": ["PENDING"]}),
    ("get_memory", {**MEMORY, "created_at": 12}),
    ("list_memories", {"items": [{**MEMORY, "previous_versions": [{"created_at": "x"}]}]}),
    ("get_context", {**CONTEXT, "metadata": {"memory_ids": 5, "recall_strategy_used": 1}}),
]


@pytest.mark.parametrize(("op", "answer"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_an_answer_the_sdk_cannot_read_is_a_server_error(op: str, answer: Any, call: Any) -> None:
    error = call(op, InternalServerError, json=answer)
    assert "could not be read" in str(error)
    assert isinstance(error.__cause__, ValueError | TypeError | KeyError | AttributeError)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_an_illegal_header_of_your_own_is_refused_once_over_a_real_socket(mode: str) -> None:
    flavour = Flavour(mode)
    headers = {"X-Proxy-Token": "t0ken-of-yours\n"}
    http = httpx.AsyncClient(headers=headers) if flavour.is_async else httpx.Client(headers=headers)
    cls = AsyncRecallrAI if flavour.is_async else RecallrAI
    with local_http_server() as server:
        client = cls(api_key=API_KEY, project_id="p", base_url=server.url, http_client=http)
        try:
            with pytest.raises(ValidationError, match="httpx refused to send") as info:
                flavour.run(client.get_user("u"))
            flavour.close(http)
        finally:
            flavour.close_loop()
        arrived = server.faults.count()
    assert isinstance(info.value.__cause__, httpx.LocalProtocolError)
    shown = "".join(traceback.format_exception(info.value)).split("The above exception")[-1]
    assert "t0ken-of-yours" not in shown and API_KEY not in shown
    assert arrived == 0  # refused before a byte of it was sent, and not retried
