"""A real HTTP/1.1 server on loopback in front of a local app (keep-alive, SSE, faults)."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .._version import __version__
from ._faults import AppLike, FaultPlan, control_response, is_control
from ._wire import LocalRequest, LocalResponse

MAX_BODY_BYTES = 1024 * 1024
"""Request bodies larger than this are refused with 413."""

_log = logging.getLogger("recallrai.local")


class _Server(ThreadingHTTPServer):
    """The socket server: daemon threads, a deep backlog, and a registry of live sockets."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: AppLike, faults: FaultPlan, verbose: bool
    ) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.app = app
        self.faults = faults
        self.verbose = verbose
        self.connections_accepted = 0
        self._live: set[socket.socket] = set()
        self._live_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._live_lock:
            self.connections_accepted += 1
            self._live.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._live_lock:
            self._live.discard(request)
        super().shutdown_request(request)

    def live_sockets(self) -> list[socket.socket]:
        """The accepted connections that are still open."""
        with self._live_lock:
            return list(self._live)

    def close_live(self) -> None:
        """Shut down every open connection so idle keep-alive threads exit."""
        for sock in self.live_sockets():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("connection from %s failed", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    """Turns each HTTP request into a `LocalRequest` and writes the `LocalResponse` back."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = f"recallrai-local/{__version__}"
    sys_version = ""
    server: _Server

    def do_GET(self) -> None:
        self._serve()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        # Other methods (TRACE, QUERY, ...) go to the app too, which answers 405 with `Allow`
        # on a known route; without a do_* handler http.server would send an HTML 501.
        if not hasattr(self, f"do_{self.command}"):
            setattr(self, f"do_{self.command}", self._serve)
        return True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    # -- one request ---------------------------------------------------------------------

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        request = self._local_request(body)
        if is_control(request):
            self._send(control_response(self.server.faults, self.server.app, request))
            return
        faults = self.server.faults
        admission = faults.admit(request)
        if admission.latency:
            time.sleep(admission.latency)
        if admission.drop == "before":
            self._drop()
            return
        if admission.response is not None:
            self._send(admission.response)
            return
        try:
            response = self.server.app.handle(request)
        except Exception:
            _log.exception("the local app failed on %s %s", request.method, request.path)
            response = _error(500, "Internal Server Error")
        faults.record_handled(request)
        if admission.drop == "after":
            _close(response.stream)
            self._drop()
            return
        self._send(response)

    def _local_request(self, body: bytes) -> LocalRequest:
        target = self.path
        if not target.startswith("/"):  # absolute-form: http://host/path?query
            parts = urlsplit(target)
            target = parts.path + ("?" + parts.query if parts.query else "")
        path, _, query = target.partition("?")
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return LocalRequest(
            method=self.command,
            path=path or "/",
            query=parse_qsl(query, keep_blank_values=True),
            headers=headers,
            body=body,
        )

    def _read_body(self) -> bytes | None:
        """The request body, or None when a reply (413, 400) has already been sent."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        raw = self.headers.get("Content-Length")
        if raw is None:
            return b""
        try:
            length = int(raw)
            if length < 0:
                raise ValueError(raw)
        except ValueError:
            self._refuse(400, "Invalid Content-Length")
            return None
        if length > MAX_BODY_BYTES:
            self._refuse(413, f"Request body exceeds {MAX_BODY_BYTES} bytes")
            return None
        body = self.rfile.read(length)
        if len(body) < length:  # the client went away mid-body
            self.close_connection = True
            return None
        return body

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                self._refuse(400, "Invalid chunked body")
                return None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(chunks)
            total += size
            if total > MAX_BODY_BYTES:
                self._refuse(413, f"Request body exceeds {MAX_BODY_BYTES} bytes")
                return None
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)  # the CRLF after each chunk

    # -- writing -------------------------------------------------------------------------

    def handle_expect_100(self) -> bool:
        declared = self.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            self._refuse(413, f"Request body exceeds {MAX_BODY_BYTES} bytes", drain=False)
            return False
        return super().handle_expect_100()

    def _refuse(self, status: int, detail: str, *, drain: bool = True) -> None:
        """Answer without keeping the request body, then close the connection.

        The unread body is drained and discarded (bounded in bytes and time), so
        that closing the socket does not reset it before the client reads the answer.
        """
        response = _error(status, detail)
        response.headers.append(("connection", "close"))
        self.close_connection = True
        self._send(response)
        if drain:
            self._discard_input()

    def _discard_input(self, limit: int = 64 * MAX_BODY_BYTES, seconds: float = 2.0) -> None:
        deadline = time.monotonic() + seconds
        try:
            self.connection.shutdown(socket.SHUT_WR)
            while limit > 0 and time.monotonic() < deadline:
                self.connection.settimeout(max(0.01, deadline - time.monotonic()))
                chunk = self.connection.recv(min(limit, 65536))
                if not chunk:
                    break
                limit -= len(chunk)
        except OSError:
            pass

    def _drop(self) -> None:
        """Close the connection without a response (a dropped connection)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, response: LocalResponse) -> None:
        try:
            if response.stream is not None and self.command != "HEAD":
                self._send_stream(response, response.stream)
            else:
                self._send_whole(response)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:
            _log.exception("the local app failed while streaming %s", self.path)
            self.close_connection = True
        finally:
            _close(response.stream)

    def _send_head(self, response: LocalResponse, skip: set[str]) -> None:
        self.send_response(response.status)
        for name, value in response.headers:
            if name.lower() not in skip:
                self.send_header(name, value)

    def _send_whole(self, response: LocalResponse) -> None:
        self._send_head(response, {"content-length", "transfer-encoding"})
        bodiless = response.status < 200 or response.status in (204, 304)
        if not bodiless:
            self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if not bodiless and self.command != "HEAD" and response.body:
            self.wfile.write(response.body)

    def _send_stream(self, response: LocalResponse, events: Iterator[bytes]) -> None:
        self._send_head(response, {"content-length", "transfer-encoding"})
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            if event:
                self.wfile.write(b"%x\r\n%b\r\n" % (len(event), event))
                self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class LocalServer:
    """A loopback HTTP/1.1 server for a local app: `start()`, `url`, `stop()`.

    Use as a context manager to start and stop it. `port=0` picks a free port.
    """

    def __init__(
        self,
        app: AppLike,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: FaultPlan | None = None,
        *,
        verbose: bool = False,
    ) -> None:
        self.app = app
        self.faults = faults if faults is not None else FaultPlan()
        self._server = _Server((host, port), app, self.faults, verbose)
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The address the server listens on."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The port the server listens on (the real one when 0 was asked for)."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The base URL, e.g. `http://127.0.0.1:8000`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def connections_accepted(self) -> int:
        """How many TCP connections the server has accepted so far."""
        return self._server.connections_accepted

    def start(self) -> LocalServer:
        """Serve in a background daemon thread; returns self."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"recallrai-local-{self.port}",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, close open connections and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
            self._thread = None
        self._server.close_live()
        self._server.server_close()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _error(status: int, detail: str) -> LocalResponse:
    body = json.dumps({"detail": detail}).encode()
    return LocalResponse(status=status, headers=[("content-type", "application/json")], body=body)


def _close(stream: Iterator[bytes] | None) -> None:
    close = getattr(stream, "close", None)
    if callable(close):
        close()
