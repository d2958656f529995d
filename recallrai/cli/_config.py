"""Connection settings, as the SDK takes them: flags first, then ``RECALLRAI_*`` variables."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

from ._errors import CLIError, ExitCode

if TYPE_CHECKING:
    from recallrai import AsyncRecallrAI, RecallrAI

# Flags every command accepts, before or after the command name. They default to
# SUPPRESS so that a subcommand's copy does not overwrite a value given before it.
_OPTIONS: list[tuple[tuple[str, ...], dict[str, Any]]] = [
    (("--api-key",), {"metavar": "KEY", "help": "API key (default: $RECALLRAI_API_KEY)"}),
    (
        ("--project-id",),
        {"metavar": "ID", "help": "project id (default: $RECALLRAI_PROJECT_ID)"},
    ),
    (
        ("--base-url",),
        {
            "metavar": "URL",
            "help": "API address (default: $RECALLRAI_BASE_URL, else https://api.recallrai.com)",
        },
    ),
    (("--timeout",), {"type": float, "metavar": "SECONDS", "help": "per-request timeout (60)"}),
    (
        ("--max-retries",),
        {"type": int, "metavar": "N", "help": "retries of transient failures (2)"},
    ),
    (("--json",), {"action": "store_true", "help": "JSON output (the default when piped)"}),
    (("--debug",), {"action": "store_true", "help": "log requests; show tracebacks"}),
]


def add_global_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("connection and output")
    for flags, kwargs in _OPTIONS:
        group.add_argument(*flags, default=argparse.SUPPRESS, **kwargs)


def option(args: argparse.Namespace, name: str, default: Any = None) -> Any:
    return getattr(args, name, default)


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    api_key = option(args, "api_key") or os.environ.get("RECALLRAI_API_KEY")
    project_id = option(args, "project_id") or os.environ.get("RECALLRAI_PROJECT_ID")
    if not api_key:
        raise CLIError("no API key: set RECALLRAI_API_KEY or pass --api-key")
    if not api_key.startswith("rai_"):
        raise CLIError("the API key must start with 'rai_'")
    if not project_id:
        raise CLIError("no project id: set RECALLRAI_PROJECT_ID or pass --project-id")
    base_url = option(args, "base_url") or os.environ.get("RECALLRAI_BASE_URL") or None
    if base_url is not None and ("?" in base_url or "#" in base_url):
        # Said here, not by the SDK, whose message repeats the URL with any password in it.
        raise CLIError(f"the base URL must not have a query or fragment: {public_url(base_url)}")
    settings: dict[str, Any] = {"api_key": api_key, "project_id": project_id, "base_url": base_url}
    timeout = option(args, "timeout")
    if timeout is not None:
        if timeout <= 0:
            raise CLIError("--timeout must be a positive number of seconds")
        settings["timeout"] = timeout
    retries = option(args, "max_retries")
    if retries is not None:
        if retries < 0:
            raise CLIError("--max-retries must be 0 or more")
        settings["max_retries"] = retries
    return settings


def sync_client(args: argparse.Namespace) -> RecallrAI:
    """The SDK client these flags and variables describe."""
    from recallrai import RecallrAI

    return RecallrAI(**_settings(args))


def async_client(args: argparse.Namespace) -> AsyncRecallrAI:
    """The async SDK client these flags and variables describe."""
    from recallrai import AsyncRecallrAI

    return AsyncRecallrAI(**_settings(args))


def target(args: argparse.Namespace) -> tuple[str, str]:
    """(base URL, project id) that a client from ``args`` talks to (never the key, nor
    a ``user:password@`` or query the URL carries: this is stored and shown)."""
    settings = _settings(args)
    from recallrai._core import DEFAULT_BASE_URL

    return public_url(settings["base_url"] or DEFAULT_BASE_URL), settings["project_id"]


def public_url(url: str) -> str:
    """``url`` without its credentials, query and fragment: scheme, host, port, path."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "(an invalid URL)"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", "")).rstrip("/")


def require(condition: bool, message: str) -> None:
    if not condition:
        raise CLIError(message, ExitCode.USAGE)
