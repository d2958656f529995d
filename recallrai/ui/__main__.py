"""`python -m recallrai.ui [--host H] [--port N] [--token T] [--no-browser]`.

The client comes from RECALLRAI_API_KEY, RECALLRAI_PROJECT_ID and RECALLRAI_BASE_URL.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m recallrai.ui",
        description="The RecallrAI memory inspector: a local page over the RECALLRAI_* client.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (0)")
    parser.add_argument(
        "--token", default=None, help="access token (required and made up when not loopback)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="print the URL without opening a browser"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from recallrai import RecallrAI
    from recallrai.exceptions import RecallrAIError

    from . import run

    try:
        client = RecallrAI()
    except RecallrAIError as error:
        print(f"python -m recallrai.ui: {error.message}", file=sys.stderr)
        return 2
    try:
        run(
            client,
            host=args.host,
            port=args.port,
            token=args.token,
            open_browser=not args.no_browser,
        )
    except (OSError, ValueError) as error:
        print(f"python -m recallrai.ui: {error}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
