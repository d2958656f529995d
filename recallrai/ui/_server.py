"""The inspector's HTTP server: the static page, the JSON API, and the guard in front."""

from __future__ import annotations

import json
import logging
import re
import secrets
import socket
import socketserver
import sys
import threading
import webbrowser
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, quote, urlsplit

from ._api import Api, ApiError
from ._guard import Guard, is_loopback

if TYPE_CHECKING:
    from recallrai import RecallrAI

_log = logging.getLogger("recallrai.ui")

MAX_BODY_BYTES = 1024 * 1024
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9._~-]{16,256}")

_STATIC = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
}

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _static(name: str) -> bytes:
    return resources.files("recallrai.ui").joinpath("static", name).read_bytes()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], inspector: InspectorServer) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.inspector = inspector
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        _log.debug("connection error", exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 60  # seconds a connection may sit idle or half-sent before it is closed
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall
    server_version = "recallrai-inspector"
    sys_version = ""

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()  # no CORS preflight is ever granted

    def log_message(self, format: str, *args: Any) -> None:
        # The request line may carry ?token=; log the path alone, at debug level.
        _log.debug("%s %s", self.command, urlsplit(self.path).path)

    def _serve(self) -> None:
        inspector = self.server.inspector
        guard = inspector.guard
        headers = {k.lower(): v for k, v in reversed(self.headers.items())}  # first one wins
        try:
            if not guard.host_ok(self.headers.get("Host")):
                raise ApiError(421, "HostRefused", "this server answers only to its own address")
            url = urlsplit(self.path)
            query = parse_qs(url.query, keep_blank_values=True)
            if "token" in query and self.command in ("GET", "HEAD"):
                self._login(query["token"][-1], url.path)
                return
            if not guard.token_ok(headers):
                raise ApiError(401, "TokenRequired", "open the URL with ?token= printed at start")
            if self.command not in ("GET", "HEAD", "POST"):
                self._discard_body()
                raise ApiError(405, "MethodNotAllowed", "this server answers GET and POST only")
            if url.path.startswith("/api/"):
                self._api(url.path[len("/api/") :], query, headers)
            elif url.path in _STATIC and self.command in ("GET", "HEAD"):
                self._file(url.path)
            elif url.path in _STATIC:
                raise ApiError(405, "MethodNotAllowed", "use GET here")
            else:
                raise ApiError(404, "NotFound", "no such page")
        except ApiError as error:
            self._json(error.status, error.body)
        except Exception as error:  # a bug here must still answer JSON, not a traceback
            _log.warning("inspector request failed: %s", type(error).__name__)
            _log.debug("inspector request failed", exc_info=True)
            body = {"error": {"type": "InternalError", "message": "the inspector failed"}}
            self._json(500, body)

    def _login(self, value: str, path: str) -> None:
        guard = self.server.inspector.guard
        if not guard.token_in_query_ok(value):
            raise ApiError(401, "TokenRequired", "wrong token")
        # Move the token out of the address bar (and history) into a cookie.
        self.send_response(303)
        self.send_header("Location", path if path in _STATIC else "/")
        self.send_header("Set-Cookie", guard.set_cookie())
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self._common_headers()
        self.end_headers()

    def _api(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> None:
        inspector = self.server.inspector
        body = b""
        if self.command not in ("GET", "HEAD"):
            refusal = inspector.guard.write_ok(headers)
            if refusal is not None:
                self._discard_body()
                raise ApiError(403, "Forbidden", refusal)
            body = self._body()
        method = "GET" if self.command == "HEAD" else self.command
        result = inspector.api.handle(method, path, query, body)
        self._json(200, result)

    def _discard_body(self) -> None:
        length = self.headers.get("Content-Length")
        if length and length.isdigit() and int(length) <= MAX_BODY_BYTES:
            self.rfile.read(int(length))
        elif length or self.headers.get("Transfer-Encoding"):
            self.close_connection = True

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise ApiError(411, "LengthRequired", "send a Content-Length, not a chunked body")
        length = self.headers.get("Content-Length") or "0"
        if not length.isdigit():
            self.close_connection = True
            raise ApiError(400, "BadRequest", "bad Content-Length")
        if int(length) > MAX_BODY_BYTES:
            self.close_connection = True
            raise ApiError(413, "PayloadTooLarge", f"the body is over {MAX_BODY_BYTES} bytes")
        return self.rfile.read(int(length))

    def _file(self, path: str) -> None:
        name, content_type = _STATIC[path]
        data = self.server.inspector.static(name)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        self._common_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _json(self, status: int, payload: Any) -> None:
        data = self.server.inspector.redact(
            json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        )
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self._common_headers()
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _common_headers(self) -> None:
        for name, value in _SECURITY_HEADERS.items():
            self.send_header(name, value)


class InspectorServer:
    """The memory inspector on ``host:port`` in a background thread.

        server = InspectorServer(client).start()
        print(server.url)
        ...
        server.stop()

    ``client`` is a ``recallrai.RecallrAI``; its API key stays in this process. Bound
    anywhere but loopback, the server requires ``token`` (one is made when not given);
    ``login_url`` carries it once, then the browser keeps it in an HttpOnly cookie.
    """

    def __init__(
        self,
        client: RecallrAI,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        token: str | None = None,
    ) -> None:
        from recallrai import RecallrAI

        if not isinstance(client, RecallrAI):
            raise TypeError(
                f"the inspector needs a recallrai.RecallrAI client, not {type(client).__name__}"
            )
        if token is not None and not TOKEN_PATTERN.fullmatch(token):
            raise ValueError("token must be 16-256 characters of A-Z a-z 0-9 . _ ~ -")
        if token is None and not is_loopback(host):
            token = secrets.token_urlsafe(32)
        self.client = client
        self.guard = Guard(host, token)
        self._pool = _pool()
        self.api = Api(client, self._pool)
        self._cache: dict[str, bytes] = {}
        self._secret = _api_key_of(client)
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._address = (host, port)

    @property
    def token(self) -> str | None:
        return self.guard.token

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the inspector is not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        """The base URL (``http://127.0.0.1:PORT/``), without the token."""
        host = self._address[0]
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        if ":" in host and not host.startswith("["):
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    @property
    def login_url(self) -> str:
        """The URL to open: ``url``, with ``?token=`` when a token is required."""
        token = self.guard.token
        return self.url if token is None else f"{self.url}?token={quote(token)}"

    def start(self) -> InspectorServer:
        if self._httpd is not None:
            return self
        self._httpd = _HTTPServer(self._address, self)
        self.guard.port = self.port
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="recallrai-ui", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self.api.pool = _pool()  # threads start lazily: ready for start() again

    def serve_forever(self) -> None:
        """Block until Ctrl-C (or ``stop()`` from another thread)."""
        self.start()
        thread = self._thread
        try:
            while thread is not None and thread.is_alive():
                thread.join(timeout=0.5)
        finally:
            self.stop()

    def __enter__(self) -> InspectorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def static(self, name: str) -> bytes:
        data = self._cache.get(name)
        if data is None:
            data = _static(name)
            if name == "index.html":
                data = data.replace(b"__CSRF_TOKEN__", self.guard.csrf.encode())
            self._cache[name] = data
        return data

    def redact(self, data: bytes) -> bytes:
        """Defence in depth: the API key never leaves, even if an answer quoted it."""
        if self._secret and self._secret in data:
            return data.replace(self._secret, b"[redacted]")
        return data


def _pool() -> ThreadPoolExecutor:
    """Threads for the SDK calls one view fans out (message counts, used memories)."""
    return ThreadPoolExecutor(max_workers=8, thread_name_prefix="recallrai-ui")


def _api_key_of(client: RecallrAI) -> bytes | None:
    options = getattr(getattr(client, "_api", None), "options", None)
    key = getattr(options, "api_key", None)
    return key.encode() if isinstance(key, str) and key else None


def run(
    client: RecallrAI,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    token: str | None = None,
    open_browser: bool = True,
) -> None:
    """Serve the memory inspector until Ctrl-C; prints the URL (with its token) first."""
    server = InspectorServer(client, host, port, token=token).start()
    print(f"RecallrAI memory inspector at {server.login_url}", flush=True)
    if not is_loopback(host):
        print("  (not loopback: the token in that URL is required)", flush=True)
    print("  Ctrl-C stops it.", flush=True)
    if open_browser:
        try:
            webbrowser.open(server.login_url)
        except Exception:  # no browser here: the printed URL is enough
            _log.debug("could not open a browser", exc_info=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("RecallrAI memory inspector stopped", file=sys.stderr, flush=True)
    finally:
        server.stop()
