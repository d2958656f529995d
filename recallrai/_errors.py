"""The one table from (operation, HTTP status, detail) to the exception raised.

Both clients call ``error_from_response``; nothing else decides what an error means.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from time import time
from typing import Any

from . import exceptions as exc

_Factory = Callable[[str, int, Any, Mapping[str, Any]], exc.RecallrAIError]

# Operations whose 404 is about a nested resource, once the user is known to exist.
_NESTED_NOT_FOUND: dict[str, type[exc.RecallrAIError]] = {
    "get_session": exc.SessionNotFoundError,
    "update_session": exc.SessionNotFoundError,
    "delete_session": exc.SessionNotFoundError,
    "add_message": exc.SessionNotFoundError,
    "get_context": exc.SessionNotFoundError,
    "process_session": exc.SessionNotFoundError,
    "list_session_messages": exc.SessionNotFoundError,
    "get_memory": exc.MemoryNotFoundError,
    "delete_memory": exc.MemoryNotFoundError,
    "get_merge_conflict": exc.MergeConflictNotFoundError,
    "resolve_merge_conflict": exc.MergeConflictNotFoundError,
}

# "User {user_id} not found". "user" must stand as a word followed by a space, so that a
# nested resource whose id merely contains it ("Session user-42 not found") is not taken
# for a missing user; nor is "... not found for user u".
_USER_MISSING = re.compile(r"(?<![\w.-])user\s.*\bnot found\b", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")
# "Invalid answer 'A' for question 'Q'[. Valid options: [...]]"; Q may hold quotes itself.
_INVALID_ANSWER = re.compile(
    r"invalid answer\s+(?P<q1>['\"])(?P<answer>.*?)(?P=q1)\s+for question\s+"
    r"(?P<q2>['\"])(?P<question>.*?)(?P=q2)(?:\.?\s*valid options:\s*(?P<options>.*?))?\s*\.?\s*$",
    re.IGNORECASE | re.DOTALL,
)


# The resolve failures' structured ``error_code``s (see the spec's ResolveError).
_RESOLVE_CODES = frozenset(
    {"already_resolved", "invalid_questions", "missing_answers", "invalid_answer"}
)


def _quoted(text: str) -> list[str]:
    return [a or b for a, b in _QUOTED.findall(text)]


def _listed(text: str) -> list[str] | None:
    """The items after the colon of "...: ['A', 'B']" (or a bare "...: A"), if any."""
    _, colon, rest = text.partition(":")
    rest = rest.strip()
    if not colon or not rest:
        return None
    quoted = _quoted(rest)
    if quoted:
        return quoted
    rest = rest.strip("[]").strip()
    return [rest] if rest else None


def _not_found(op: str, status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    text = _detail_text(detail)
    nested = _NESTED_NOT_FOUND.get(op)
    if nested is None or _USER_MISSING.search(text):
        return exc.UserNotFoundError(text or "User not found", http_status=status, detail=detail)
    return nested(text or "Not found", http_status=status, detail=detail)


def _conflict(op: str, status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    text = _detail_text(detail)
    if op in ("create_user", "update_user"):
        return exc.UserAlreadyExistsError(text, http_status=status, detail=detail)
    return exc.RecallrAIError(text or "Conflict", http_status=status, detail=detail)


def _bad_request(op: str, status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    text = _detail_text(detail)
    if op in ("add_message", "process_session"):
        return exc.InvalidSessionStateError(text, http_status=status, detail=detail)
    if op == "list_memories" and isinstance(detail, Mapping) and "invalid_categories" in detail:
        return exc.InvalidCategoriesError(
            text,
            http_status=status,
            detail=detail,
            invalid_categories=[str(c) for c in detail.get("invalid_categories") or ()],
        )
    if op == "resolve_merge_conflict":
        return _resolve_error(status, detail, body)
    return exc.ValidationError(text or "Bad request", http_status=status, detail=detail)


def _resolve_error(status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    """Tell the four resolve failures apart: ``error_code`` first, then fields, then prose."""
    facts = {**body, **detail} if isinstance(detail, Mapping) else dict(body)
    text = _detail_text(detail)
    code = facts.get("error_code")
    if code not in _RESOLVE_CODES:
        code = _resolve_code_from_text(facts, text.lower())
    if code == "already_resolved":
        return exc.MergeConflictAlreadyResolvedError(text, http_status=status, detail=detail)
    if code == "invalid_questions":
        questions = facts.get("invalid_questions")
        return exc.MergeConflictInvalidQuestionsError(
            text,
            http_status=status,
            detail=detail,
            invalid_questions=questions if questions is not None else _listed(text),
        )
    if code == "missing_answers":
        questions = facts.get("missing_questions")
        return exc.MergeConflictMissingAnswersError(
            text,
            http_status=status,
            detail=detail,
            missing_questions=questions if questions is not None else _listed(text),
        )
    if code == "invalid_answer":
        prose = _INVALID_ANSWER.search(text)
        question = facts.get("question")
        if question is None and prose:
            question = prose["question"]
        options = facts.get("valid_options")
        if options is None and prose and prose["options"]:
            options = _quoted(prose["options"]) or None
        return exc.MergeConflictInvalidAnswerError(
            text, http_status=status, detail=detail, question=question, valid_options=options
        )
    return exc.ValidationError(text or "Bad request", http_status=status, detail=detail)


def _resolve_code_from_text(facts: Mapping[str, Any], lowered: str) -> str | None:
    """The ``error_code`` of a server that sends none: from its fields or its prose."""
    if "already resolved" in lowered:
        return "already_resolved"
    if "invalid_questions" in facts or "invalid questions" in lowered:
        return "invalid_questions"
    if "missing_questions" in facts or "missing answers" in lowered:
        return "missing_answers"
    if "valid_options" in facts or ("invalid answer" in lowered and "for question" in lowered):
        return "invalid_answer"
    return None


def _unprocessable(
    op: str, status: int, detail: Any, body: Mapping[str, Any]
) -> exc.RecallrAIError:
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping):
                where = ".".join(str(p) for p in item.get("loc") or ())
                parts.append(
                    f"{where}: {item.get('msg', '')}" if where else str(item.get("msg", ""))
                )
        text = "Invalid request: " + "; ".join(parts) if parts else "Invalid request"
    else:
        text = _detail_text(detail) or "Invalid request"
    return exc.ValidationError(text, http_status=status, detail=detail)


def _auth(op: str, status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    text = _detail_text(detail) or "Invalid API key or project ID"
    return exc.AuthenticationError(text, http_status=status, detail=detail)


def _request_timeout(
    op: str, status: int, detail: Any, body: Mapping[str, Any]
) -> exc.RecallrAIError:
    text = _detail_text(detail) or "The server timed out waiting for the request"
    return exc.TimeoutError(text, http_status=status, detail=detail)


def _too_large(op: str, status: int, detail: Any, body: Mapping[str, Any]) -> exc.RecallrAIError:
    return exc.ValidationError(_detail_text(detail) or "Request too large", http_status=status)


# status → factory; operation-specific choices live inside the factories above.
ERROR_TABLE: dict[int, _Factory] = {
    400: _bad_request,
    401: _auth,
    403: _auth,
    404: _not_found,
    408: _request_timeout,
    409: _conflict,
    413: _too_large,
    422: _unprocessable,
}


def _detail_text(detail: Any) -> str:
    if detail is None:
        return ""
    if isinstance(detail, str):
        return detail
    if isinstance(detail, Mapping):
        return str(detail.get("message") or json.dumps(detail))
    return json.dumps(detail)


def retry_after_seconds(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds the server asks to wait: ``retry-after-ms``, or ``Retry-After`` (seconds or date)."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time() if now is None else now), 0.0)


def excerpt(content: bytes, limit: int = 200) -> str:
    """A short, printable start of a response body."""
    text = content[:limit].decode("utf-8", "replace").strip()
    text = " ".join(text.split())
    return text + ("…" if len(content) > limit else "")


def error_from_response(
    op: str, status: int, headers: Mapping[str, str], content: bytes
) -> exc.RecallrAIError:
    """The exception for an unsuccessful answer to operation ``op``."""
    body: Any
    try:
        body = json.loads(content) if content else None
    except (ValueError, RecursionError):  # not JSON, or nested deeper than json can read
        body = None
    if not isinstance(body, Mapping) or "detail" not in body or 300 <= status < 400:
        return _not_api_answer(op, status, headers, content)
    detail = body["detail"]
    if status == 429:
        return exc.RateLimitError(
            _detail_text(detail) or "Rate limit exceeded",
            http_status=status,
            detail=detail,
            retry_after=retry_after_seconds(headers),
        )
    if status >= 500:
        return exc.InternalServerError(
            _detail_text(detail) or "Server error", http_status=status, detail=detail
        )
    factory = ERROR_TABLE.get(status)
    if factory is None:
        return exc.RecallrAIError(
            f"Unexpected answer: {excerpt(content)}", http_status=status, detail=detail
        )
    return factory(op, status, detail, body)


def _not_api_answer(
    op: str, status: int, headers: Mapping[str, str], content: bytes
) -> exc.RecallrAIError:
    """An answer without the API's JSON error body: a gateway, proxy or load balancer spoke."""
    snippet = excerpt(content) or "<empty body>"
    if 300 <= status < 400:
        location = headers.get("location")
        where = f" to {location}" if location else ""
        return exc.RecallrAIError(
            f"The API answered with a redirect{where} ({snippet}); check base_url",
            http_status=status,
        )
    if status == 429:
        return exc.RateLimitError(
            f"Rate limit exceeded: {snippet}",
            http_status=status,
            retry_after=retry_after_seconds(headers),
        )
    if status >= 500:
        return exc.InternalServerError(f"Server error: {snippet}", http_status=status)
    if status in (401, 403):
        return exc.AuthenticationError(f"Authentication failed: {snippet}", http_status=status)
    if status == 408:
        return exc.TimeoutError(
            f"The server timed out waiting for the request: {snippet}", http_status=status
        )
    if status == 404:
        return exc.RecallrAIError(
            f"The API route was not found ({snippet}); check base_url", http_status=status
        )
    return exc.RecallrAIError(f"Unexpected answer: {snippet}", http_status=status)
