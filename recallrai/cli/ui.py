"""``recallrai ui``: the local web UI over the configured API (from ``recallrai.ui``)."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from ._common import port
from ._config import sync_client
from ._errors import CLIError, ExitCode


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "ui", parents=[common], help="browse users, sessions and memories in a web page"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=port, default=0, help="port; 0 picks a free one (0)")
    parser.add_argument(
        "--token",
        help="access token for the page, 16+ characters (default: none on loopback,"
        " a random one printed at start on any other host)",
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.set_defaults(handler=run_ui)


def run_ui(args: argparse.Namespace) -> int:
    try:
        ui: Any = importlib.import_module("recallrai.ui")
    except ModuleNotFoundError as error:
        if error.name not in ("recallrai.ui", "recallrai"):
            raise
        raise CLIError(
            "the web UI is not part of this installation (recallrai.ui is missing)",
            ExitCode.API_ERROR,
        ) from None
    client = sync_client(args)
    try:
        ui.run(
            client,
            host=args.host,
            port=args.port,
            token=args.token,
            open_browser=not args.no_browser,
        )
    except ValueError as error:  # the inspector refuses a weak token, naming the rule
        raise CLIError(str(error), ExitCode.USAGE) from None
    except OSError as error:  # the port is taken, or the host cannot be bound
        reason = error.strerror or str(error)
        raise CLIError(
            f"cannot listen on {args.host}:{args.port}: {reason}", ExitCode.API_ERROR
        ) from None
    finally:
        client.close()
    return ExitCode.OK
