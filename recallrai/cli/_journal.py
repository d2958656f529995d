"""The import's journal: what an earlier run of the same import already stored.

One JSON object per line, appended and flushed as each step completes:

    {"recallrai_import": 1, "key": ..., "input_sha256": ..., "base_url": ..., ...}
    {"user": USER_ID}                              the user exists
    {"open": KEY, "created_at": TIME}              about to create the session KEY
    {"session": KEY, "id": SESSION_ID}             the session was created
    {"added": KEY, "n": COUNT}                     all its COUNT messages are stored
    {"processed": KEY}                             processing was requested

The journal is a hint, the server is the truth: a session that was being filled
when a run stopped is compared message by message with the server before anything
more is sent, and an ``open`` without its ``session`` (the answer to the create was
lost) is looked for among the user's sessions by its creation time. A torn last line
(a crash mid-write) is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ._errors import CLIError

VERSION = 1


def import_key(sha256: str, base_url: str, project_id: str, fmt: str, user: str | None) -> str:
    """Names one import: this input, into this project at this address, read this way."""
    parts = json.dumps([sha256, base_url, project_id, fmt, user])
    return hashlib.sha256(parts.encode()).hexdigest()[:16]


def default_path(input_path: Path, key: str, state: Path | None) -> Path:
    name = f".{input_path.name}.recallrai-import-{key}.jsonl"
    if state is None:
        return input_path.resolve().parent / name
    if state.is_dir():
        return state / name
    return state


class Journal:
    """Reads what a previous run recorded and appends what this run does."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path = path
        self.users: set[str] = set()
        self.opened: dict[str, str] = {}
        self.sessions: dict[str, str] = {}
        self.added: dict[str, int] = {}
        self.processed: set[str] = set()
        self.resumed = path.exists() and path.stat().st_size > 0
        if self.resumed:
            self._load(header)
        try:
            self._file = path.open("a", encoding="utf-8")
        except OSError as error:
            raise CLIError(
                f"cannot write the import's state file {path}: {error.strerror}; "
                "choose another place with --state"
            ) from None
        if self.resumed:
            self._file.write("\n")  # seal a line torn by a crash
        else:
            self.write(header)

    def _load(self, header: dict[str, Any]) -> None:
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            lines = handle.read().splitlines()
        try:
            first = json.loads(lines[0])
        except (ValueError, IndexError):
            first = None
        if not isinstance(first, dict) or first.get("key") != header["key"]:
            raise CLIError(
                f"{self.path} is the state of a different import (another input file, "
                "server or project); remove it or pass another --state"
            )
        for line in lines[1:]:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if not isinstance(record, dict):
                continue
            if "user" in record:
                self.users.add(record["user"])
            elif "open" in record:
                self.opened[record["open"]] = record["created_at"]
            elif "session" in record:
                self.sessions[record["session"]] = record["id"]
            elif "added" in record:
                self.added[record["added"]] = int(record["n"])
            elif "processed" in record:
                self.processed.add(record["processed"])

    def write(self, record: dict[str, Any]) -> None:
        self._file.write(json.dumps(record, separators=(",", ":")) + "\n")
        self._file.flush()

    def user(self, user_id: str) -> None:
        self.users.add(user_id)
        self.write({"user": user_id})

    def open_session(self, key: str, created_at: str) -> None:
        self.opened[key] = created_at
        self.write({"open": key, "created_at": created_at})

    def session(self, key: str, session_id: str) -> None:
        self.sessions[key] = session_id
        self.write({"session": key, "id": session_id})

    def all_added(self, key: str, count: int) -> None:
        self.added[key] = count
        self.write({"added": key, "n": count})

    def was_processed(self, key: str) -> None:
        self.processed.add(key)
        self.write({"processed": key})

    def close(self) -> None:
        try:
            self._file.flush()
            os.fsync(self._file.fileno())
        finally:
            self._file.close()
