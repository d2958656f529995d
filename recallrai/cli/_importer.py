"""The import's engine: N workers on one async client fill sessions, exactly once.

Each session's messages go in order; sessions go in parallel. Every step is
journaled (``_journal``) and, when an answer is lost, the server is asked what it
has before anything is sent again.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from ._config import async_client
from ._errors import CLIError, ExitCode, describe
from ._sources import Plan, SessionPlan

RECONCILE_ATTEMPTS = 4


@dataclass
class Summary:
    users_created: int = 0
    users_existing: int = 0
    sessions_created: int = 0
    sessions_resumed: int = 0
    sessions_already_imported: int = 0
    messages_sent: int = 0
    messages_already_stored: int = 0
    sessions_processed: int = 0
    lines_skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    not_imported: dict[str, int] = field(default_factory=dict)

    def record(self, plan: Plan, state: Path, stopped: str | None) -> dict[str, Any]:
        return {
            "file": str(plan.path),
            "format": plan.format,
            "state": str(state),
            "users_created": self.users_created,
            "users_existing": self.users_existing,
            "sessions": len(plan.sessions),
            "sessions_created": self.sessions_created,
            "sessions_resumed": self.sessions_resumed,
            "sessions_already_imported": self.sessions_already_imported,
            "sessions_processed": self.sessions_processed,
            "messages": plan.messages,
            "messages_sent": self.messages_sent,
            "messages_already_stored": self.messages_already_stored,
            "lines_skipped": self.lines_skipped,
            "sessions_failed": len(self.failed),
            "failures": [{"where": w, "error": e} for w, e in self.failed],
            "not_imported": self.not_imported,
            "stopped": stopped,
        }


class Importer:
    """Sends one plan with N workers; records each step in the journal."""

    def __init__(self, args: argparse.Namespace, plan: Plan, journal: Any, summary: Summary):
        self.args = args
        self.plan = plan
        self.journal = journal
        self.summary = summary
        self.fatal: BaseException | None = None
        self._users: dict[str, asyncio.Future[None]] = {}
        self._claim: asyncio.Lock | None = None  # made in run(), inside the loop
        self._handles: list[BinaryIO] = []
        self._failed: set[str] = set()
        self._reads_file = any(s.offsets is not None for s in plan.sessions.values())
        # Oldest first, whatever the file's order: a user's later facts must supersede
        # the earlier ones. A session waits for its user's previous one to be created,
        # so the server holds them in that order too.
        self._ordered = in_time_order(plan.sessions.values())
        self._previous: dict[str, str] = {}
        last: dict[str, str] = {}
        for session in self._ordered:
            if session.user_id in last:
                self._previous[session.key] = last[session.user_id]
            last[session.user_id] = session.key
        self._created: dict[str, asyncio.Event] = {}  # made in run(), inside the loop

    async def run(self) -> None:
        from ._progress import Progress

        self._claim = asyncio.Lock()
        self._created = {s.key: asyncio.Event() for s in self._ordered}
        progress = Progress(
            "import",
            self.plan.messages,
            "messages",
            interval=self.args.progress_interval,
            note=lambda: f"{self._sessions_done}/{len(self.plan.sessions)} sessions",
        )
        self._progress = progress
        self._sessions_done = 0
        queue: asyncio.Queue[SessionPlan] = asyncio.Queue()
        for session in self._ordered:
            queue.put_nowait(session)
        try:
            async with async_client(self.args) as client:
                self.client = client
                workers = min(self.args.concurrency, max(1, queue.qsize()))
                await asyncio.gather(*(self._worker(queue) for _ in range(workers)))
                await self._users_without_sessions()
                if not self.args.no_process and self.fatal is None:
                    await self._process_all()
        finally:
            progress.close()
            for handle in self._handles:
                handle.close()

    async def _worker(self, queue: asyncio.Queue[SessionPlan]) -> None:
        handle = None
        if self._reads_file:  # JSONL: messages are read back from their lines
            handle = self.plan.path.open("rb")
            self._handles.append(handle)
        while self.fatal is None:
            try:
                session = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            try:
                await self._import_session(session, handle)
            except Exception as error:
                from recallrai.exceptions import AuthenticationError

                message, _ = describe(error)
                self.summary.failed.append((f"{session.where} (user {session.user_id})", message))
                self._failed.add(session.key)
                if self.args.on_error == "stop" or isinstance(error, AuthenticationError):
                    self.fatal = error
            finally:
                self._created[session.key].set()
            self._sessions_done += 1

    async def _users_without_sessions(self) -> None:
        """Users the file names (``user`` records) that no session brought in."""
        semaphore = asyncio.Semaphore(self.args.concurrency)

        async def ensure(user_id: str) -> None:
            async with semaphore:
                if self.fatal is None:
                    try:
                        await self._ensure_user(user_id)
                    except Exception as error:
                        message, _ = describe(error)
                        self.summary.failed.append((f"user {user_id}", message))
                        if self.args.on_error == "stop":
                            self.fatal = error

        missing = [u for u in self.plan.users if u not in self.journal.users]
        await asyncio.gather(*(ensure(u) for u in missing if u not in self._users))

    async def _user(self, session: SessionPlan) -> Any:
        user_id = session.user_id
        user = await self.client.get_user(user_id, validate=False)
        if user_id in self.journal.users:
            return user
        pending = self._users.get(user_id)
        if pending is None:
            pending = asyncio.ensure_future(self._ensure_user(user_id))
            self._users[user_id] = pending
        await asyncio.shield(pending)
        return user

    async def _ensure_user(self, user_id: str) -> None:
        from recallrai.exceptions import UserAlreadyExistsError

        wanted = self.plan.users.get(user_id)
        try:
            await self.client.create_user(
                user_id,
                metadata=wanted.metadata if wanted else None,
                merge_conflict_enabled=wanted.merge_conflict_enabled if wanted else None,
            )
            self.summary.users_created += 1
        except UserAlreadyExistsError:
            self.summary.users_existing += 1
        self.journal.user(user_id)

    async def _import_session(self, plan: SessionPlan, handle: BinaryIO | None) -> None:
        key = plan.key
        if key in self.journal.added:
            self.summary.sessions_already_imported += 1
            self.summary.messages_already_stored += plan.count
            self._progress.advance(plan.count)
            return
        messages = self.plan.load_messages(plan, handle)
        user = await self._user(plan)
        session_id = self.journal.sessions.get(key)
        if session_id is None and key in self.journal.opened:
            session_id = await self._find_created(user, plan, self.journal.opened[key])
        if session_id is None:
            previous = self._previous.get(key)
            if previous is not None:
                await self._created[previous].wait()
            session = await self._create(user, plan)
            stored = 0
            self.summary.sessions_created += 1
        else:
            session = await user.get_session(session_id, validate=False)
            stored = await _stored_prefix(session, messages)
            self.summary.sessions_resumed += 1
            self.summary.messages_already_stored += stored
        self._progress.advance(stored)
        for index in range(stored, len(messages)):
            await self._add(session, messages, index)
            self.summary.messages_sent += 1
            self._progress.advance(1)
        self.journal.all_added(key, len(messages))

    async def _create(self, user: Any, plan: SessionPlan) -> Any:
        from recallrai.exceptions import NetworkError, ServerError

        created_at = plan.created_at or datetime.now(UTC).replace(microsecond=0)
        stamp = created_at.isoformat()
        self.journal.open_session(plan.key, stamp)
        for attempt in range(1, RECONCILE_ATTEMPTS + 1):
            try:
                session = await user.create_session(
                    auto_process_after_seconds=self.args.auto_process_after,
                    metadata=plan.metadata,
                    custom_created_at_utc=created_at,
                )
            except (NetworkError, ServerError):
                if attempt == RECONCILE_ATTEMPTS:
                    raise
                await _backoff(attempt)
                found = await self._find_created(user, plan, stamp)
                if found is not None:  # it was created; only the answer was lost
                    self._created[plan.key].set()
                    return await user.get_session(found, validate=False)
                continue
            self.journal.session(plan.key, session.session_id)
            self._created[plan.key].set()
            return session
        raise AssertionError("unreachable")

    async def _find_created(self, user: Any, plan: SessionPlan, stamp: str) -> str | None:
        """The session an earlier create made for ``plan``, if it did: same start, same
        metadata, not claimed by another session of this import."""
        wanted = datetime.fromisoformat(stamp)
        assert self._claim is not None
        async with self._claim:
            claimed = set(self.journal.sessions.values())
            best: tuple[float, str] | None = None
            page = await user.list_sessions(limit=100, metadata_filter=plan.metadata or None)
            async for candidate in page:
                if candidate.session_id in claimed or candidate.created_at is None:
                    continue
                if (candidate.metadata or {}) != plan.metadata:
                    continue
                gap = abs((candidate.created_at - wanted).total_seconds())
                if gap < 1 and (best is None or gap < best[0]):
                    best = (gap, candidate.session_id)
            if best is None:
                return None
            self.journal.session(plan.key, best[1])
            return best[1]

    async def _add(self, session: Any, messages: list[tuple[str, str]], index: int) -> None:
        """Add message ``index``; when its answer is lost, ask the server whether it landed."""
        from recallrai.exceptions import NetworkError, ServerError

        role, content = messages[index]
        for attempt in range(1, RECONCILE_ATTEMPTS + 1):
            try:
                await session.add_message(role, content)
                return
            except (NetworkError, ServerError):
                if attempt == RECONCILE_ATTEMPTS:
                    raise
                await _backoff(attempt)
                if await _landed(session, messages, index):
                    return

    async def _process_all(self) -> None:
        from recallrai.exceptions import InvalidSessionStateError

        todo = [
            s
            for s in self._ordered
            if s.process
            and s.key in self.journal.added
            and s.key not in self.journal.processed
            and s.key not in self._failed
        ]
        semaphore = asyncio.Semaphore(self.args.concurrency)

        async def process(plan: SessionPlan) -> None:
            if self.fatal is not None:
                return
            user = await self.client.get_user(plan.user_id, validate=False)
            session = await user.get_session(self.journal.sessions[plan.key], validate=False)
            try:
                await session.process()
            except InvalidSessionStateError:
                pass  # already processing or processed: what we asked for
            except Exception as error:
                message, _ = describe(error)
                self.summary.failed.append((f"{plan.where}: processing", message))
                if self.args.on_error == "stop":
                    self.fatal = error
                return
            self.journal.was_processed(plan.key)
            self.summary.sessions_processed += 1

        async def process_user(sessions: list[SessionPlan]) -> None:
            async with semaphore:  # one user's sessions one after another, oldest first
                for plan in sessions:
                    await process(plan)

        by_user: dict[str, list[SessionPlan]] = {}
        for plan in todo:
            by_user.setdefault(plan.user_id, []).append(plan)
        await asyncio.gather(*(process_user(s) for s in by_user.values()))


def in_time_order(sessions: Iterable[SessionPlan]) -> list[SessionPlan]:
    """Sessions by start time, oldest first; those without one (created now) last, in
    file order."""
    far = datetime.max.replace(tzinfo=UTC)
    return sorted(sessions, key=lambda s: s.created_at or far)


async def _backoff(attempt: int) -> None:
    await asyncio.sleep(min(0.1 * 2**attempt, 2.0) * (0.75 + random.random() / 4))


def _same(message: Any, expected: tuple[str, str]) -> bool:
    role, content = expected
    return bool(message.role.value == role and message.content == content)


async def _stored_prefix(session: Any, messages: list[tuple[str, str]]) -> int:
    """How many of ``messages`` the server already has; they must be its first ones."""
    count = 0
    page = await session.get_messages(limit=200)
    async for message in page:
        if count >= len(messages) or not _same(message, messages[count]):
            raise CLIError(
                f"session {session.session_id} has messages this import did not send "
                f"(message {count + 1} differs); it was changed by someone else",
                ExitCode.API_ERROR,
            )
        count += 1
    return count


async def _landed(session: Any, messages: list[tuple[str, str]], index: int) -> bool:
    """Whether message ``index`` (sent, answer lost) is stored: the server's count says."""
    page = await session.get_messages(offset=index, limit=2)
    if page.total <= index:
        return False
    if page.total > index + 1 or not page.data or not _same(page.data[0], messages[index]):
        raise CLIError(
            f"session {session.session_id} has messages this import did not send",
            ExitCode.API_ERROR,
        )
    return True
