"""Reading import files into a plan: users, sessions and where their messages are.

Formats (``--format``, detected by default):

``jsonl``  one JSON object per line. A message line is
           ``{"user_id", "session", "role", "content", "timestamp"}``: ``session`` (or
           ``session_id``) names the conversation within the file, ``role`` is ``user``
           or ``assistant``, ``timestamp`` (optional) is ISO 8601 with an offset or Unix
           seconds. Optional ``session_metadata`` / ``user_metadata`` objects. Lines
           written by ``recallrai export`` (``"type": "user" | "session" | "message" |
           "memory" | "merge_conflict"``) are read too; memories and conflicts are
           derived again by processing, so they are not imported.
``openai`` OpenAI chat format: one conversation per JSONL line, ``{"messages": [{role,
           content}, ...]}`` or a bare list; or a ``.json`` file holding a list of them.
           ``system``, ``developer`` and ``tool`` messages are skipped (not memories).
``chatgpt`` ChatGPT's data export ``conversations.json``: a list of conversations whose
           ``mapping`` holds the message tree; the branch ending at ``current_node`` is
           the conversation as last shown.

Everything is checked before anything is sent; each problem carries its line number
(or conversation number). A JSONL plan keeps only byte offsets of message lines, so
a file of millions of messages takes little memory; lines longer than ``MAX_LINE``
are rejected without being held in memory.
"""

from __future__ import annotations

import hashlib
import json
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

MAX_LINE = 16 * 1024 * 1024  # a 1,000,000-character message, \u-escaped, fits
MAX_CONTENT = 1_000_000
MAX_ID = 255
MAX_METADATA_BYTES = 65_536
MAX_DEPTH = 32
ROLES = ("user", "assistant")
OPENAI_SKIPPED_ROLES = ("system", "developer", "tool", "function")


class Problem(ValueError):
    """What is wrong with one line or conversation of the input."""


@dataclass
class UserPlan:
    user_id: str
    metadata: dict[str, Any] | None = None
    merge_conflict_enabled: bool | None = None


@dataclass
class SessionPlan:
    key: str  # stable within the input: names the session in the journal
    user_id: str
    where: str  # "line 12" or "conversation 3": where the session starts
    metadata: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    process: bool = True
    timed: bool = False  # created_at came from a session record, not from the messages
    offsets: array[int] | None = None  # JSONL: byte offset of each message line
    messages: list[tuple[str, str]] | None = None  # JSON documents: (role, content)

    @property
    def count(self) -> int:
        if self.offsets is not None:
            return len(self.offsets)
        return len(self.messages or ())


@dataclass
class Plan:
    path: Path
    format: str
    sha256: str
    users: dict[str, UserPlan] = field(default_factory=dict)
    sessions: dict[str, SessionPlan] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    @property
    def messages(self) -> int:
        return sum(s.count for s in self.sessions.values())

    def load_messages(self, session: SessionPlan, handle: BinaryIO | None) -> list[tuple[str, str]]:
        """The messages of ``session``, read back from the file for JSONL."""
        if session.offsets is None:
            return list(session.messages or ())
        assert handle is not None
        out = []
        for offset in session.offsets:
            handle.seek(offset)
            record = json.loads(handle.readline())
            out.append((record["role"], record["content"]))
        return out


def read_plan(path: Path, fmt: str, default_user: str | None) -> Plan:
    """Check the whole file and plan the import (nothing is sent)."""
    fmt = detect(path) if fmt == "auto" else fmt
    if fmt == "chatgpt" or (fmt == "openai" and path.suffix.lower() == ".json"):
        return _read_document(path, fmt, default_user)
    return _read_lines(path, fmt, default_user)


