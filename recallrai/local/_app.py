"""The local RecallrAI server core: ``LocalApp.handle(request) -> response``.

Framework-free. This room does auth, the body limit and the background worker;
:mod:`._router` finds the handler, the resource rooms (:mod:`._users`,
:mod:`._sessions`, :mod:`._memories`, :mod:`._conflicts`, :mod:`._context`)
answer, :mod:`._store` keeps the data and :mod:`._versioning` processes sessions.
Adapters (httpx transport, HTTP server) call :meth:`LocalApp.handle` from any thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection

from recallrai.local import _versioning as versioning
from recallrai.local._call import Call
from recallrai.local._clock import Clock, format_time
from recallrai.local._router import route
from recallrai.local._store import Store
from recallrai.local._wire import (
    MAX_BODY_BYTES,
    HTTPError,
    LocalRequest,
    LocalResponse,
    api_key_problem,
    error_response,
    id_problem,
    json_response,
    log_failure,
    not_found_page,
)

__all__ = ["MAX_BODY_BYTES", "LocalApp"]

_log = logging.getLogger("recallrai.local")


class LocalApp:
    """An in-process RecallrAI server over SQLite (``db`` is a file path or ``:memory:``).

    ``background`` runs a worker thread that finishes processing on its own;
    without it, processing completes only in :meth:`run_due_work`.
    """

    def __init__(
        self,
        db: str = ":memory:",
        *,
        api_keys: Collection[str] | None = None,
        clock: Clock | None = None,
        merge_conflicts_default: bool = False,
        background: bool = True,
    ) -> None:
        self._keys = _checked_keys(api_keys)
        self.clock: Clock = clock if clock is not None else Clock()
        self._store = Store(db)
        self._merge_default = merge_conflicts_default
        self._work_lock = threading.Lock()
        self._wake = threading.Event()
        self._closed = False
        self._worker: threading.Thread | None = None
        if background:
            self._worker = threading.Thread(
                target=self._work_loop, name="recallrai-local-worker", daemon=True
            )
            self._worker.start()

    @property
    def api_keys(self) -> frozenset[str] | None:
        """The API keys accepted, or None when any `rai_` key is."""
        return self._keys

    # -- lifecycle ------------------------------------------------------------------

    def close(self) -> None:
        """Stop the worker (processing stops between two chunks) and close the database."""
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        if self._worker is not None:
            self._worker.join(timeout=10)
        with self._work_lock:
            self._store.close()

    def _stopping(self) -> bool:
        """Asked by processing between chunks: stop? (It also lets waiting requests run.)"""
        time.sleep(0)  # hand the GIL to request threads instead of at the next switch
        return self._closed

    def run_due_work(self) -> None:
        """Start processing idle sessions that are due and finish all queued processing."""
        with self._work_lock:
            if self._closed:
                return
            self._mark_due()
            for session in self._store.sessions_with_status("processing"):
                if self._closed or not self._process(session["pk"]):
                    return

    def _work_loop(self) -> None:
        while not self._closed:
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self._closed:
                return
            try:
                self.run_due_work()
            except Exception as exc:  # the worker must survive; the session is marked failed
                log_failure(_log, "background processing failed", exc)

    def _mark_due(self) -> bool:
        """Move pending sessions idle past their deadline to ``processing``."""
        now = self.clock.now().timestamp()
        if not self._store.sessions_due(now):  # the common case: a read, no write
            return False
        with self._store.transaction():
            for session in self._store.sessions_due(now):
                self._store.update_session(session["pk"], status="processing")
        return True

    def _process(self, session_pk: int) -> bool:
        """Process one session; False if shutdown interrupted it."""
        now = format_time(self.clock.now())
        try:
            return versioning.process_session(
                self._store, session_pk, now, self._merge_default, self._stopping
            )
        except Exception as exc:
            log_failure(_log, f"processing session {session_pk} failed", exc)
            with self._store.transaction():
                self._store.update_session(session_pk, status="failed")
            return True

    # -- dispatch -------------------------------------------------------------------

    def handle(self, request: LocalRequest) -> LocalResponse:
        """Answer one request (thread-safe)."""
        found = route(request.path)
        if found is None:
            return not_found_page()
        handler = found.methods.get(request.method.upper())
        if handler is None:
            allow = ", ".join(sorted(found.methods))
            return json_response(405, {"detail": "Method Not Allowed"}, [("allow", allow)])
        key = request.headers.get("x-recallr-api-key")
        project = request.headers.get("x-recallr-project-id")
        if not (key is not None and key.startswith("rai_") and project and self._accepts(key)):
            return error_response(401, "Invalid API key or project ID")
        if len(request.body) > MAX_BODY_BYTES:
            return error_response(413, "Request body too large")
        project_problem = id_problem(["header", "X-Recallr-Project-Id"], project)
        if project_problem is not None:
            return error_response(422, [project_problem])
        if found.problems:
            return error_response(422, found.problems)
        try:
            if self._mark_due() and not self._closed:
                self._wake.set()
            call = Call(request, project, found.ids, self.clock.now(), self._store, self._wake.set)
            return handler(call)
        except HTTPError as exc:
            return exc.response
        except Exception as exc:
            log_failure(_log, f"unhandled error for {request.method} {request.path}", exc)
            return error_response(500, "Internal server error")

    def _accepts(self, key: str | None) -> bool:
        """Whether ``key`` (None: no header was sent) is one this app accepts."""
        if key is None:
            return False
        return self._keys is None or key in self._keys


def _checked_keys(api_keys: Collection[str] | None) -> frozenset[str] | None:
    """The keys to accept; ``ValueError`` for one no client could send (see api_key_problem)."""
    if api_keys is None:
        return None
    if isinstance(api_keys, str):
        raise ValueError("api_keys must be a collection of keys, not one string")
    keys = frozenset(api_keys)
    for key in keys:
        problem = api_key_problem(key)
        if problem is not None:
            raise ValueError(f"api_keys: {problem}")
    return keys
