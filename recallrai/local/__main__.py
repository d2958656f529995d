"""Command line: `python -m recallrai.local serve [--port N] [--db FILE] ...`.

Every mistake (a bad flag, a port in use, a file that is not SQLite) is one line on
stderr and a non-zero exit: 2 for usage, 1 when the server cannot start.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import math
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from recallrai.ui import InspectorServer

PROG = "python -m recallrai.local"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line, not the usage block and a message."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, got {port}")
    return port


def _timeout(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (math.isfinite(seconds) and 0 < seconds <= 3600):
        raise argparse.ArgumentTypeError(f"must be more than 0 and at most 3600 s, got {text}")
    return seconds


def _connections(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= count <= 4096:
        raise argparse.ArgumentTypeError(f"must be 1..4096, got {count}")
    return count


def _api_key(text: str) -> str:
    """A key the server can accept: refused here, at startup, not as 401s later."""
    from ._wire import api_key_problem

    problem = api_key_problem(text)
    if problem is not None:  # the message never repeats the key
        raise argparse.ArgumentTypeError(problem)
    return text


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="The local RecallrAI server.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the RecallrAI API on loopback")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8000, help="port; 0 picks a free one (8000)")
    serve.add_argument("--db", default=":memory:", help="SQLite file to persist to (in memory)")
    serve.add_argument(
        "--api-key",
        action="append",
        dest="api_keys",
        type=_api_key,
        metavar="KEY",
        help="accept only this key (repeatable); default: any rai_ key",
    )
    serve.add_argument(
        "--merge-conflicts",
        action="store_true",
        help="raise merge conflicts by default for users without their own setting",
    )
    serve.add_argument(
        "--test-controls",
        action="store_true",
        help="serve the /_local/* test controls (faults, counters, clock); with --api-key"
        " they need the key too",
    )
    serve.add_argument(
        "--manual-clock",
        action="store_true",
        help="freeze time; move it with POST /_local/clock/advance (needs --test-controls)",
    )
    serve.add_argument(
        "--idle-timeout",
        type=_timeout,
        default=30.0,
        metavar="SECONDS",
        help="close connections idle, or sending one request, this long (30)",
    )
    serve.add_argument(
        "--max-connections",
        type=_connections,
        default=64,
        metavar="N",
        help="connections (and threads) served at once (64)",
    )
    serve.add_argument(
        "--ui",
        action="store_true",
        help="also serve the memory inspector page (on --host, a free port; printed)",
    )
    serve.add_argument(
        "--ui-project",
        default=os.environ.get("RECALLRAI_PROJECT_ID") or "local-project",
        metavar="ID",
        help="the project the inspector shows ($RECALLRAI_PROJECT_ID, else local-project)",
    )
    serve.add_argument("--verbose", action="store_true", help="log every request")
    return parser


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    return 1


def _exposed(host: str) -> bool:
    """Whether `host` is reachable from other machines (not a loopback address)."""
    if host == "localhost":
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name: assume it resolves to a reachable address


def serve(args: argparse.Namespace) -> int:
    """Run the server until Ctrl-C or SIGTERM.

    Due work (auto-processing idle sessions, finishing `process` calls) is done
    by the app's own background worker.
    """
    from ._app import LocalApp
    from ._clock import ManualClock
    from ._http import LocalServer

    if args.manual_clock and not args.test_controls:
        return _fail(
            "--manual-clock needs --test-controls: the clock moves only through"
            " POST /_local/clock/advance"
        )
    stopping = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    try:
        app = LocalApp(
            args.db,
            api_keys=args.api_keys,
            clock=ManualClock() if args.manual_clock else None,
            merge_conflicts_default=args.merge_conflicts,
        )
    except (sqlite3.Error, OSError) as exc:
        return _fail(f"cannot open the database {args.db!r}: {exc}")
    try:
        server = LocalServer(
            app,
            args.host,
            args.port,
            verbose=args.verbose,
            test_controls=args.test_controls,
            idle_timeout=args.idle_timeout,
            max_connections=args.max_connections,
        )
    except OSError as exc:
        _close_app(app)
        reason = exc.strerror or str(exc)
        return _fail(f"cannot listen on {args.host}:{args.port}: {reason}")
    server.start()
    print(f"RecallrAI local server listening on {server.url}", flush=True)
    inspector = _start_inspector(args, server.url) if args.ui else None
    if _exposed(args.host):
        warning = f"warning: listening on {args.host}: other machines can reach this server"
        if not args.api_keys:
            warning += "; it accepts any rai_ key (restrict it with --api-key)"
        if args.test_controls:
            warning += "; the /_local/* test controls are on"
        print(warning, file=sys.stderr, flush=True)
    try:
        while not stopping.wait(0.1):
            pass
    finally:
        if inspector is not None:
            inspector.stop()
        server.stop()
        if not _close_app(app):
            print("warning: background processing was cut short", file=sys.stderr, flush=True)
    print("RecallrAI local server stopped", flush=True)
    return 0


def _start_inspector(args: argparse.Namespace, url: str) -> InspectorServer:
    """The memory inspector over this server, keyed with a key it accepts."""
    from recallrai import RecallrAI
    from recallrai.ui import InspectorServer

    key = args.api_keys[0] if args.api_keys else "rai_local_inspector"
    client = RecallrAI(api_key=key, project_id=args.ui_project, base_url=url)
    inspector = InspectorServer(client, host=args.host).start()
    print(f"RecallrAI memory inspector at {inspector.login_url}", flush=True)
    return inspector


def _close_app(app: object, seconds: float = 0.8) -> bool:
    """Close the app within `seconds` (it may be mid-processing); True if it closed."""
    close = getattr(app, "close", None)
    if not callable(close):
        return True
    closer = threading.Thread(target=close, name="recallrai-local-close", daemon=True)
    closer.start()
    closer.join(seconds)
    return not closer.is_alive()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python -m recallrai.local`."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    try:
        if args.command == "serve":
            return serve(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # no traceback for the user; --verbose keeps it
        if args.verbose:
            logging.getLogger("recallrai.local").exception("the local server failed")
        return _fail(f"{type(exc).__name__}: {exc}")
    return 2  # pragma: no cover - argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
