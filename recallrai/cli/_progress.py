"""Progress on stderr: a rich bar on a terminal, a plain line every few seconds otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class Progress:
    """Counts ``unit``s done out of ``total`` (``None``: unknown) and shows the rate."""

    def __init__(
        self,
        label: str,
        total: int | None,
        unit: str,
        *,
        interval: float = 5.0,
        note: Callable[[], str] | None = None,
        tty: bool | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.interval = interval
        self.note = note
        self.started = time.monotonic()
        self._last = self.started
        self._bar: Any = None
        self._task: Any = None
        if sys.stderr.isatty() if tty is None else tty:
            self._start_bar()

    def _start_bar(self) -> None:
        from rich import progress as bar
        from rich.console import Console

        self._bar = bar.Progress(
            bar.TextColumn("{task.description}"),
            bar.BarColumn(),
            bar.MofNCompleteColumn(),
            bar.TextColumn(f"{self.unit} {{task.fields[rate]}}"),
            bar.TextColumn("ETA"),
            bar.TimeRemainingColumn(),
            bar.TimeElapsedColumn(),
            bar.TextColumn("{task.fields[note]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total, rate="", note="")

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self._bar is not None:
            if now - self._last >= 0.1:
                self._last = now
                self._bar.update(
                    self._task,
                    completed=self.done,
                    rate=f"{self.rate():,.0f}/s",
                    note=self.note() if self.note else "",
                )
        elif now - self._last >= self.interval:
            self._last = now
            self._print()

    def _print(self) -> None:
        rate = self.rate()
        text = f"{self.label}: {self.done:,}"
        if self.total:
            percent = 100 * self.done / self.total
            text += f"/{self.total:,} {self.unit} ({percent:.0f}%)"
        else:
            text += f" {self.unit}"
        text += f", {rate:,.0f} {self.unit}/s"
        if self.total and rate > 0 and self.done < self.total:
            text += f", ETA {_clock((self.total - self.done) / rate)}"
        if self.note:
            text += f", {self.note()}"
        sys.stderr.write(text + "\n")
        sys.stderr.flush()

    def close(self, final_line: bool = True) -> None:
        """Stop the bar; without a terminal, print the final count (if ``final_line``)."""
        if self._bar is not None:
            self._bar.update(
                self._task,
                completed=self.done,
                rate=f"{self.rate():,.0f}/s",
                note=self.note() if self.note else "",
            )
            self._bar.stop()
            self._bar = None
        elif final_line:
            self._print()
