"""What both clients share around a request: settings, the call, the retry policy, parsing.

Everything here is free of I/O; the sync and async request loops (``_async/_api.py``
and its derived twin) only send, sleep and wait.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Final

import httpx

from . import exceptions as exc
from ._errors import excerpt, retry_after_seconds
from ._validation import show
from ._version import __version__

DEFAULT_BASE_URL: Final = "https://api.recallrai.com"
DEFAULT_TIMEOUT: Final = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES: Final = 2
MAX_RETRIES: Final = 100
INITIAL_BACKOFF: Final = 0.5
MAX_BACKOFF: Final = 8.0
MAX_RETRY_AFTER: Final = 60.0
RETRYABLE_STATUSES: Final = frozenset({408, 429, 500, 502, 503, 504})
# A POST that got one of these was not acted on, so repeating it cannot duplicate it.
POST_SAFE_STATUSES: Final = frozenset({429, 503})
USER_AGENT: Final = f"recallrai-python/{__version__} httpx/{httpx.__version__}"

logger = logging.getLogger("recallrai")


def _configure_logging() -> None:
    """``RECALLRAI_LOG=debug`` (or ``info``) prints the SDK's log lines to stderr."""
    level = os.environ.get("RECALLRAI_LOG", "").upper()
    if level in ("DEBUG", "INFO") and not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s recallrai %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)


_configure_logging()

TimeoutTypes = float | int | httpx.Timeout | None


@dataclass(frozen=True, slots=True)
class Options:
    """A client's settings. ``api_key`` is kept out of ``repr``."""

    api_key: str = field(repr=False)
    project_id: str
    base_url: str
    timeout: httpx.Timeout
    max_retries: int
    headers: Mapping[str, str] = field(repr=False)

    def with_changes(
        self, *, timeout: TimeoutTypes | httpx.Timeout = None, max_retries: int | None = None
    ) -> Options:
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = _timeout(timeout)
        if max_retries is not None:
            changes["max_retries"] = _max_retries(max_retries)
        return replace(self, **changes)


def make_options(
    api_key: str | None,
    project_id: str | None,
    base_url: str | None,
    timeout: TimeoutTypes,
    max_retries: int,
) -> Options:
    """Check the client's arguments, falling back to ``RECALLRAI_*`` environment variables.

    Messages about the key or the project id describe the problem, never the value.
    """
    api_key = api_key if api_key is not None else os.environ.get("RECALLRAI_API_KEY")
    project_id = project_id if project_id is not None else os.environ.get("RECALLRAI_PROJECT_ID")
    if base_url is None:
        base_url = os.environ.get("RECALLRAI_BASE_URL") or DEFAULT_BASE_URL
    if not api_key:
        raise exc.ValidationError(
            "No API key: pass api_key=... or set the RECALLRAI_API_KEY environment variable"
        )
    _header_safe("The API key", api_key)
    if not api_key.startswith("rai_"):
        raise exc.ValidationError("The API key must start with 'rai_'")
    if not project_id:
        raise exc.ValidationError(
            "No project id: pass project_id=... "
            "or set the RECALLRAI_PROJECT_ID environment variable"
        )
    _header_safe("The project id", project_id)
    headers = {
        "X-Recallr-Api-Key": api_key,
        "X-Recallr-Project-Id": project_id,
        "User-Agent": USER_AGENT,
        "Accept": "application/json",
    }
    return Options(
        api_key=api_key,
        project_id=project_id,
        base_url=_base_url(base_url),
        timeout=DEFAULT_TIMEOUT if timeout is None else _timeout(timeout),
        max_retries=_max_retries(max_retries),
        headers=headers,
    )


_WHITESPACE_NAMES: Final = {"\n": "newline", "\r": "carriage return", "\t": "tab", " ": "space"}


def _header_safe(what: str, value: object) -> None:
    """A credential that can travel in an HTTP header as it is: visible ASCII only."""
    if not isinstance(value, str):
        raise exc.ValidationError(f"{what} must be a string, not {type(value).__name__}")
    trailing, leading = value[len(value.rstrip()) :], value[: len(value) - len(value.lstrip())]
    for side, edge in (("trailing", trailing[-1:]), ("leading", leading[:1])):
        if edge:
            noun = _WHITESPACE_NAMES.get(edge, "whitespace character")
            raise exc.ValidationError(f"{what} has a {side} {noun}; remove it (e.g. .strip())")
    for index, char in enumerate(value):
        if not "!" <= char <= "~":
            kind = "a non-ASCII character" if char > "~" else "a space or control character"
            raise exc.ValidationError(
                f"{what} contains {kind} at position {index}, which cannot be sent in an "
                "HTTP header; check that it was copied whole"
            )


