"""The request loop: send a ``Call``, retry what is safe to retry, map failures to exceptions.

This is the only place that talks to httpx. The sync twin in ``_sync/`` is derived
from this file by ``scripts/unasync``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from time import perf_counter
from typing import Any

import anyio
import httpx

from .. import _core, _operations
from .._core import Call, Options, Reply
from .._errors import error_from_response
from ..exceptions import ClientClosedError, RecallrAIError
from ..models import Context, RecallStrategy


class AsyncAPI:
    """Sends calls for one client: its settings, its connection pool, its prompt cache."""

    def __init__(
        self,
        options: Options,
        http_client: httpx.AsyncClient | None = None,
        *,
        prompt_cache: dict[RecallStrategy, str] | None = None,
    ) -> None:
        self.options = options
        self._owns_http = http_client is None
        self.http = (
            http_client
            if http_client is not None
            else httpx.AsyncClient(
                timeout=options.timeout,
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
            )
        )
        self.prompt_cache: dict[RecallStrategy, str] = {} if prompt_cache is None else prompt_cache
        self.sleep = anyio.sleep
        self.closed = False
        self._parent: AsyncAPI | None = None  # the client this one was derived from
        self._direct = _DirectRequests(self.http, options) if self._owns_http else None

    def derive(self, options: Options) -> AsyncAPI:
        """The same pool and caches with other settings (for ``with_options``)."""
        twin = AsyncAPI(options, self.http, prompt_cache=self.prompt_cache)
        twin.sleep = self.sleep
        twin._parent = self
        if self._direct is not None:
            twin._direct = _DirectRequests(self.http, options)
        return twin

    async def aclose(self) -> None:
        self.closed = True
        if self._owns_http:
            await self.http.aclose()

    def _was_closed(self) -> bool:
        """Whether this client, or one it was derived from, was closed."""
        api: AsyncAPI | None = self
        while api is not None:
            if api.closed:
                return True
            api = api._parent
        return False

    def _check_open(self) -> None:
        if self._was_closed():
            raise ClientClosedError(
                "The RecallrAI client was closed (by aclose() or at the end of "
                "`async with client:`); create a new client to send more requests"
            )
        if self.http.is_closed:
            raise ClientClosedError(
                "The httpx client given as http_client was closed; "
                "create a new RecallrAI client to send more requests"
                if not self._owns_http
                else "The RecallrAI client's connection pool was closed; create a new client"
            )

    def _request(self, call: Call) -> httpx.Request:
        options = self.options
        content = None if call.json is None else _core.encode_json(call.json)
        direct = self._direct
        if direct is not None and not self.http.cookies:
            return httpx.Request(
                call.method,
                options.base_url + call.path,
                params=call.params,
                content=content,
                headers=direct.headers if content is None else direct.json_headers,
                extensions={"timeout": direct.timeout},
            )
        return self.http.build_request(
            call.method,
            options.base_url + call.path,
            params=call.params,
            content=content,
            headers={**options.headers, "Content-Type": "application/json"}
            if call.json is not None
            else options.headers,
            timeout=options.timeout,
        )

    async def send(self, call: Call) -> Reply:
        """Send ``call`` and return its parsed answer, or raise the mapped exception."""
        response, recovered = await self._send(call)
        if recovered:  # the body is the repeat's error answer, not the resource
            return Reply(response.status_code, None, recovered=True)
        return Reply(response.status_code, _core.parse_body(response.status_code, response.content))

    async def system_prompt(self, strategy: RecallStrategy) -> str:
        """The default system prompt of ``strategy``, fetched once per client and cached."""
        prompt = self.prompt_cache.get(strategy)
        if prompt is None:
            reply = await self.send(_operations.get_system_prompt(strategy))
            prompt = str(_core.unwrap(reply.data, "system_prompt").get("system_prompt") or "")
            self.prompt_cache[strategy] = prompt
        return prompt

    @asynccontextmanager
    async def stream(self, call: Call) -> AsyncIterator[AsyncIterator[Context]]:
        """Send ``call`` and yield the Server-Sent Events of its answer as contexts."""
        response, _ = await self._send(call)
        try:
            yield _events(response, call, self.options)
        finally:
            await response.aclose()

    async def _send(self, call: Call) -> tuple[httpx.Response, bool]:
        """The retry loop. Returns the response and whether it is a recovered repeat."""
        self._check_open()
        max_retries = self.options.max_retries
        attempt = 0
        maybe_done = False  # an earlier attempt may have been acted on by the server
        while True:
            attempt += 1
            started = perf_counter()
            request = self._build(call)
            try:
                response = await self.http.send(request, stream=call.stream)
                status = response.status_code
                if status >= 300:
                    await response.aread()
                    await response.aclose()
            except Exception as error:  # everything below this line is httpx and the network
                _log(call, attempt, started, type(error).__name__)
                if not _core.is_network_failure(error):
                    raise self._failure(error, call, request) from error
                assert isinstance(error, httpx.TransportError)
                sent = _core.failure_was_sent(error)
                if attempt > max_retries or not _core.may_retry(call, sent=sent):
                    raise _core.network_error(error, call, self.options, request) from error
                maybe_done = maybe_done or sent
                await self._wait(call, _core.backoff_delay(attempt))
                continue
            _log(call, attempt, started, str(status))
            if status < 300:  # a redirect is not followed: it means a wrong base_url
                return response, False
            error_ = _core.redact_error(
                error_from_response(call.op, status, response.headers, response.content),
                self.options.api_key,
            )
            if maybe_done and _core.is_recovery(call, status, error_):
                return response, True
            if attempt > max_retries or not _core.may_retry(call, status=status):
                raise error_
            delay = _core.backoff_delay(attempt, response.headers)
            if delay > _core.MAX_RETRY_AFTER:  # too long to wait here: the caller decides
                raise error_
            maybe_done = maybe_done or status not in _core.POST_SAFE_STATUSES
            await self._wait(call, delay)

    def _build(self, call: Call) -> httpx.Request:
        """The request for ``call``; what httpx refuses to build is a ``ValidationError``."""
        try:
            return self._request(call)
        except (httpx.InvalidURL, httpx.CookieConflict, UnicodeError, ValueError) as error:
            raise _core.unexpected_error(error, call, self.options, None) from error

    def _failure(self, error: Exception, call: Call, request: httpx.Request) -> RecallrAIError:
        """The public exception for an error httpx raised that is not a network failure."""
        if isinstance(error, RecallrAIError):  # from a transport that speaks our language
            return error
        if isinstance(error, RuntimeError) and self.http.is_closed:
            try:
                self._check_open()
            except ClientClosedError as closed:
                return closed
        return _core.unexpected_error(error, call, self.options, request)

    async def _wait(self, call: Call, delay: float) -> None:
        if _core.logger.isEnabledFor(logging.DEBUG):
            _core.logger.debug("%s %s: retrying in %.2f s", call.method, call.path, delay)
        await self.sleep(delay)


class _DirectRequests:
    """What ``build_request`` would merge into every request of a client the SDK made.

    That client has no base URL, params, auth or cookies of its own (cookies a server
    sets send the requests back through ``build_request``), so its requests can be built
    straight from these, computed once: the per-request merging was a measurable part
    of a call's cost on a fast connection.
    """

    __slots__ = ("headers", "json_headers", "timeout")

    def __init__(self, http: httpx.AsyncClient, options: Options) -> None:
        headers = httpx.Headers(http.headers)
        headers.update(options.headers)
        self.headers = headers
        self.json_headers = httpx.Headers(headers)
        self.json_headers["Content-Type"] = "application/json"
        self.timeout = options.timeout.as_dict()


async def _events(response: httpx.Response, call: Call, options: Options) -> AsyncIterator[Context]:
    """Parse ``data:`` lines of an event stream; events may span several data lines."""
    data: list[str] = []
    lines = response.aiter_lines()
    while True:
        try:
            line = await lines.__anext__()
        except StopAsyncIteration:
            break
        except httpx.TransportError as error:  # the connection broke mid-stream
            if not _core.is_network_failure(error):
                raise _core.unexpected_error(error, call, options, response.request) from error
            raise _core.network_error(error, call, options, response.request) from error
        except httpx.HTTPError as error:  # e.g. a body that does not decode
            raise _core.unexpected_error(error, call, options, response.request) from error
        if line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
        elif not line and data:
            yield _event(data)
            data = []
    if data:
        yield _event(data)


def _event(data: list[str]) -> Context:
    payload: Any = _core.parse_body(200, "\n".join(data).encode())
    with _core.reading("context event"):
        return Context.from_wire(_core.unwrap(payload, "context"))


def _log(call: Call, attempt: int, started: float, outcome: str) -> None:
    if _core.logger.isEnabledFor(logging.DEBUG):
        elapsed = (perf_counter() - started) * 1000
        _core.logger.debug(
            "%s %s -> %s (attempt %d, %.1f ms)", call.method, call.path, outcome, attempt, elapsed
        )