def detect(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(65536).lstrip()
        if head.startswith(b"["):
            return "chatgpt" if b'"mapping"' in head[:65536] else "openai"
        handle.seek(0)
        first = handle.readline(MAX_LINE)
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return "jsonl"  # the line is reported as a problem by the JSONL reader
    if isinstance(record, list) or (isinstance(record, dict) and "messages" in record):
        return "openai"
    return "jsonl"


def _parse(data: bytes) -> Any:
    """JSON, or a Problem: invalid, or nested too deeply for the parser."""
    try:
        return json.loads(data)
    except RecursionError:
        raise Problem(f"not valid JSON: nested too deeply (at most {MAX_DEPTH} levels)") from None
    except ValueError as error:
        raise Problem(f"not valid JSON: {error}") from None


def _problem_text(problem: Exception) -> str:
    """A Problem says what is wrong; anything else the checks let through is named."""
    if isinstance(problem, Problem):
        return str(problem)
    return f"not a valid record ({type(problem).__name__}: {problem})"[:200]


# -- JSONL --------------------------------------------------------------------------------


def _lines(handle: BinaryIO, digest: Any) -> Iterator[tuple[int, int, bytes | None]]:
    """(line number, byte offset, line) for each line; ``None`` for an over-long line."""
    number = 0
    while True:
        offset = handle.tell()
        line = handle.readline(MAX_LINE + 1)
        if not line:
            return
        number += 1
        digest.update(line)
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while True:  # skip the rest of the line without keeping it
                rest = handle.readline(1 << 20)
                digest.update(rest)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, offset, None
            continue
        yield number, offset, line


def _read_lines(path: Path, fmt: str, default_user: str | None) -> Plan:
    digest = hashlib.sha256()
    plan = Plan(path, fmt, "")
    with path.open("rb") as handle:
        for number, offset, line in _lines(handle, digest):
            where = f"line {number}"
            if line is None:
                plan.problems.append((where, f"longer than {MAX_LINE // (1024 * 1024)} MiB"))
                continue
            if not line.strip():
                continue
            try:
                record = _parse(line)
                if fmt == "openai":
                    _openai_conversation(plan, record, where, f"l{number}", default_user)
                else:
                    _jsonl_record(plan, record, where, offset, default_user)
            except (ValueError, OverflowError, RecursionError) as problem:
                plan.problems.append((where, _problem_text(problem)))
    plan.sha256 = digest.hexdigest()
    return plan


def _jsonl_record(
    plan: Plan, record: Any, where: str, offset: int, default_user: str | None
) -> None:
    if not isinstance(record, dict):
        raise Problem("expected a JSON object")
    kind = record.get("type", "message")
    if kind in ("memory", "merge_conflict"):
        plan.skipped[f"{kind} records (derived again by processing)"] += 1
        return
    user_id = _id(record.get("user_id", default_user), "user_id")
    if kind == "user":
        plan.users[user_id] = UserPlan(
            user_id,
            _metadata(record.get("metadata"), "metadata"),
            _optional_bool(record.get("merge_conflict_enabled"), "merge_conflict_enabled"),
        )
        return
    if kind not in ("session", "message"):
        raise Problem(f"unknown record type {kind!r}")
    name = record.get("session_id", record.get("session"))
    if isinstance(name, int) and not isinstance(name, bool):
        name = str(name)
    name = _id(name, "session")
    key = _key(user_id, name)
    session = plan.sessions.get(key)
    if session is None:
        session = SessionPlan(key, user_id, where, offsets=array("q"))
        plan.sessions[key] = session
        plan.users.setdefault(user_id, UserPlan(user_id))
    if kind == "session":
        session.metadata = _metadata(record.get("metadata"), "metadata") or {}
        created = _time(record.get("created_at"), "created_at")
        if created is not None:
            session.created_at, session.timed = created, True
        status = record.get("status")
        session.process = status is None or status in ("processing", "processed")
        return
    role = record.get("role")
    if role not in ROLES:
        raise Problem(f"role must be 'user' or 'assistant', not {_show(role)}")
    _content(record.get("content"))
    stamp = _time(record.get("timestamp"), "timestamp")
    earliest = session.created_at is None or (stamp is not None and stamp < session.created_at)
    if stamp is not None and not session.timed and earliest:
        session.created_at = stamp  # a session starts with its first message
    if "session_metadata" in record:
        session.metadata = _metadata(record["session_metadata"], "session_metadata") or {}
    if "user_metadata" in record:
        plan.users[user_id].metadata = _metadata(record["user_metadata"], "user_metadata")
    assert session.offsets is not None
    session.offsets.append(offset)


# -- OpenAI chat format -------------------------------------------------------------------


def _openai_conversation(
    plan: Plan, record: Any, where: str, key: str, default_user: str | None
) -> None:
    extra: dict[str, Any] = {}
    if isinstance(record, dict):
        extra = record
        record = record.get("messages")
    if not isinstance(record, list):
        raise Problem('expected a list of messages or {"messages": [...]}')
    user_id = _id(extra.get("user_id", default_user), "user_id (or --user)")
    messages: list[tuple[str, str]] = []
    for index, message in enumerate(record, 1):
        if not isinstance(message, dict):
            raise Problem(f"message {index}: expected an object with role and content")
        role = message.get("role")
        if role in OPENAI_SKIPPED_ROLES:
            plan.skipped[f"{role} messages"] += 1
            continue
        if role not in ROLES:
            raise Problem(f"message {index}: role must be user or assistant, not {_show(role)}")
        content = message.get("content")
        if isinstance(content, list):  # content parts: keep the text ones
            content = "\n".join(
                part["text"]
                for part in content
                if isinstance(part, dict)
                and part.get("type") == "text"
                and isinstance(part.get("text"), str)
            )
        if content is None or content == "":
            plan.skipped["messages without text"] += 1
            continue
        try:
            messages.append((role, _content(content)))
        except Problem as problem:
            raise Problem(f"message {index}: {problem}") from None
    if not messages:
        plan.skipped["conversations without user or assistant text"] += 1
        return
    name = extra.get("id")
    session_key = _key(user_id, f"openai:{name}" if isinstance(name, str) else key)
    plan.users.setdefault(user_id, UserPlan(user_id))
    plan.sessions[session_key] = SessionPlan(
        session_key,
        user_id,
        where,
        metadata=_metadata(extra.get("metadata"), "metadata") or {},
        created_at=_time(extra.get("created_at"), "created_at"),
        messages=messages,
    )


# -- JSON documents (OpenAI list, ChatGPT export) -----------------------------------------


def _read_document(path: Path, fmt: str, default_user: str | None) -> Plan:
    data = path.read_bytes()
    plan = Plan(path, fmt, hashlib.sha256(data).hexdigest())
    try:
        document = _parse(data)
    except Problem as problem:
        plan.problems.append(("file", str(problem)))
        return plan
    del data
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list):
        plan.problems.append(("file", "expected a JSON list of conversations"))
        return plan
    for index, conversation in enumerate(document, 1):
        where = f"conversation {index}"
        try:
            if fmt == "chatgpt":
                _chatgpt_conversation(plan, conversation, where, index, default_user)
            else:
                _openai_conversation(plan, conversation, where, f"c{index}", default_user)
        except (ValueError, OverflowError, RecursionError) as problem:
            plan.problems.append((where, _problem_text(problem)))
    return plan


