"""``recallrai users list|show|delete``."""

from __future__ import annotations

import argparse
from typing import Any

from . import _records
from ._common import add_limit, confirm, json_object, page_size, take
from ._config import sync_client
from ._errors import ExitCode
from ._output import Output, count_note, when

COLUMNS = [
    ("user", lambda r: r["user_id"]),
    ("created", lambda r: when(r["created_at"])),
    ("last active", lambda r: when(r["last_active_at"])),
    ("conflicts on", lambda r: r["merge_conflict_enabled"]),
    ("metadata", lambda r: r["metadata"]),
]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    users = commands.add_parser("users", help="list, show and delete users")
    sub = users.add_subparsers(dest="action", metavar="ACTION", required=True)

    list_ = sub.add_parser("list", parents=[common], help="list users")
    add_limit(list_)
    list_.add_argument("--offset", type=int, default=0, help="skip this many first")
    list_.add_argument("--metadata-filter", type=json_object, metavar="JSON")
    list_.set_defaults(handler=list_users)

    show = sub.add_parser("show", parents=[common], help="one user, with counts")
    show.add_argument("user_id", metavar="USER")
    show.set_defaults(handler=show_user)

    delete = sub.add_parser("delete", parents=[common], help="delete a user with all their data")
    delete.add_argument("user_id", metavar="USER")
    delete.add_argument("--yes", "-y", action="store_true", help="do not ask")
    delete.set_defaults(handler=delete_user)


def list_users(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        page = client.list_users(
            offset=args.offset,
            limit=page_size(args.limit, 100),
            metadata_filter=args.metadata_filter,
        )
        total = page.total
        rows = (_records.user(u) for u in take(page, args.limit))
        out.table(
            rows,
            COLUMNS,
            title="Users",
            footer=lambda shown: count_note(shown, total - args.offset, args.limit),
        )
    return ExitCode.OK


def show_user(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id)
        record = _records.user(user)
        record["sessions"] = user.list_sessions(limit=1).total
        record["memories"] = user.list_memories(
            limit=1, include_previous_versions=False, include_connected_memories=False
        ).total
        record["pending_conflicts"] = user.list_merge_conflicts(limit=1, status="PENDING").total
    fields = [(name, _getter(name)) for name in record]
    out.details(record, fields, title=f"User {args.user_id}")
    return ExitCode.OK


def delete_user(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id)
        confirm(f"Delete user {args.user_id!r} and all their data", args.yes)
        user.delete()
    if out.json:
        out.line({"deleted": args.user_id})
    else:
        out.console.print(f"Deleted user {args.user_id}", markup=False)
    return ExitCode.OK


def _getter(name: str) -> Any:
    return lambda record: record[name]
