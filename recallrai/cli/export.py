"""``recallrai export [USER...|--all] -o FILE``: everything about users, as JSONL.

One record per line, each with a ``type``: for every user a ``user`` record, then
each ``session`` (oldest first) followed by its ``message``s, then every ``memory``
(with all its versions and connections) and every ``merge_conflict``. Records are
written as the pages arrive, so memory stays flat however much a user has. A file is
written under a temporary name and renamed when complete: an interrupted export leaves
no partial file (a symlink is followed; a device or FIFO is written in place).
``recallrai import`` reads the output back (users, sessions and messages).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any, Protocol

from . import _records
from ._config import sync_client
from ._errors import CLIError, ExitCode
from ._output import Output, dumps


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "export",
        parents=[common],
        help="export users with sessions, messages, memories and conflicts (JSONL)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    parser.add_argument("users", nargs="*", metavar="USER", help="users to export")
    parser.add_argument("--all", action="store_true", help="every user of the project")
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="where to write ('-' = stdout)"
    )
    parser.add_argument(
        "--no-memories", action="store_true", help="leave out memories and merge conflicts"
    )
    parser.add_argument(
        "--progress-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how often to print progress when stderr is not a terminal (5)",
    )
    parser.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    if bool(args.users) == bool(args.all):
        raise CLIError("name the users to export, or pass --all (not both)")
    from ._progress import Progress

    out = Output(args, stdout=sys.stderr if _is_stdout(args.output) else None)
    counts: dict[str, int] = {}
    with sync_client(args) as client:
        if args.all:
            first = client.list_users(limit=100)
            total: int = first.total
            users: Iterator[Any] = iter(first)
        else:
            named = [client.get_user(u) for u in args.users]  # a missing one fails up front
            total = len(named)
            users = iter(named)
        progress = Progress(
            "export",
            total,
            "users",
            interval=args.progress_interval,
            note=lambda: f"{sum(counts.values()):,} records",
        )
        complete = False
        try:
            with _destination(args.output) as sink:
                for user in users:
                    for kind, record in _user_records(user, not args.no_memories):
                        sink.write(dumps({"type": kind, **record}) + "\n")
                        counts[kind] = counts.get(kind, 0) + 1
                        if counts[kind] % 1000 == 0:
                            progress.advance(0)
                    progress.advance(1)
            complete = True
        finally:
            progress.close(final_line=complete)
    summary = {"output": args.output, "users": progress.done, "records": counts}
    if out.json:
        out.line(summary)
    else:
        written = ", ".join(f"{n:,} {kind}s" for kind, n in counts.items()) or "nothing"
        out.console.print(f"Exported {written} to {args.output}", markup=False)
    return ExitCode.OK


def _user_records(user: Any, memories: bool) -> Iterator[tuple[str, dict[str, Any]]]:
    yield "user", _records.user(user)
    # Oldest first, as they happened: an import replays them in this order. The list
    # holds the sessions only; their messages are still streamed page by page.
    sessions = sorted(user.list_sessions(limit=100), key=_started)
    for session in sessions:
        yield "session", _records.session(session)
        for message in session.get_messages(limit=200):
            yield "message", _records.message(user.user_id, session.session_id, message)
    if not memories:
        return
    for memory in user.list_memories(limit=200):
        yield "memory", _records.memory(user.user_id, memory)
    for conflict in user.list_merge_conflicts(limit=100):
        yield "merge_conflict", _records.conflict(conflict)


def _is_stdout(output: str) -> bool:
    """``-``, or a name for this process's stdout (/dev/stdout): the summary goes to stderr."""
    if output == "-":
        return True
    try:
        return os.path.samestat(os.stat(output), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):
        return False  # no such file yet, or stdout is not a file (captured)


class _Sink(Protocol):
    def write(self, text: str, /) -> int: ...


def _started(session: Any) -> tuple[bool, Any]:
    created = session.created_at
    return (created is None, created)


@contextlib.contextmanager
def _destination(output: str) -> Iterator[_Sink]:
    """Where the records go: stdout; a device, FIFO or socket written directly; else a
    temporary file beside the real (symlink-resolved) path, renamed to it when complete."""
    if output == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    try:
        mode: int | None = os.stat(output).st_mode  # through any symlinks
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise CLIError(f"cannot write {output}: {error.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise CLIError(f"cannot write {output}: it is a directory")
    if mode is not None and not stat.S_ISREG(mode):
        # Opened by the name given: /dev/stdout's target (pipe:[N]) has no path to resolve.
        with _streamed(output) as handle:
            yield handle
        return
    real = os.path.realpath(output)  # a symlink's target is replaced, never the link
    import tempfile

    directory, name = os.path.split(real)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=directory)
    except OSError as error:
        raise CLIError(f"cannot write {output}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", buffering=1 << 20) as handle:
            yield _Checked(handle, output)
            _write_step(output, handle.flush)
            _write_step(output, lambda: os.fsync(handle.fileno()))
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@contextlib.contextmanager
def _streamed(output: str) -> Iterator[_Sink]:
    """A character or block device, FIFO or socket: written in place, never replaced."""
    try:
        handle = open(output, "w", encoding="utf-8", buffering=1 << 16)  # noqa: SIM115
    except OSError as error:
        raise CLIError(f"cannot write {output}: {error.strerror}") from None
    try:
        yield _Checked(handle, output)
        _write_step(output, handle.flush)
    finally:
        with contextlib.suppress(OSError):
            handle.close()


def _write_step(output: str, step: Callable[[], object]) -> None:
    try:
        step()
    except OSError as error:
        raise CLIError(
            f"cannot write {output}: {error.strerror or error}", ExitCode.API_ERROR
        ) from None


class _Checked:
    """A text file whose write failures (a full disk, a closed FIFO) are one clear line."""

    def __init__(self, handle: IO[str], output: str) -> None:
        self._handle = handle
        self._output = output

    def write(self, text: str) -> int:
        try:
            return self._handle.write(text)
        except OSError as error:
            raise CLIError(
                f"cannot write {self._output}: {error.strerror or error}", ExitCode.API_ERROR
            ) from None