def _chatgpt_conversation(
    plan: Plan, conversation: Any, where: str, index: int, default_user: str | None
) -> None:
    if not isinstance(conversation, dict):
        raise Problem("expected a conversation object")
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise Problem("has no 'mapping' object (is this ChatGPT's conversations.json?)")
    user_id = _id(default_user, "--user")
    ident = conversation.get("conversation_id") or conversation.get("id")
    label = f"{where} ({ident})" if isinstance(ident, str) else where
    messages: list[tuple[str, str]] = []
    for node in _branch(mapping, conversation.get("current_node")):
        message = node.get("message")
        if not isinstance(message, dict):
            continue
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        meta = message.get("metadata")
        if isinstance(meta, dict) and meta.get("is_visually_hidden_from_conversation"):
            continue
        if role not in ROLES:
            plan.skipped[f"{role or 'unknown'} messages"] += 1
            continue
        text = _chatgpt_text(message.get("content"))
        if not text.strip():
            plan.skipped["messages without text"] += 1
            continue
        try:
            messages.append((role, _content(text)))
        except Problem as problem:
            raise Problem(f"{label}: {problem}") from None
    if not messages:
        plan.skipped["conversations without user or assistant text"] += 1
        return
    key = _key(user_id, f"chatgpt:{ident}" if isinstance(ident, str) else f"c{index}")
    metadata: dict[str, Any] = {}
    if isinstance(conversation.get("title"), str):
        metadata["title"] = conversation["title"][:1000]
    if isinstance(ident, str):
        metadata["chatgpt_conversation_id"] = ident[:MAX_ID]
    plan.users.setdefault(user_id, UserPlan(user_id))
    plan.sessions[key] = SessionPlan(
        key,
        user_id,
        label,
        metadata=metadata,
        created_at=_time(conversation.get("create_time"), "create_time"),
        messages=messages,
    )


