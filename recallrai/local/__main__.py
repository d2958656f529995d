"""Command line: `python -m recallrai.local serve [--port N] [--db FILE] ...`."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m recallrai.local", description="The local RecallrAI server."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the RecallrAI API on loopback")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port; 0 picks a free one (8000)")
    serve.add_argument("--db", default=":memory:", help="SQLite file to persist to (in memory)")
    serve.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        metavar="KEY",
        help="accept only this key (repeatable); default: any rai_ key",
    )
    serve.add_argument(
        "--merge-conflicts",
        action="store_true",
        help="raise merge conflicts by default for users without their own setting",
    )
    serve.add_argument(
        "--manual-clock",
        action="store_true",
        help="freeze time; move it with POST /_local/clock/advance",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def serve(args: argparse.Namespace) -> int:
    """Run the server until Ctrl-C or SIGTERM.

    Due work (auto-processing idle sessions, finishing `process` calls) is done
    by the app's own background worker.
    """
    from ._app import LocalApp
    from ._clock import ManualClock
    from ._http import LocalServer

    app = LocalApp(
        args.db,
        api_keys=args.api_keys,
        clock=ManualClock() if args.manual_clock else None,
        merge_conflicts_default=args.merge_conflicts,
    )
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    server = LocalServer(app, args.host, args.port, verbose=args.verbose).start()
    print(f"RecallrAI local server listening on {server.url}", flush=True)
    try:
        while not stopping.wait(0.5):
            pass
    finally:
        stopping.set()
        server.stop()
        app.close()
    print("RecallrAI local server stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m recallrai.local`."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    if args.command == "serve":
        return serve(args)
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
