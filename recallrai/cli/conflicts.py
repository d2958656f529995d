"""``recallrai conflicts list|show|resolve``: merge conflicts, resolved by hand or by script."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from . import _records
from ._common import add_limit, page_size, prompt, say, take
from ._config import sync_client
from ._errors import CLIError, ExitCode
from ._output import Output, count_note, when

STATUSES = ("PENDING", "IN_QUEUE", "RESOLVING", "RESOLVED", "FAILED")

COLUMNS = [
    ("conflict", lambda r: r["conflict_id"]),
    ("status", lambda r: r["status"]),
    ("created", lambda r: when(r["created_at"])),
    ("proposed memory", lambda r: r["proposed_memory_content"]),
    ("questions", lambda r: len(r["clarifying_questions"])),
]


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    conflicts = commands.add_parser("conflicts", help="list, show and resolve merge conflicts")
    sub = conflicts.add_subparsers(dest="action", metavar="ACTION", required=True)

    list_ = sub.add_parser("list", parents=[common], help="a user's merge conflicts")
    list_.add_argument("user_id", metavar="USER")
    list_.add_argument("--status", type=str.upper, choices=STATUSES, help="only this status")
    add_limit(list_)
    list_.set_defaults(handler=list_conflicts)

    show = sub.add_parser("show", parents=[common], help="one conflict with its questions")
    show.add_argument("user_id", metavar="USER")
    show.add_argument("conflict_id", metavar="CONFLICT")
    show.set_defaults(handler=show_conflict)

    resolve = sub.add_parser(
        "resolve",
        parents=[common],
        help="answer a conflict's questions",
        description="Answer each clarifying question. On a terminal, without --answer, "
        "each question is asked with numbered options. In scripts pass --answer 'Q=A' "
        "for every question: Q is the question's text or number, A an option's text or number.",
    )
    resolve.add_argument("user_id", metavar="USER")
    resolve.add_argument("conflict_id", metavar="CONFLICT")
    resolve.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="Q=A",
        help="an answer (repeatable), e.g. --answer '1=2' or --answer 'Where do you live?=Paris'",
    )
    resolve.add_argument("--message", help="a note sent with every answer")
    resolve.set_defaults(handler=resolve_conflict)


def list_conflicts(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        user = client.get_user(args.user_id, validate=False)
        page = user.list_merge_conflicts(limit=page_size(args.limit, 100), status=args.status)
        total = page.total
        out.table(
            (_records.conflict(c) for c in take(page, args.limit)),
            COLUMNS,
            title=f"Merge conflicts of {args.user_id}",
            footer=lambda shown: count_note(shown, total, args.limit),
        )
    return ExitCode.OK


def show_conflict(args: argparse.Namespace) -> int:
    out = Output(args)
    with sync_client(args) as client:
        conflict = client.get_user(args.user_id, validate=False).get_merge_conflict(
            args.conflict_id
        )
    _show(out, _records.conflict(conflict))
    return ExitCode.OK


def _show(out: Output, record: dict[str, Any]) -> None:
    if out.json:
        out.line(record)
        return
    names = [
        "conflict_id",
        "session_id",
        "status",
        "proposed_memory_content",
        "created_at",
        "resolved_at",
        "resolution_data",
    ]
    out.details(record, [(n, _getter(n)) for n in names], title="Merge conflict")
    if record["conflicting_memories"]:
        out.heading("Conflicts with")
        out.table(
            record["conflicting_memories"],
            [
                ("memory", _getter("memory_id")),
                ("content", _getter("content")),
                ("reason", _getter("reason")),
            ],
        )
    for number, question in enumerate(record["clarifying_questions"], 1):
        out.heading(f"Question {number}: {question['question']}")
        for index, option in enumerate(question["options"], 1):
            out.console.print(f"  {index}. {option}", markup=False, highlight=False)


def resolve_conflict(args: argparse.Namespace) -> int:
    from recallrai.models import MergeConflictAnswer

    out = Output(args)
    with sync_client(args) as client:
        conflict = client.get_user(args.user_id, validate=False).get_merge_conflict(
            args.conflict_id
        )
        if conflict.status.value == "RESOLVED":
            raise CLIError(f"conflict {conflict.conflict_id} is already resolved")
        questions = [(q.question, list(q.options)) for q in conflict.clarifying_questions]
        chosen = parse_answers(args.answer, questions)
        missing = [q for q, _ in questions if q not in chosen]
        messages: dict[str, str | None] = {q: args.message for q, _ in questions}
        if missing:
            if not sys.stdin.isatty():
                listed = "; ".join(f"{i}. {q}" for i, (q, _) in enumerate(questions, 1))
                raise CLIError(
                    f"no answer for {len(missing)} question(s) and stdin is not a terminal: "
                    f"pass --answer 'Q=A' for each ({listed})"
                )
            for number, (question, options) in enumerate(questions, 1):
                if question in chosen:
                    continue
                chosen[question] = _ask(number, question, options)
                if args.message is None:
                    note = prompt("  a message with this answer (optional, Enter to skip): ")
                    messages[question] = note.strip() or None
        answers = [
            MergeConflictAnswer(question=q, answer=chosen[q], message=messages[q])
            for q, _ in questions
        ]
        conflict.resolve(answers)
        record = _records.conflict(conflict)
    if out.json:
        out.line(record)
    else:
        out.console.print(
            f"Resolved {record['conflict_id']}: status {record['status']}", markup=False
        )
    return ExitCode.OK


def parse_answers(raw: list[str], questions: list[tuple[str, list[str]]]) -> dict[str, str]:
    """``Q=A`` strings to {question: option}; Q and A are texts or 1-based numbers.

    A question or an answer may itself contain ``=``: every split point is tried and
    the one whose left side names a question (and right side an option) wins.
    """
    chosen: dict[str, str] = {}
    for text in raw:
        match: tuple[str, str | None] | None = None
        parts = text.split("=")
        for cut in range(1, len(parts)):
            question = _pick("=".join(parts[:cut]), [q for q, _ in questions])
            if question is None:
                continue
            options = dict(questions)[question]
            answer = _pick("=".join(parts[cut:]), options)
            if answer is not None:
                match = (question, answer)
                break
            if match is None:
                match = (question, None)
        if match is None:
            listed = "; ".join(f"{i}. {q}" for i, (q, _) in enumerate(questions, 1))
            raise CLIError(f"--answer {text!r}: no such question (questions: {listed})")
        question, answer = match
        if answer is None:
            options = dict(questions)[question]
            listed = "; ".join(f"{i}. {o}" for i, o in enumerate(options, 1))
            raise CLIError(f"--answer {text!r}: not an option of {question!r} (options: {listed})")
        chosen[question] = answer
    return chosen


def _pick(text: str, choices: list[str]) -> str | None:
    """``text`` as one of ``choices``: the exact text, else its 1-based number."""
    stripped = text.strip()
    for choice in choices:
        if choice in (text, stripped):
            return choice
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        return choices[int(stripped) - 1]
    return None


def _ask(number: int, question: str, options: list[str]) -> str:
    say(f"\nQuestion {number}: {question}")
    for index, option in enumerate(options, 1):
        say(f"  {index}. {option}")
    while True:
        picked = _pick(prompt(f"Answer [1-{len(options)}]: "), options)
        if picked is not None:
            return picked
        say(f"  please type a number from 1 to {len(options)}, or an option's text")


def _getter(name: str) -> Any:
    return lambda record: record[name]