def _base_url(value: object) -> str:
    """An http(s) URL without query or fragment; the API's paths are appended to it."""
    if not isinstance(value, str):
        raise exc.ValidationError(f"base_url must be a string, not {type(value).__name__}")
    # shown without its query, fragment or credentials: they may hold a secret
    shown = show(re.sub(r"//[^/?#@]*@", "//***@", re.split(r"[?#]", value, maxsplit=1)[0]))
    try:
        url = httpx.URL(value)
        host = url.host
    except (httpx.InvalidURL, UnicodeError, ValueError, TypeError) as error:
        raise exc.ValidationError(f"base_url is not a valid URL ({error}): {shown}") from None
    if url.scheme not in ("http", "https") or not host:
        raise exc.ValidationError(f"base_url must be an http(s) URL, not {shown}")
    if url.query or url.fragment or "?" in value or "#" in value:
        raise exc.ValidationError(f"base_url must not have a query or fragment: {shown}")
    if _control_or_space(value):
        raise exc.ValidationError(
            f"base_url must not contain spaces or control characters: {shown}"
        )
    return value.rstrip("/")


def _control_or_space(value: str) -> bool:
    return any(char <= " " or char == "\x7f" for char in value)


MAX_TIMEOUT: Final = 86_400.0 * 7


def _timeout(value: TimeoutTypes) -> httpx.Timeout:
    if isinstance(value, httpx.Timeout):
        for name, part in value.as_dict().items():
            if part is not None and not _seconds(part):
                raise exc.ValidationError(
                    f"timeout's {name} must be None or a positive number of seconds "
                    f"up to {MAX_TIMEOUT:,.0f}, not {show(part)}"
                )
        return value
    if not _seconds(value):
        raise exc.ValidationError(
            f"timeout must be a positive number of seconds up to {MAX_TIMEOUT:,.0f} "
            f"or an httpx.Timeout, not {show(value)}"
        )
    assert isinstance(value, int | float)
    return httpx.Timeout(float(value), connect=min(float(value), DEFAULT_TIMEOUT.connect or 5.0))


