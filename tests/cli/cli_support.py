"""Running `recallrai` in tests: as a real process, in this process, or on a terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from recallrai import RecallrAI

API_KEY = "rai_cli_test_key_9f3a"
LISTENING = re.compile(r"listening on (http://127\.0\.0\.1:\d+)")


def start_server(*flags: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "recallrai.local", "serve", "--port", "0", *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        found = LISTENING.search(line)
        if found:
            return process, found.group(1)
    process.kill()
    raise RuntimeError("the local server did not start")


def stop_server(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    def lines(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line.strip()]

    def json(self) -> list[dict]:  # type: ignore[type-arg]
        import json

        return [json.loads(line) for line in self.lines()]


@dataclass
class Env:
    """One project on a server, and a way to run `recallrai` against it."""

    url: str
    project: str

    def environ(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RECALLRAI_")}
        env.update(
            RECALLRAI_API_KEY=API_KEY,
            RECALLRAI_PROJECT_ID=self.project,
            RECALLRAI_BASE_URL=self.url,
            COLUMNS="200",
        )
        env.update(extra)
        return env

    def run(
        self,
        *args: str | Path,
        input: str | None = None,
        env: dict[str, str] | None = None,
        timeout: float = 60,
    ) -> Result:
        done = subprocess.run(
            [sys.executable, "-m", "recallrai.cli", *map(str, args)],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env=env or self.environ(),
            timeout=timeout,
        )
        return Result(done.returncode, done.stdout, done.stderr)

    def call(self, *args: str | Path, **extra: str) -> Result:
        """`recallrai ARGS` in this process (stdout and stderr are not terminals): for the
        many variations of a command that a subprocess per case would make slow."""
        import contextlib
        import io
        from unittest import mock

        from recallrai.cli import main

        out, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.dict(os.environ, self.environ(**extra), clear=True),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            code = main([str(a) for a in args])
        return Result(code, out.getvalue(), err.getvalue())

    def popen(self, *args: str | Path, **kwargs: object) -> subprocess.Popen[str]:
        return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
            [sys.executable, "-m", "recallrai.cli", *map(str, args)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=self.environ(),
            **kwargs,
        )

    def client(self) -> RecallrAI:
        return RecallrAI(api_key=API_KEY, project_id=self.project, base_url=self.url)


def one_line_error(result: Result) -> str:
    """The command failed with exactly one line on stderr and no traceback."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert lines[0].startswith("recallrai: ")
    return lines[0]


def run_in_pty(
    argv: Sequence[str], env: dict[str, str], replies: Sequence[str] = ()
) -> tuple[int, str]:
    """Run ``argv`` on a pseudo-terminal (stdin, stdout and stderr), typing ``replies``."""
    import pty
    import select
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child: exec the command on the terminal
        os.execve(argv[0], list(argv), env)
    output = b""
    pending = list(replies)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
                if pending and output.rstrip().endswith(b":"):  # a prompt
                    os.write(fd, pending.pop(0).encode() + b"\n")
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")
