"""`python -m recallrai.local serve --ui`: the local server with the inspector beside it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from recallrai import RecallrAI


def test_serve_ui_shows_the_servers_data_and_stops_on_sigterm() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECALLRAI_")}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "recallrai.local",
            "serve",
            "--port",
            "0",
            "--ui",
            "--api-key",
            "rai_only",
            "--ui-project",
            "shown",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        api = re.search(r"listening on (http://\S+)", lines[0])
        page = re.search(r"inspector at (http://\S+)", lines[1])
        assert api and page, lines
        with RecallrAI(api_key="rai_only", project_id="shown", base_url=api[1]) as client:
            client.create_user("alice", metadata={"plan": "pro"})
        with RecallrAI(api_key="rai_only", project_id="other", base_url=api[1]) as client:
            client.create_user("bob")  # another project: not shown
        with urllib.request.urlopen(f"{page[1]}api/users", timeout=10) as answer:
            users = json.load(answer)
        assert [u["user_id"] for u in users["items"]] == ["alice"]
        with urllib.request.urlopen(page[1], timeout=10) as answer:
            assert "rai_only" not in answer.read().decode()  # the key stays in the process
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert time.monotonic() - started < 5
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
