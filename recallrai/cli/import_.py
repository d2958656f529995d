"""``recallrai import FILE``: load chat history, concurrently, resumably, exactly once.

The whole file is checked first (see ``_sources``); with ``--on-error stop`` (the
default) a bad line stops the run before anything is sent. Then sessions are filled
by ``--concurrency`` workers on one async client, each session's messages in order,
and each finished session is processed at the end (unless ``--no-process``).

Every step lands in a journal (``_journal``). Run the same command again after a
crash, Ctrl-C or network loss and it continues: finished sessions are skipped, a
half-filled one is compared with the server's messages and completed, and a message
whose answer was lost is looked for on the server before it is sent again. Nothing is
stored twice.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ._common import positive
from ._config import target
from ._errors import CLIError, ExitCode, describe
from ._output import Output

if TYPE_CHECKING:
    from ._sources import Plan

FORMATS = ("auto", "jsonl", "openai", "chatgpt")  # read by _sources

# Sessions wait this long (the API's maximum) before the service processes them by
# itself: a session left half-filled by an interrupted import is never processed early.
AUTO_PROCESS_AFTER = 31_536_000
SHOWN_PROBLEMS = 20


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "import",
        parents=[common],
        help="import chat history (JSONL, OpenAI chat format, ChatGPT export)",
        description="Import conversations as sessions with their messages, keeping their "
        "original start time, then process them into memories. Re-running the same command "
        "continues an interrupted import; nothing is stored twice.",
        epilog="formats: jsonl = one message per line: "
        '{"user_id": "alice", "session": "s1", "role": "user", "content": "...", '
        '"timestamp": "2024-05-01T10:00:00Z"} (also what `recallrai export` writes); '
        'openai = one {"messages": [{"role", "content"}, ...]} per line, or a .json list '
        "of them; chatgpt = ChatGPT's conversations.json. openai and chatgpt need --user.",
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--format", choices=FORMATS, default="auto", help="(auto: detected)")
    parser.add_argument(
        "--user", metavar="USER", help="the user to import into (when the file names none)"
    )
    parser.add_argument(
        "--concurrency", type=positive, default=4, metavar="N", help="sessions in flight (4)"
    )
    parser.add_argument(
        "--no-process", action="store_true", help="leave the sessions pending, unprocessed"
    )
    parser.add_argument(
        "--auto-process-after",
        type=positive,
        default=AUTO_PROCESS_AFTER,
        metavar="SECONDS",
        help="the sessions' auto_process_after_seconds (default: one year, the maximum)",
    )
    parser.add_argument(
        "--on-error",
        choices=("stop", "skip"),
        default="stop",
        help="a bad line or a failed session: stop (default; a bad line stops before "
        "anything is sent) or skip it and go on",
    )
    parser.add_argument(
        "--state",
        metavar="PATH",
        help="the journal file, or a directory for it (default: next to FILE)",
    )
    parser.add_argument("--check", action="store_true", help="only check the file; send nothing")
    parser.add_argument(
        "--progress-interval",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="how often to print progress when stderr is not a terminal (5)",
    )
    parser.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    out = Output(args)
    from pathlib import Path

    path = Path(args.file)
    state_option = Path(args.state) if args.state else None
    if path.is_dir():
        raise CLIError(f"cannot read {path}: it is a directory")
    if not path.is_file():
        raise CLIError(f"cannot read {path}: no such file")
    base_url, project_id = target(args)
    import asyncio

    from ._importer import Importer, Summary
    from ._sources import read_plan

    try:
        plan = read_plan(path, args.format, args.user)
    except OSError as error:
        raise CLIError(f"cannot read {path}: {error.strerror or error}") from None
    _report_problems(plan)
    if plan.problems and (args.on_error == "stop" or args.check):
        raise CLIError(
            f"{path}: {len(plan.problems)} bad line(s), nothing imported "
            "(fix them, or pass --on-error skip to import the rest)"
        )
    if args.check:
        out_record = {"file": str(path), "format": plan.format, "users": len(plan.users)}
        out_record |= {"sessions": len(plan.sessions), "messages": plan.messages}
        _print_summary(out, out_record)
        return ExitCode.OK

    from ._journal import Journal, default_path, import_key

    key = import_key(plan.sha256, base_url, project_id, plan.format, args.user)
    state = default_path(path, key, state_option)
    header = {
        "recallrai_import": 1,
        "key": key,
        "input": str(path.resolve()),
        "input_sha256": plan.sha256,
        "base_url": base_url,
        "project_id": project_id,
        "format": plan.format,
        "user": args.user,
    }
    journal = Journal(state, header)
    summary = Summary(lines_skipped=len(plan.problems), not_imported=dict(plan.skipped))
    stopped: str | None = None
    code = ExitCode.OK
    try:
        importer = Importer(args, plan, journal, summary)
        try:
            asyncio.run(importer.run())
        except KeyboardInterrupt:
            stopped = "interrupted: run the same command again to continue"
            code = ExitCode.INTERRUPTED
        if importer.fatal is not None:
            message, code = describe(importer.fatal)
            stopped = f"{message}; run the same command again to continue"
    finally:
        journal.close()
    record = summary.record(plan, state, stopped)
    _print_summary(out, record)
    if stopped is not None:
        from ._output import err

        err(stopped)
        return int(code)
    return ExitCode.PARTIAL if summary.failed or plan.problems else ExitCode.OK


def _report_problems(plan: Plan) -> None:
    from ._output import err

    for where, problem in plan.problems[:SHOWN_PROBLEMS]:
        err(f"{plan.path}: {where}: {problem}")
    if len(plan.problems) > SHOWN_PROBLEMS:
        err(f"{plan.path}: ... and {len(plan.problems) - SHOWN_PROBLEMS} more bad line(s)")


def _print_summary(out: Output, record: dict[str, Any]) -> None:
    if out.json:
        out.line(record)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Import", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for name, value in record.items():
        if name == "failures":
            for failure in value:
                table.add_row("failed", Text(f"{failure['where']}: {failure['error']}"))
            continue
        if name == "not_imported":
            for what, count in value.items():
                table.add_row("not imported", Text(f"{count:,} {what}"))
            continue
        if value is None:
            continue
        shown = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
        table.add_row(name.replace("_", " "), Text(str(shown)))
    out.console.print(table)
