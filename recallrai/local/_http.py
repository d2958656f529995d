"""A strict HTTP/1.1 server on loopback in front of a local app (h11, keep-alive, SSE, faults).

Requests are parsed by h11, not by hand. Every protocol error is answered with JSON
`{"detail": ...}` and the right status (400 malformed, 413 body too large whatever the
framing, 431 head too large, 505 wrong version, 408 request too slow), then the
connection closes. Bounded everywhere: at most `max_connections` connections (each
served by its own daemon thread; when all are taken the oldest idle keep-alive
connection is closed to make room, and a request that still finds none waiting
`BUSY_WAIT` seconds gets 503), `idle_timeout` seconds idle or to send one request, and
`stop()` returns within about a second whatever is open.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import selectors
import socket
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from types import TracebackType
from typing import NoReturn
from urllib.parse import parse_qsl, urlsplit

import h11

from .._version import __version__
from ._admission import Drop, Gate, close_stream, run
from ._faults import AppLike, FaultPlan
from ._wire import LocalRequest, LocalResponse, log_failure

__all__ = ["MAX_BODY_BYTES", "MAX_HEAD_BYTES", "LocalServer"]

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Request bodies larger than this are refused with 413, however they are framed."""
MAX_HEAD_BYTES = 256 * 1024
"""A request line and headers larger than this are refused with 431."""
DEFAULT_IDLE_TIMEOUT = 30.0
DEFAULT_MAX_CONNECTIONS = 64
BUSY_WAIT = 5.0
"""How long new connections wait for a free slot before they are answered 503."""
SLOW_REQUEST = 1.0
"""A connection that has been sending one request this long may be closed to make room."""

_SERVER = f"recallrai-local/{__version__}"
_RECV = 65536
_DRAIN_BYTES = 16 * MAX_BODY_BYTES
_DRAIN_SECONDS = 2.0
_log = logging.getLogger("recallrai.local")


class _Closed(Exception):
    """The connection is finished: the client left, timed out, or was answered an error."""


