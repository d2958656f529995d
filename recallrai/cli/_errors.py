"""Exit codes, and the one-line message for every failure.

0    success
1    the API or the network failed (or an unexpected error)
2    usage: bad arguments, configuration or input file
3    not found: the user, session, memory or conflict does not exist
4    partly done: an import or export finished, but skipped or failed some records
5    authentication: the API key or project id was rejected
130  interrupted (Ctrl-C)
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    API_ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    PARTIAL = 4
    AUTH = 5
    INTERRUPTED = 130


class CLIError(Exception):
    """A failure the command line reports in one line and exits with ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def describe(error: BaseException) -> tuple[str, ExitCode]:
    """The one-line message and exit code for ``error``."""
    if isinstance(error, CLIError):
        return error.message, error.code
    from .. import exceptions as exc

    if isinstance(error, exc.RecallrAIError):
        text = _one_line(str(error))
        invalid = getattr(error, "invalid_categories", None)
        if isinstance(error, exc.InvalidCategoriesError) and invalid:
            text = f"{text}: {', '.join(map(repr, invalid))}"
        if isinstance(
            error,
            exc.UserNotFoundError
            | exc.SessionNotFoundError
            | exc.MemoryNotFoundError
            | exc.MergeConflictNotFoundError,
        ):
            return text, ExitCode.NOT_FOUND
        if isinstance(error, exc.AuthenticationError):
            return text, ExitCode.AUTH
        if isinstance(error, exc.ValidationError | exc.InvalidCategoriesError):
            return text, ExitCode.USAGE
        return text, ExitCode.API_ERROR
    if isinstance(error, EOFError):
        return "input ended before an answer was given", ExitCode.USAGE
    if isinstance(error, KeyboardInterrupt):
        return "interrupted", ExitCode.INTERRUPTED
    if isinstance(error, OSError):
        return _one_line(str(error) or type(error).__name__), ExitCode.API_ERROR
    name = type(error).__name__
    return (
        f"internal error: {name}: {_one_line(str(error))} (--debug shows the traceback)",
        ExitCode.API_ERROR,
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
