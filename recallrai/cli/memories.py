"""``recallrai memories list|show``: a user's memories, one memory's versions and links."""

from __future__ import annotations

import argparse
from typing import Any

from . import _records
from ._common import add_limit, page_size, take
from ._config import sync_client
from ._errors import ExitCode
from ._output import Output, count_note, when

COLUMNS = [
    ("memory", lambda r: r["memory_id"]),
    ("categories", lambda r: ", ".join(r["categories"])),
    ("version", lambda r: f"{r['version_number']}/{r['total_versions']}"),
    ("created", lambda r: when(r["created_at"])),
    ("content", lambda r: r["content"]),
]
VERSION_COLUMNS = [
    ("version", lambda r: r["version_number"]),
    ("memory", lambda r: r["memory_id"]),
    ("created", lambda r: when(r["created_at"])),
    ("expired", lambda r: when(r["expired_at"])),
    ("reason", lambda r: r["expiration_reason"]),
    ("content", lambda r: r["content"]),
]
CONNECTED_COLUMNS = [
    ("memory", lambda r: r["memory_id"]),
    ("content", lambda r: r["content"]),
]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    memories = commands.add_parser("memories", help="list and show a user's memories")
    sub = memories.add_subparsers(dest="action", metavar="ACTION", required=True)

    list_ = sub.add_parser("list", parents=[common], help="a user's current memories")
    list_.add_argument("user_id", metavar="USER")
    list_.add_argument(
        "--category",
        action="append",
        dest="categories",
        metavar="NAME",
        help="only memories in this category (repeatable)",
    )
    list_.add_argument(
        "--session",
        action="append",
        dest="sessions",
        metavar="SESSION",
        help="only memories from this session (repeatable)",
    )
    add_limit(list_)
    list_.set_defaults(handler=list_memories)

    show = sub.add_parser(
        "show", parents=[common], help="one memory: its version chain and connected memories"
    )
    show.add_argument("user_id", metavar="USER")
    show.add_argument("memory_id", metavar="MEMORY", help="the id of any of its versions")
    show.set_defaults(handler=show_memory)


def list_memories(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id, validate=False)
        page = user.list_memories(
            categories=args.categories,
            session_id_filter=args.sessions,
            limit=page_size(args.limit, 200),
            include_previous_versions=out.json,
            include_connected_memories=out.json,
        )
        total = page.total
        out.table(
            (_records.memory(args.user_id, m) for m in take(page, args.limit)),
            COLUMNS,
            title=f"Memories of {args.user_id}",
            footer=lambda shown: count_note(shown, total, args.limit),
        )
    return ExitCode.OK


def show_memory(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        memory = client.get_user(args.user_id, validate=False).get_memory(args.memory_id)
    record = _records.memory(args.user_id, memory)
    if out.json:
        out.line(record)
        return ExitCode.OK
    skip = {"previous_versions", "connected_memories", "content"}
    fields = [("content", _getter("content"))] + [
        (name, _getter(name)) for name in record if name not in skip
    ]
    out.details(record, fields, title=f"Memory {memory.memory_id}")
    current = {
        "version_number": record["version_number"],
        "memory_id": record["memory_id"],
        "created_at": record["created_at"],
        "expired_at": record["expired_at"],
        "expiration_reason": record["expiration_reason"],
        "content": record["content"],
    }
    chain = sorted(record["previous_versions"] or [], key=lambda v: v["version_number"])
    out.heading("Versions (oldest first)")
    out.table([*chain, current], VERSION_COLUMNS)
    connected = record["connected_memories"] or []
    out.heading("Connected memories")
    if connected:
        out.table(connected, CONNECTED_COLUMNS)
    else:
        out.console.print("none", style="dim")
    return ExitCode.OK


def _getter(name: str) -> Any:
    return lambda record: record[name]