def _branch(mapping: dict[str, Any], current: Any) -> list[dict[str, Any]]:
    """The nodes from the root to ``current`` (else to the last leaf), in order."""
    if not isinstance(current, str) or current not in mapping:
        roots = [n for n in mapping.values() if isinstance(n, dict) and not n.get("parent")]
        current = None
        node = roots[0] if roots else None
        seen: set[int] = set()
        while isinstance(node, dict) and id(node) not in seen:
            seen.add(id(node))
            current = node.get("id")
            children = node.get("children") or []
            node = mapping.get(children[-1]) if children else None
    chain: list[dict[str, Any]] = []
    visited: set[str] = set()
    while isinstance(current, str) and current in mapping:
        if current in visited:
            raise Problem("its message tree has a cycle")
        visited.add(current)
        node = mapping[current]
        if not isinstance(node, dict):
            raise Problem(f"node {current!r} is not an object")
        chain.append(node)
        current = node.get("parent")
    chain.reverse()
    return chain


def _chatgpt_text(content: Any) -> str:
    if not isinstance(content, dict):
        return ""
    kind = content.get("content_type")
    if kind in ("text", "multimodal_text"):
        parts = content.get("parts") or []
        return "\n".join(p for p in parts if isinstance(p, str))
    if kind == "code" and isinstance(content.get("text"), str):
        return str(content["text"])
    return ""  # browsing displays, hidden context, reasoning: not conversation text


# -- field checks (the bounds the SDK and the API agree on) -------------------------------


def _key(user_id: str, name: str) -> str:
    return hashlib.sha256(f"{user_id}\x00{name}".encode()).hexdigest()[:24]


def _show(value: Any) -> str:
    return "nothing" if value is None else repr(value)[:60]


def _id(value: Any, name: str) -> str:
    if value is None:
        raise Problem(f"missing {name}")
    if not isinstance(value, str):
        raise Problem(f"{name} must be a string, not {_show(value)}")
    if not value.strip() or len(value) > MAX_ID:
        raise Problem(f"{name} must be 1 to {MAX_ID} characters")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Problem(f"{name} contains a control character")
    _utf8(value, name)
    return value


def _utf8(value: str, name: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Problem(f"{name} is not valid Unicode (a lone surrogate)") from None


def _content(value: Any) -> str:
    if value is None:
        raise Problem("missing content")
    if not isinstance(value, str):
        raise Problem(f"content must be a string, not {type(value).__name__}")
    if not value:
        raise Problem("content is empty")
    if len(value) > MAX_CONTENT:
        raise Problem(f"content is {len(value):,} characters (at most {MAX_CONTENT:,})")
    _utf8(value, "content")
    return value


def _metadata(value: Any, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Problem(f"{name} must be an object")
    if _depth(value) > MAX_DEPTH:
        raise Problem(f"{name} is nested deeper than {MAX_DEPTH} levels")
    try:
        size = len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())
    except UnicodeEncodeError:
        raise Problem(f"{name} is not valid Unicode") from None
    if size > MAX_METADATA_BYTES:
        raise Problem(f"{name} is {size:,} bytes as JSON (at most {MAX_METADATA_BYTES:,})")
    return value


def _depth(value: Any) -> int:
    depth, level = 0, [value]
    while level:
        depth += 1
        if depth > MAX_DEPTH + 1:
            break
        nxt: list[Any] = []
        for item in level:
            if isinstance(item, dict):
                nxt.extend(v for v in item.values() if isinstance(v, dict | list))
            elif isinstance(item, list):
                nxt.extend(v for v in item if isinstance(v, dict | list))
        level = nxt
    return depth


def _optional_bool(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise Problem(f"{name} must be true, false or null")


def _time(value: Any, name: str) -> datetime | None:
    """ISO 8601 with an offset, or Unix seconds; a time without an offset is a problem."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Problem(f"{name} must be a time, not {value!r}")
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise Problem(f"{name} {value!r} is out of range") from None
    if not isinstance(value, str):
        raise Problem(f"{name} must be an ISO 8601 string or Unix seconds")
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise Problem(f"{name} {value[:60]!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise Problem(
            f"{name} {value[:60]!r} has no UTC offset (write it as {value[:19]}Z or with +HH:MM)"
        )
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-14:00 is after the last UTC time
        raise Problem(f"{name} {value[:60]!r} is out of range in UTC") from None
