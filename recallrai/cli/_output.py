"""Where results go: rich tables on a terminal, JSON (one object per line) otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TextIO

from ._config import option

Column = tuple[str, Callable[[dict[str, Any]], Any]]
# Ids and times are read whole or not at all: never folded across lines.
NO_WRAP = frozenset({"user", "session", "memory", "conflict", "created", "time", "version"})


def dumps(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


class Output:
    """Prints records for one command: ``--json`` or a pipe gives JSON lines."""

    def __init__(self, args: argparse.Namespace, stdout: TextIO | None = None) -> None:
        self.stdout = stdout if stdout is not None else sys.stdout
        self.json = bool(option(args, "json")) or not self.stdout.isatty()
        self._console: Any = None

    @property
    def console(self) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(file=self.stdout, highlight=False)
        return self._console

    def line(self, record: Any) -> None:
        """One JSON value on its own line."""
        self.stdout.write(dumps(record) + "\n")

    def table(
        self,
        rows: Iterable[dict[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        footer: Callable[[int], str | None] | None = None,
    ) -> int:
        """Every row: JSON lines when piped, else one table. Returns the row count."""
        count = 0
        if self.json:
            for row in rows:
                self.line(row)
                count += 1
            self.stdout.flush()
            note = footer(count) if footer else None
            if note:  # a pipe must not mistake a first page for everything
                sys.stderr.write(f"recallrai: {note}\n")
            return count
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, title_justify="left", header_style="bold")
        for header, _ in columns:
            if header in NO_WRAP:
                table.add_column(header, no_wrap=True)
            else:
                table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(Text(_cell(get(row))) for _, get in columns))
            count += 1
        self.console.print(table)
        note = footer(count) if footer else None
        if note:
            self.console.print(note, style="dim", markup=False)
        return count

    def details(self, record: dict[str, Any], fields: Sequence[Column], title: str) -> None:
        """One object: JSON when piped, else a two-column table."""
        if self.json:
            self.line(record)
            return
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title, title_justify="left", show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for name, get in fields:
            table.add_row(name, Text(_cell(get(record))))
        self.console.print(table)

    def heading(self, text: str) -> None:
        if not self.json:
            from rich.text import Text

            self.console.print()
            self.console.print(Text(text, style="bold"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return dumps(value) if value else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def when(value: Any) -> str:
    """An ISO time from a record, shortened for a table: ``2024-05-01 10:00:05``."""
    if not isinstance(value, str):
        return ""
    return value[:19].replace("T", " ")


def err(message: str) -> None:
    """One line on stderr."""
    sys.stderr.write(f"recallrai: {message}\n")
    sys.stderr.flush()


def count_note(shown: int, total: int | None, limit: int) -> str | None:
    if total is not None and shown < total:
        return f"{shown} of {total} shown (--limit {min(total, 1000)} or --limit 0 for all)"
    return None
