"""``recallrai serve``: the local RecallrAI server (``python -m recallrai.local serve``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    # Listed for --help only: main() hands `serve` and everything after it to the
    # local server's own command line, which owns its flags and its --help.
    commands.add_parser(
        "serve",
        help="run the local RecallrAI server (see recallrai serve --help)",
        add_help=False,
    )


def delegate(argv: Sequence[str]) -> int:
    """Run the local server with these arguments, as `python -m recallrai.local serve`."""
    from recallrai.local.__main__ import main

    return int(main(["serve", *argv]))