class LocalServer:
    """A loopback HTTP/1.1 server for a local app: `start()`, `url`, `stop()`.

    Use as a context manager to start and stop it. `port=0` picks a free port. The
    `/_local/*` test controls are served only with `test_controls=True`. Binding
    happens here, so a port in use raises `OSError` at once.
    """

    def __init__(
        self,
        app: AppLike,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        *,
        verbose: bool = False,
        test_controls: bool = False,
        idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
    ) -> None:
        if not (isinstance(idle_timeout, int | float) and math.isfinite(idle_timeout)):
            raise ValueError("idle_timeout must be a finite number of seconds")
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be > 0")
        if isinstance(max_connections, bool) or not isinstance(max_connections, int):
            raise ValueError("max_connections must be an integer")
        if max_connections < 1:
            raise ValueError("max_connections must be >= 1")
        self.app = app
        self.faults = faults if faults is not None else FaultPlan()
        self.verbose = verbose
        self.idle_timeout = float(idle_timeout)
        self.max_connections = max_connections
        self._gate = Gate(app, self.faults, test_controls=test_controls)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._listener = socket.create_server((host, port), family=family, backlog=1024)
        self._listener.setblocking(False)
        self._address: tuple[str, int] = self._listener.getsockname()[:2]
        self._stopping = threading.Event()
        self._slots = threading.Semaphore(max_connections)
        self._live: dict[socket.socket, _Connection] = {}
        self._live_lock = threading.Lock()
        self._accepted = 0
        self._full_since: float | None = None
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._address[0])

    @property
    def port(self) -> int:
        """The port the server listens on (the real one when 0 was asked for)."""
        return int(self._address[1])

    @property
    def url(self) -> str:
        """The base URL, e.g. `http://127.0.0.1:8000` (loopback when bound to all interfaces)."""
        host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the server has accepted so far."""
        return self._accepted

    def start(self) -> LocalServer:
        """Serve in a background daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._accept_loop, name=f"recallrai-local-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close every open connection and release the port (within ~0.6 s)."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
            self._thread = None
        with contextlib.suppress(OSError):
            self._listener.close()
        for connection in self._connections():
            connection.abort()
        deadline = time.monotonic() + 0.5
        for connection in self._connections():  # let them finish; a stuck app call is left
            connection.thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- accepting -----------------------------------------------------------------------

    def _connections(self) -> list[_Connection]:
        with self._live_lock:
            return list(self._live.values())

    def _live_sockets(self) -> list[socket.socket]:
        """The accepted connections that are still open."""
        with self._live_lock:
            return list(self._live)

    def _accept_loop(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._listener, selectors.EVENT_READ)
            while not self._stopping.is_set():
                if not selector.select(timeout=0.05):
                    continue
                slot = self._wait_for_slot()
                if self._stopping.is_set():
                    break
                try:
                    sock, address = self._listener.accept()
                except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                    if slot:  # the client gave up before we accepted it
                        self._slots.release()
                    continue
                except OSError:  # e.g. out of file descriptors: back off a little
                    if slot:
                        self._slots.release()
                    _log.warning("accepting a connection failed", exc_info=True)
                    self._stopping.wait(0.05)
                    continue
                self._accepted += 1
                if slot:
                    self._serve(sock, address)
                else:
                    _refuse_busy(sock)

    def _wait_for_slot(self) -> bool:
        """Take a connection slot, making room if it can; False when none came in time.

        Once the server has been full for BUSY_WAIT seconds, new connections are
        refused at once (503) until a slot frees up, so a queue cannot build up.
        """
        if self._slots.acquire(blocking=False):
            self._full_since = None
            return True
        if self._full_since is None:
            self._full_since = time.monotonic()
        while not self._stopping.is_set():
            self._make_room()
            waiting = time.monotonic() < self._full_since + BUSY_WAIT
            if self._slots.acquire(timeout=0.05) if waiting else self._slots.acquire(False):
                self._full_since = None
                return True
            if not waiting:
                return False
        return False

    def _make_room(self) -> None:
        """Close the connection idle longest, else the one stuck longest sending a request."""
        connections = self._connections()
        idle = [c for c in connections if c.idle_since is not None]
        if idle:
            min(idle, key=lambda c: c.idle_since or 0.0).abort()
            return
        cutoff = time.monotonic() - SLOW_REQUEST
        slow = [c for c in connections if (c.receiving_since or cutoff + 1) <= cutoff]
        if slow:
            min(slow, key=lambda c: c.receiving_since or 0.0).abort()

    def _serve(self, sock: socket.socket, address: object) -> None:
        connection = _Connection(self, sock, address)
        with self._live_lock:
            self._live[sock] = connection
        try:
            connection.thread.start()
        except RuntimeError:  # cannot start a thread: refuse rather than hang
            _refuse_busy(sock)
            self._forget(sock)

    def _forget(self, sock: socket.socket) -> None:
        with self._live_lock:
            self._live.pop(sock, None)
        with contextlib.suppress(OSError):
            sock.close()
        self._slots.release()


