"""``recallrai sessions list|show`` (show includes the messages)."""

from __future__ import annotations

import argparse
from typing import Any

from . import _records
from ._common import add_limit, page_size, take
from ._config import sync_client
from ._errors import ExitCode
from ._output import Output, count_note, when

STATUSES = ("pending", "processing", "processed", "failed", "insufficient_balance")

COLUMNS = [
    ("session", lambda r: r["session_id"]),
    ("status", lambda r: r["status"]),
    ("created", lambda r: when(r["created_at"])),
    ("metadata", lambda r: r["metadata"]),
]
MESSAGE_COLUMNS = [
    ("#", lambda r: r["index"]),
    ("role", lambda r: r["role"]),
    ("time", lambda r: when(r["timestamp"])),
    ("content", lambda r: r["content"]),
]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    sessions = commands.add_parser("sessions", help="list and show a user's sessions")
    sub = sessions.add_subparsers(dest="action", metavar="ACTION", required=True)

    list_ = sub.add_parser("list", parents=[common], help="a user's sessions")
    list_.add_argument("user_id", metavar="USER")
    add_limit(list_)
    list_.add_argument(
        "--status", action="append", choices=STATUSES, help="only these statuses (repeatable)"
    )
    list_.set_defaults(handler=list_sessions)

    show = sub.add_parser("show", parents=[common], help="one session and its messages")
    show.add_argument("user_id", metavar="USER")
    show.add_argument("session_id", metavar="SESSION")
    show.add_argument(
        "--messages",
        type=int,
        default=200,
        metavar="N",
        help="show at most N messages, oldest first (default 200; 0 = all)",
    )
    show.set_defaults(handler=show_session)


def list_sessions(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id, validate=False)
        page = user.list_sessions(limit=page_size(args.limit, 100), status_filter=args.status)
        total = page.total
        out.table(
            (_records.session(s) for s in take(page, args.limit)),
            COLUMNS,
            title=f"Sessions of {args.user_id}",
            footer=lambda shown: count_note(shown, total, args.limit),
        )
    return ExitCode.OK


def show_session(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id, validate=False)
        session = user.get_session(args.session_id)
        record = _records.session(session)
        page = session.get_messages(limit=page_size(args.messages, 200))
        record["message_count"] = page.total
        messages = [
            _records.message(args.user_id, session.session_id, m) for m in take(page, args.messages)
        ]
    if out.json:
        out.line({**record, "messages": messages})
        return ExitCode.OK
    fields = [(name, _getter(name)) for name in record]
    out.details(record, fields, title=f"Session {session.session_id}")
    out.heading("Messages")
    rows = ({"index": i, **m} for i, m in enumerate(messages, 1))
    out.table(
        rows,
        MESSAGE_COLUMNS,
        footer=lambda shown: count_note(shown, record["message_count"], args.messages),
    )
    return ExitCode.OK


def _getter(name: str) -> Any:
    return lambda record: record[name]
