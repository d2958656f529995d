"""``recallrai context USER SESSION``: the recalled context, as the app would get it."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import _records
from ._config import sync_client
from ._errors import CLIError, ExitCode
from ._output import Output

STRATEGIES = ("low_latency", "balanced", "agentic", "auto")


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "context",
        parents=[common],
        help="the context recalled for a session",
        description="Print the context recalled for a session (what get_context returns). "
        "With --stream, print the status events as they arrive (to stderr on a terminal).",
    )
    parser.add_argument("user_id", metavar="USER")
    parser.add_argument("session_id", metavar="SESSION")
    parser.add_argument("--strategy", choices=STRATEGIES, default="balanced")
    parser.add_argument("--min-top-k", type=int, default=15, metavar="N", help="5..50 (15)")
    parser.add_argument("--max-top-k", type=int, default=50, metavar="N", help="10..100 (50)")
    parser.add_argument(
        "--memories-threshold", type=float, default=0.6, metavar="X", help="0.2..0.8 (0.6)"
    )
    parser.add_argument(
        "--summaries-threshold", type=float, default=0.5, metavar="X", help="0.2..0.8 (0.5)"
    )
    parser.add_argument("--last-n-messages", type=int, metavar="N", help="1..100")
    parser.add_argument("--last-n-summaries", type=int, metavar="N", help="1..20")
    parser.add_argument("--timezone", metavar="TZ", help="IANA name, e.g. Europe/Berlin")
    parser.add_argument(
        "--no-system-prompt", action="store_true", help="the context alone, without the prompt"
    )
    parser.add_argument(
        "--metadata-ids", action="store_true", help="include memory and session ids"
    )
    parser.add_argument("--stream", action="store_true", help="stream the status events (SSE)")
    parser.set_defaults(handler=show_context)


def show_context(args: argparse.Namespace) -> int:
    out = Output(args)
    params = {
        "recall_strategy": args.strategy,
        "min_top_k": args.min_top_k,
        "max_top_k": args.max_top_k,
        "memories_threshold": args.memories_threshold,
        "summaries_threshold": args.summaries_threshold,
        "last_n_messages": args.last_n_messages,
        "last_n_summaries": args.last_n_summaries,
        "timezone": args.timezone,
        "include_system_prompt": not args.no_system_prompt,
        "include_metadata_ids": args.metadata_ids,
    }
    with sync_client(args) as client:
        session = client.get_user(args.user_id, validate=False).get_session(
            args.session_id, validate=False
        )
        if not args.stream:
            context = session.get_context(**params)
            _print_final(out, context)
            return ExitCode.OK
        final = None
        for event in session.get_context_stream(**params):
            if out.json:
                out.line(_records.context(event))
                out.stdout.flush()
            elif event.is_final:
                final = event
            elif event.status_update_message:
                sys.stderr.write(f"… {event.status_update_message}\n")
                sys.stderr.flush()
            if event.error_message:
                raise CLIError(f"context failed: {event.error_message}", ExitCode.API_ERROR)
        if final is not None:
            _print_final(out, final)
    return ExitCode.OK


def _print_final(out: Output, context: Any) -> None:
    if out.json:
        out.line(_records.context(context))
        return
    out.stdout.write(context.context.rstrip("\n") + "\n")
    metadata = context.metadata
    if metadata is not None and (metadata.memory_ids or metadata.recall_strategy_used):
        used = metadata.recall_strategy_used
        notes = [f"strategy: {used.value}" if used is not None else ""]
        if metadata.memory_ids:
            notes.append(f"memories: {', '.join(metadata.memory_ids)}")
        sys.stderr.write("  ".join(n for n in notes if n) + "\n")
