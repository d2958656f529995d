"""The ``recallrai`` command line: inspect, import, export, and serve locally.

    recallrai users list
    recallrai import history.jsonl --concurrency 8
    recallrai export --all -o backup.jsonl
    recallrai serve --port 8000

Each command group is one module (``users``, ``sessions``, ``memories``, ``context``,
``conflicts``, ``import_``, ``export``, ``serve``, ``ui``) with ``register`` (its
argparse parsers) and handlers that import the SDK and rich only when they run, so
``recallrai --help`` stays fast. Tables and progress bars need the ``cli`` extra.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from .._version import __version__
from ._config import add_global_options, option
from ._errors import CLIError, ExitCode, describe

GROUPS = (
    "users",
    "sessions",
    "memories",
    "context",
    "conflicts",
    "import_",
    "export",
    "serve",
    "ui",
)
INSTALL_HINT = "the command line needs its extra: pip install 'recallrai[cli]'"

EPILOG = """\
configuration: RECALLRAI_API_KEY, RECALLRAI_PROJECT_ID and RECALLRAI_BASE_URL, or the
flags of the same names. Output is a table on a terminal and JSON lines when piped
(or with --json).

exit codes: 0 ok, 1 API or network error, 2 usage or invalid input, 3 not found,
4 partly done (records skipped or failed), 5 authentication rejected, 130 interrupted.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line usage errors and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        where = self.prog.removeprefix("recallrai").strip()
        prefix = f"{where}: " if where else ""
        raise CLIError(f"{prefix}{message} (see --help)", ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="recallrai",
        description="The RecallrAI command line: inspect users, sessions, memories and "
        "conflicts; import chat history; export everything; run the local server.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"recallrai {__version__}")
    add_global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True
    common = argparse.ArgumentParser(add_help=False)
    add_global_options(common)
    for name in GROUPS:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(commands, common)
    return parser


def _rich_missing() -> bool:
    """Whether the ``cli`` extra is missing (looked up, not imported: JSON output to a
    pipe never loads rich)."""
    from importlib.util import find_spec

    try:
        return find_spec("rich") is None
    except ValueError:  # a module without a spec stands in for it
        return False


def _first_command(argv: Sequence[str]) -> str | None:
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns its exit code (see ``recallrai --help``)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list
    try:
        command = _first_command(args_list)
        if command == "serve":  # the local server has its own flags and help
            from . import serve

            index = args_list.index("serve")
            return serve.delegate(args_list[index + 1 :])
        args = build_parser().parse_args(args_list)
        if option(args, "debug"):
            os.environ.setdefault("RECALLRAI_LOG", "debug")
        if _rich_missing():
            raise CLIError(INSTALL_HINT, ExitCode.API_ERROR)
        code: int = args.handler(args)
        return code
    except (Exception, KeyboardInterrupt) as error:  # every failure: one line on stderr
        if isinstance(error, BrokenPipeError):
            _silence_stdout()
            return 141
        if debug:
            import traceback

            traceback.print_exc()
        message, code = describe(error)
        from ._output import err

        err(message)
        return int(code)


def _silence_stdout() -> None:
    """After the reader of a pipe went away (``| head``), drop what is still buffered."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """The console script."""
    sys.exit(main())