def _seconds(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return 0 < float(value) <= MAX_TIMEOUT
    except OverflowError:
        return False


def _max_retries(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RETRIES:
        raise exc.ValidationError(
            f"max_retries must be an integer from 0 to {MAX_RETRIES}, not {show(value)}"
        )
    return value


@dataclass(frozen=True, slots=True)
class Call:
    """One API operation, ready to send.

    ``op`` names the operation for the error table. ``idempotent`` calls are retried
    on any transient failure; other calls only when the server cannot have acted on
    them, unless ``repeat_statuses`` is set: then a repeat is allowed, and one of those
    statuses on a repeat after an attempt the server may have acted on means the first
    attempt had succeeded (``Reply.recovered``). ``repeat_errors`` narrows that: the
    repeat's answer must also map to one of these exceptions (a resolve's 400 is
    "already resolved" only when its detail says so; other 400s are real errors).
    """

    op: str
    method: str
    path: str
    params: Mapping[str, Any] | None = None
    json: Any = None
    idempotent: bool = False
    repeat_statuses: frozenset[int] = frozenset()
    repeat_errors: tuple[type[exc.RecallrAIError], ...] = ()
    stream: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """A successful answer: its status and parsed JSON body.

    ``recovered`` means an earlier attempt had gone through and the repeat found it
    done (e.g. 409 on a repeated create); ``data`` is then ``None``.
    """

    status: int
    data: Any
    recovered: bool = False


def failure_was_sent(error: httpx.TransportError) -> bool:
    """Whether the server may have received the request before this failure."""
    return not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def may_retry(call: Call, *, status: int | None = None, sent: bool = True) -> bool:
    """Whether a failed attempt of ``call`` may be repeated without risking a duplicate."""
    if status is not None and status not in RETRYABLE_STATUSES:
        return False
    if call.idempotent or call.repeat_statuses:
        return True
    if status is not None:
        return status in POST_SAFE_STATUSES
    return not sent


def is_recovery(call: Call, status: int, error: exc.RecallrAIError) -> bool:
    """Whether ``error``, answering a repeat of ``call``, shows that an earlier attempt won."""
    if status not in call.repeat_statuses:
        return False
    return not call.repeat_errors or isinstance(error, call.repeat_errors)


def backoff_delay(attempt: int, headers: Mapping[str, str] | None = None) -> float:
    """Wait before retry number ``attempt`` (1-based): the server's advice, else backoff."""
    if headers is not None:
        advised = retry_after_seconds(headers)
        if advised is not None:
            return advised
    base = min(INITIAL_BACKOFF * 2.0 ** min(attempt - 1, 16), MAX_BACKOFF)
    return base * (1 - 0.25 * random.random())


def where(request: httpx.Request | None, call: Call) -> str:
    """``METHOD url`` of a request, without its query, credentials or headers."""
    if request is None:
        return f"{call.method} {call.path}"
    url = request.url
    path = url.raw_path.split(b"?", 1)[0].decode("ascii", "replace")
    return f"{request.method} {url.scheme}://{url.netloc.decode('ascii', 'replace')}{path}"


def redact(text: str, options: Options) -> str:
    """``text`` with the API key masked, should a lower layer have echoed it."""
    return text.replace(options.api_key, "rai_***") if options.api_key in text else text


def network_error(
    error: httpx.TransportError, call: Call, options: Options, request: httpx.Request | None
) -> exc.NetworkError:
    """The public exception for a transport failure: what was tried, where, and why."""
    target = where(request, call)
    reason = redact(str(error) or type(error).__name__, options)
    if isinstance(error, httpx.TimeoutException):
        return exc.TimeoutError(
            f"The request timed out ({target}): {type(error).__name__}"
            + (f": {reason}" if reason != type(error).__name__ else "")
        )
    return exc.ConnectionError(f"Could not reach the RecallrAI API ({target}): {reason}")


def is_network_failure(error: Exception) -> bool:
    """Whether httpx's ``error`` is a failure of the network, worth retrying.

    A ``LocalProtocolError`` is httpx refusing to send what the SDK was given
    (an illegal header, say): the same request would fail the same way again.
    """
    return isinstance(error, httpx.TransportError) and not isinstance(
        error, httpx.LocalProtocolError | httpx.UnsupportedProtocol
    )


_QUOTED_BYTES: Final = re.compile(r"b'(?:[^'\\]|\\.)*'|b\"(?:[^\"\\]|\\.)*\"")


def unexpected_error(
    error: Exception, call: Call, options: Options, request: httpx.Request | None
) -> exc.RecallrAIError:
    """The public exception for anything else raised by httpx or below while sending.

    The caller chains ``error`` (``raise ... from error``), so its traceback stays visible.
    """
    target = where(request, call)
    reason = redact(f"{type(error).__name__}: {error}", options)
    if request is None:
        return exc.ValidationError(f"The request could not be built ({target}): {reason}")
    if isinstance(error, httpx.LocalProtocolError):
        # h11 quotes the offending header (b'...'): it may be a secret of the caller's own
        reason = _QUOTED_BYTES.sub("b'***'", reason)
        return exc.ValidationError(f"httpx refused to send the request ({target}): {reason}")
    if isinstance(error, httpx.DecodingError):
        return exc.InternalServerError(
            f"The server's answer could not be decoded ({target}): {reason}"
        )
    return exc.RecallrAIError(f"The request failed ({target}): {reason}")


@contextmanager
def reading(what: str) -> Iterator[None]:
    """Read a server's answer into public objects; a shape they cannot take is a typed error.

    A field of the wrong type or an unparseable time raises ``InternalServerError``
    with the parser's complaint chained, not a bare ``ValueError``.
    """
    try:
        yield
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        if isinstance(error, exc.RecallrAIError):
            raise
        raise exc.InternalServerError(
            f"The server's answer ({what}) could not be read: {type(error).__name__}: "
            f"{show(str(error))}"
        ) from error


def redact_error(error: exc.RecallrAIError, secret: str) -> exc.RecallrAIError:
    """``error`` with ``secret`` (the API key) masked wherever the server's text echoed it."""
    if not secret or secret not in repr((error.message, error.detail)):
        return error

    def mask(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace(secret, "rai_***")
        if isinstance(value, list):
            return [mask(v) for v in value]
        if isinstance(value, dict):
            return {mask(k): mask(v) for k, v in value.items()}
        return value

    error.message = mask(error.message)
    error.detail = mask(error.detail)
    error.args = tuple(mask(a) for a in error.args)
    return error


def public_url(url: str) -> str:
    """``url`` without credentials or query, as it may be shown (repr, errors, logs)."""
    try:
        parsed = httpx.URL(url)
        return str(parsed.copy_with(userinfo=b"", query=None, fragment=None))
    except (httpx.InvalidURL, TypeError, ValueError):
        return "<a URL that could not be parsed>"


def encode_json(value: Any) -> bytes:
    """A request body: compact UTF-8 JSON (``\\u`` escapes would triple non-ASCII text)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def parse_body(status: int, content: bytes) -> Any:
    """The JSON body of a successful answer; a body that is not JSON is a typed error."""
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than json can read
        raise exc.InternalServerError(
            f"The server's answer is not JSON: {excerpt(content)}", http_status=status
        ) from None


def unwrap(data: Any, key: str) -> Mapping[str, Any]:
    """An object from a body that is either the object or ``{key: object}``."""
    if isinstance(data, Mapping):
        inner = data.get(key)
        if isinstance(inner, Mapping):
            return inner
        return data
    raise exc.InternalServerError(
        f"Expected a JSON object in the answer, got {excerpt(str(data).encode())}"
    )


def page_fields(data: Any, key: str) -> tuple[list[Mapping[str, Any]], int, bool]:
    """The raw items, ``total`` and ``has_more`` of a list answer."""
    body = unwrap(data, key)
    raw = body.get(key)
    items = (
        # ``type(...) is dict`` first: JSON objects are dicts, and the ABC check is slower.
        [item for item in raw if type(item) is dict or isinstance(item, Mapping)]
        if isinstance(raw, list)
        else []
    )
    total = body.get("total")
    return items, total if isinstance(total, int) else len(items), bool(body.get("has_more", False))