class _Connection:
    """One accepted connection, served by its own thread until it closes."""

    def __init__(self, server: LocalServer, sock: socket.socket, address: object) -> None:
        self.server = server
        self.sock = sock
        self.address = address
        self.idle_since: float | None = None  # waiting for the next request since
        self.receiving_since: float | None = None  # receiving a request since
        self.thread = threading.Thread(target=self._run, name="recallrai-local-conn", daemon=True)
        self._h11 = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_HEAD_BYTES)
        self._closing = False

    def abort(self) -> None:
        """Close from another thread: the serving thread wakes up and exits."""
        self._closing = True
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)

    # -- the request loop ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            while not self._closing:
                request = self._read_request()
                try:
                    outcome = run(self.server._gate.steps(request), self.server._stopping.wait)
                except Exception as exc:  # a test control failed (the app's own errors are 500s)
                    where = f"the local server failed on {request.method} {request.path}"
                    log_failure(_log, where, exc)
                    self._fail(500, "Internal Server Error")
                if isinstance(outcome, Drop) or self._closing:
                    return
                self._send(request, outcome.response)
                if self._h11.our_state is not h11.DONE or self._h11.their_state is not h11.DONE:
                    return
                self._h11.start_next_cycle()
        except _Closed:
            pass
        except OSError:  # the client reset the connection, or stop() shut it down
            pass
        except Exception as exc:
            log_failure(_log, f"the local server failed on a connection from {self.address}", exc)
        finally:
            self.server._forget(self.sock)

    def _read_request(self) -> LocalRequest:
        """Read one whole request; on anything else answer (if useful) and raise _Closed."""
        h = self._h11
        head: h11.Request | None = None
        chunks: list[bytes] = []
        size = 0
        deadline: float | None = None  # set by the first byte of the request
        while True:
            try:
                event = h.next_event()
            except h11.RemoteProtocolError as exc:
                self._fail(exc.error_status_hint, _describe(exc))
            if event is h11.NEED_DATA:
                if h.they_are_waiting_for_100_continue:
                    self.sock.sendall(
                        h.send(h11.InformationalResponse(status_code=100, headers=[]))
                    )
                if deadline is None and not h.trailing_data[0]:
                    self.idle_since = time.monotonic()
                data = self._recv(deadline)
                self.idle_since = None
                if deadline is None:
                    self.receiving_since = time.monotonic()
                    deadline = self.receiving_since + self.server.idle_timeout
                if not data:
                    raise _Closed  # the client left; nothing to answer
                h.receive_data(data)
            elif isinstance(event, h11.Request):
                head = event
                self._check_head(event)
            elif isinstance(event, h11.Data):
                size += len(event.data)
                if size > MAX_BODY_BYTES:
                    self._fail(413, f"Request body exceeds {MAX_BODY_BYTES} bytes")
                chunks.append(event.data)
            elif isinstance(event, h11.EndOfMessage):
                assert head is not None
                self.receiving_since = None
                return _local_request(head, b"".join(chunks))
            else:  # ConnectionClosed, PAUSED: nothing more to read
                raise _Closed

    def _recv(self, deadline: float | None) -> bytes:
        timeout = self.server.idle_timeout
        if deadline is not None:
            timeout = deadline - time.monotonic()
        try:
            if timeout <= 0:
                raise TimeoutError
            self.sock.settimeout(timeout)
            return self.sock.recv(_RECV)
        except TimeoutError:
            if deadline is None:  # idle between requests: close quietly
                raise _Closed from None
            self._fail(408, f"Request not received within {self.server.idle_timeout:g} s")

    def _check_head(self, request: h11.Request) -> None:
        major = request.http_version.split(b".", 1)[0]
        if major != b"1":
            self._fail(505, "HTTP Version Not Supported: this server speaks HTTP/1.1")
        head_size = len(request.target) + sum(len(n) + len(v) + 4 for n, v in request.headers)
        if head_size > MAX_HEAD_BYTES:
            self._fail(431, f"Request line and headers exceed {MAX_HEAD_BYTES} bytes")
        names = {name for name, _ in request.headers}
        if b"transfer-encoding" in names and b"content-length" in names:
            self._fail(400, "Content-Length and Transfer-Encoding must not both be sent")
        for name, value in request.headers:
            if name == b"content-length" and int(value.split(b",")[0]) > MAX_BODY_BYTES:
                self._fail(413, f"Request body exceeds {MAX_BODY_BYTES} bytes")

    # -- writing -------------------------------------------------------------------------

    def _send(self, request: LocalRequest, response: LocalResponse) -> None:
        h = self._h11
        headers = [
            (name, value)
            for name, value in response.headers
            if name.lower() not in ("content-length", "transfer-encoding")
        ]
        headers += [("server", _SERVER), ("date", _http_date())]
        stream = response.stream
        self.sock.settimeout(self.server.idle_timeout)
        try:
            if stream is not None and request.method != "HEAD":
                self.sock.sendall(
                    h.send(
                        h11.Response(
                            status_code=response.status,
                            headers=headers,
                            reason=_phrase(response.status),
                        )
                    )
                )
                for event in stream:
                    if event:
                        self.sock.sendall(h.send(h11.Data(data=event)))
                self.sock.sendall(h.send(h11.EndOfMessage()))
            else:
                bodiless = response.status in (204, 304)
                if not bodiless:
                    headers.append(("content-length", str(len(response.body))))
                out = h.send(
                    h11.Response(
                        status_code=response.status,
                        headers=headers,
                        reason=_phrase(response.status),
                    )
                )
                if response.body and not bodiless and request.method != "HEAD":
                    out += h.send(h11.Data(data=response.body))
                self.sock.sendall(out + h.send(h11.EndOfMessage()))
        except h11.LocalProtocolError as exc:
            log_failure(_log, f"the local app's response to {request.method} {request.path}", exc)
            raise _Closed from None
        finally:
            close_stream(stream)
        if self.server.verbose:
            _log.info('%s "%s %s" %s', self.address, request.method, request.path, response.status)

    def _fail(self, status: int, detail: str) -> NoReturn:
        """Answer a request that cannot be served, then close the connection."""
        waiting = self._h11.they_are_waiting_for_100_continue
        phrase = _phrase(status)
        body = json.dumps({"detail": detail}).encode()
        head = (
            f"HTTP/1.1 {status} {phrase}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n"
            f"server: {_SERVER}\r\ndate: {_http_date()}\r\n\r\n"
        )
        with contextlib.suppress(OSError):
            self.sock.settimeout(self.server.idle_timeout)
            self.sock.sendall(head.encode() + body)
            if not waiting:  # the client may still be sending: read it so it sees the answer
                self._drain()
        raise _Closed

    def _drain(self) -> None:
        """Discard what the client still sends (bounded) so closing does not reset the reply."""
        self.sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + _DRAIN_SECONDS
        left = _DRAIN_BYTES
        while left > 0 and not self._closing:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self.sock.settimeout(min(remaining, 0.25))
            try:
                data = self.sock.recv(_RECV)
            except TimeoutError:
                if self.server._stopping.is_set():
                    return
                continue
            if not data:
                return
            left -= len(data)


