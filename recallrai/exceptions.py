"""The public exception hierarchy.

    RecallrAIError
    ├── AuthenticationError
    ├── NetworkError ── TimeoutError, ConnectionError
    ├── ServerError ── InternalServerError, RateLimitError
    ├── UserError ── UserNotFoundError, UserAlreadyExistsError
    ├── SessionError ── InvalidSessionStateError, SessionNotFoundError
    ├── MergeConflictError ── MergeConflictNotFoundError, MergeConflictAlreadyResolvedError,
    │                         MergeConflictInvalidQuestionsError, MergeConflictMissingAnswersError,
    │                         MergeConflictInvalidAnswerError
    ├── MemoryNotFoundError
    ├── ValidationError
    └── ClientClosedError

``TimeoutError`` and ``ConnectionError`` also derive from the built-ins of the same
name, and ``ValidationError`` from ``ValueError``, so generic handlers catch them too.
Which server answer raises which class is decided in one table: ``recallrai._errors``.
"""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from typing import Any

__all__ = [
    "AuthenticationError",
    "ClientClosedError",
    "ConnectionError",
    "InternalServerError",
    "InvalidCategoriesError",
    "InvalidSessionStateError",
    "MemoryNotFoundError",
    "MergeConflictAlreadyResolvedError",
    "MergeConflictError",
    "MergeConflictInvalidAnswerError",
    "MergeConflictInvalidQuestionsError",
    "MergeConflictMissingAnswersError",
    "MergeConflictNotFoundError",
    "NetworkError",
    "RateLimitError",
    "RecallrAIError",
    "ServerError",
    "SessionError",
    "SessionNotFoundError",
    "TimeoutError",
    "UserAlreadyExistsError",
    "UserError",
    "UserNotFoundError",
    "ValidationError",
]


MAX_MESSAGE = 2_000
"""Characters of a message kept in the exception's text; ``detail`` keeps the whole answer."""


class RecallrAIError(Exception):
    """Base of every error the SDK raises.

    ``message`` says what happened, ``http_status`` is the status of the answer that
    caused it (``None`` when no answer came), ``detail`` the server's ``detail`` field.
    """

    def __init__(self, message: str, *, http_status: int | None = None, detail: Any = None) -> None:
        if len(message) > MAX_MESSAGE:  # a server may send megabytes of detail
            message = f"{message[:MAX_MESSAGE]}… ({len(message) - MAX_MESSAGE:,} more characters)"
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.detail = detail

    def __str__(self) -> str:
        if self.http_status is None:
            return self.message
        return f"{self.message} (HTTP {self.http_status})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, http_status={self.http_status!r})"


class AuthenticationError(RecallrAIError):
    """The API key or project id was rejected (HTTP 401/403)."""


class ValidationError(RecallrAIError, ValueError):
    """The input is invalid: rejected by the SDK before sending, or by the server (400/422)."""


class ClientClosedError(RecallrAIError):
    """The client was closed (``close()``, ``aclose()``, or leaving ``with client:``).

    Objects it made (users, sessions, conflicts, pages) cannot send requests either;
    create a new client.
    """


class NetworkError(RecallrAIError):
    """No usable answer came back from the server."""


class TimeoutError(NetworkError, builtins.TimeoutError):
    """The request took longer than its timeout."""


class ConnectionError(NetworkError, builtins.ConnectionError):
    """The connection to the API failed or broke."""


class ServerError(RecallrAIError):
    """The server failed or refused to serve the request now."""


class InternalServerError(ServerError):
    """The API answered with a 5xx status, or with a body that is not the API's."""


class RateLimitError(ServerError):
    """Too many requests (HTTP 429); ``retry_after`` is the advised wait in seconds."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = 429,
        detail: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, detail=detail)
        self.retry_after = retry_after


class UserError(RecallrAIError):
    """A problem with a user."""


class UserNotFoundError(UserError):
    """No user has this id."""


class UserAlreadyExistsError(UserError):
    """A user with this id exists already."""


class InvalidCategoriesError(UserError):
    """A memory category filter names categories the project does not have."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = 400,
        detail: Any = None,
        invalid_categories: Sequence[str] = (),
    ) -> None:
        super().__init__(message, http_status=http_status, detail=detail)
        self.invalid_categories = list(invalid_categories)


class MemoryNotFoundError(RecallrAIError):
    """No memory of this user has this id."""


class SessionError(RecallrAIError):
    """A problem with a session."""


class SessionNotFoundError(SessionError):
    """The user has no session with this id."""


class InvalidSessionStateError(SessionError):
    """The session's state does not allow this operation (e.g. it is already processed)."""


class MergeConflictError(RecallrAIError):
    """A problem with a merge conflict."""


class MergeConflictNotFoundError(MergeConflictError):
    """The user has no merge conflict with this id."""


class MergeConflictAlreadyResolvedError(MergeConflictError):
    """The merge conflict was resolved already."""


class MergeConflictInvalidQuestionsError(MergeConflictError):
    """Answers were given to questions that are not the conflict's own."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = 400,
        detail: Any = None,
        invalid_questions: Sequence[str] | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, detail=detail)
        self.invalid_questions = None if invalid_questions is None else list(invalid_questions)


class MergeConflictMissingAnswersError(MergeConflictError):
    """Some clarifying questions were left unanswered."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = 400,
        detail: Any = None,
        missing_questions: Sequence[str] | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, detail=detail)
        self.missing_questions = None if missing_questions is None else list(missing_questions)


class MergeConflictInvalidAnswerError(MergeConflictError):
    """An answer is not one of its question's options."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = 400,
        detail: Any = None,
        question: str | None = None,
        valid_options: Sequence[str] | None = None,
    ) -> None:
        super().__init__(message, http_status=http_status, detail=detail)
        self.question = question
        self.valid_options = None if valid_options is None else list(valid_options)
