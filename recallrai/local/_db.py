"""SQLite connections of the local server: a small pool, short read and write blocks.

The database runs in WAL mode with a connection per concurrent block: readers
never wait for a writer (each read block sees one snapshot), and writers queue on
one lock, each holding it only for its own short transaction. An in-memory
database (``:memory:``) is a private file in a temporary directory, without
fsync, removed on :meth:`Database.close`: SQLite's own ``:memory:`` allows one
connection only, which would make every reader wait for every other block.
"""

from __future__ import annotations

import queue
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Database", "is_memory_path"]

MAX_CONNECTIONS = 16
"""File databases: at most this many blocks run at once; the next one waits for a free one."""

BUSY_TIMEOUT_MS = 30_000
"""How long a write waits for another *process* that holds the file's write lock."""


def is_memory_path(path: str) -> bool:
    """Is ``path`` an in-memory database (gone when closed)?"""
    return path == ":memory:" or path.startswith("file::memory:")


class _Block(threading.local):
    """The connection this thread's open block runs on, if any."""

    conn: sqlite3.Connection | None = None
    writing: bool = False


class Database:
    """Hands out connections to read blocks and write blocks (nested blocks join the open one).

    ``prepare`` runs on every new connection (functions, pragmas).
    """

    def __init__(self, path: str, prepare: Callable[[sqlite3.Connection], None]) -> None:
        self._memory = is_memory_path(path)
        self._scratch: str | None = None
        if self._memory:
            self._scratch = tempfile.mkdtemp(prefix="recallrai-local-")
            path = str(Path(self._scratch) / "memory.db")
            weakref.finalize(self, shutil.rmtree, self._scratch, True)  # if never closed
        self._path = path
        self._prepare = prepare
        self._max = MAX_CONNECTIONS
        self._idle: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all: list[sqlite3.Connection] = []
        self._grow = threading.Lock()
        self._write = threading.Lock()
        self._block = _Block()
        self._closed = False
        first = self._connect()
        first.execute("PRAGMA journal_mode = WAL")
        self._idle.put(first)

    @property
    def in_memory(self) -> bool:
        return self._memory

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self._path,
            check_same_thread=False,
            isolation_level=None,
            timeout=BUSY_TIMEOUT_MS / 1000,
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA cache_size = -8000")  # KiB: the indexes of a large file stay hot
        # A file must survive a crash; a scratch copy of an in-memory one need not.
        conn.execute(f"PRAGMA synchronous = {'OFF' if self._memory else 'FULL'}")
        self._prepare(conn)
        self._all.append(conn)
        return conn

    def _checkout(self) -> sqlite3.Connection:
        if self._closed:
            raise sqlite3.ProgrammingError("the database is closed")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._grow:
            if len(self._all) < self._max:
                return self._connect()
        return self._idle.get()

    def close(self) -> None:
        """Close every connection (call once no block runs any more)."""
        if self._closed:
            return
        self._closed = True
        with self._write, self._grow:
            for conn in self._all:
                conn.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A block of reads that see one snapshot of the database."""
        block = self._block
        if block.conn is not None:
            yield block.conn
            return
        conn = self._checkout()
        block.conn = conn
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        finally:
            block.conn = None
            self._idle.put(conn)

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: all of it is stored, or (on an exception) none of it."""
        block = self._block
        if block.conn is not None:
            if not block.writing:
                raise RuntimeError("a write block cannot start inside a read block")
            yield block.conn
            return
        with self._write:
            conn = self._checkout()
            block.conn, block.writing = conn, True
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    if conn.in_transaction:  # SQLite may have rolled back already (disk full)
                        conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            finally:
                block.conn, block.writing = None, False
                self._idle.put(conn)

    @property
    def in_write(self) -> bool:
        """Does this thread have a write block open?"""
        return self._block.conn is not None and self._block.writing
