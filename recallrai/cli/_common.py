"""Pieces the command modules share: argument types, list limits, JSON arguments."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, TypeVar

from ._errors import CLIError, ExitCode

T = TypeVar("T")


def json_object(text: str) -> dict[str, Any]:
    """An argparse type: a JSON object given on the command line."""
    try:
        value = json.loads(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError('must be a JSON object, like \'{"plan": "pro"}\'')
    return value


def non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def positive(text: str) -> int:
    value = non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def port(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    value = non_negative(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text} (0 to 65535)")
    return value


def add_limit(parser: argparse.ArgumentParser, default: int = 50) -> None:
    parser.add_argument(
        "--limit",
        type=non_negative,
        default=default,
        metavar="N",
        help=f"show at most N (default {default}; 0 = all, walking every page)",
    )


def take(items: Iterable[T], limit: int) -> Iterator[T]:
    """The first ``limit`` items (all of them when ``limit`` is 0)."""
    for count, item in enumerate(items, 1):
        yield item
        if limit and count >= limit:
            return


def page_size(limit: int, maximum: int) -> int:
    return maximum if limit == 0 else max(1, min(limit, maximum))


async def atake(items: AsyncIterator[T], limit: int) -> list[T]:
    taken: list[T] = []
    async for item in items:
        taken.append(item)
        if limit and len(taken) >= limit:
            break
    return taken


def confirm(question: str, assume_yes: bool) -> None:
    """Ask on a terminal; without one, ``--yes`` is required."""
    if assume_yes:
        return
    if not sys.stdin.isatty():
        raise CLIError(f"{question}: pass --yes to confirm (stdin is not a terminal)")
    answer = prompt(f"{question} [y/N] ").strip().lower()
    if answer not in ("y", "yes"):
        raise CLIError("cancelled", ExitCode.API_ERROR)


def prompt(text: str) -> str:
    """Ask on stderr and read a line from stdin, so stdout stays clean for the result."""
    sys.stderr.write(text)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def say(text: str = "") -> None:
    sys.stderr.write(text + "\n")