def _local_request(head: h11.Request, body: bytes) -> LocalRequest:
    target = head.target.decode("latin-1")
    if not target.startswith("/"):  # absolute-form: http://host/path?query
        parts = urlsplit(target)
        target = parts.path + ("?" + parts.query if parts.query else "")
    path, _, query = target.partition("?")
    headers: dict[str, str] = {}
    for raw_name, raw_value in head.headers:
        name, value = raw_name.decode("latin-1"), raw_value.decode("latin-1")
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return LocalRequest(
        method=head.method.decode("latin-1"),
        path=path or "/",
        query=parse_qsl(query, keep_blank_values=True),
        headers=headers,
        body=body,
    )


def _refuse_busy(sock: socket.socket) -> None:
    """Answer a connection there is no room for with 503, without reading it."""
    body = b'{"detail": "Server busy: too many open connections"}'
    head = (
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nretry-after: 1\r\nconnection: close\r\n\r\n"
    )
    with contextlib.suppress(OSError):
        sock.settimeout(0.5)
        sock.sendall(head.encode() + body)
        sock.shutdown(socket.SHUT_WR)
    with contextlib.suppress(OSError):
        sock.close()


def _describe(exc: h11.RemoteProtocolError) -> str:
    """h11's reason, without the raw bytes it quotes."""
    text = str(exc).split(": bytearray(", 1)[0]
    return f"Malformed request: {text}" if text else "Malformed request"


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


_date_cache: tuple[int, str] = (0, "")


def _http_date() -> str:
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True))
    return _date_cache[1]
