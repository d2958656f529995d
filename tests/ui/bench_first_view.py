"""First-view time of the memory inspector for a user with 10,000 memories.

    .venv/bin/python -m tests.ui.bench_first_view [--memories 10000] [--runs 5]

Seeds a loopback local server through the SDK (1,000 sessions of 10 facts each),
then opens each view in a fresh tab of headless Chromium and reads the page's own
``inspector:view-rendered`` performance mark: the time from navigation start to the
view on screen, including the page, its script and every API call behind the view. Not a test: a
timing goal belongs in a benchmark, not in the suite.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from recallrai import RecallrAI
from recallrai.local.testing import API_KEY, PROJECT_ID, local_http_server
from recallrai.ui import InspectorServer

from .conftest import CHROMIUM, CHROMIUM_FLAGS
from .seed import seed_memories


def first_view(context: Any, url: str) -> float:
    page = context.new_page()
    try:
        page.goto(url)
        page.wait_for_selector('main[aria-busy="false"]')
        if page.locator("main .error").count():
            raise SystemExit(f"{url}: {page.locator('main .error').inner_text()}")
        marks = page.evaluate(
            "performance.getEntriesByName('inspector:view-rendered').map(m => m.startTime)"
        )
        return float(marks[0])
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--memories", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with (
        local_http_server() as api,
        RecallrAI(api_key=API_KEY, project_id=PROJECT_ID, base_url=api.url) as client,
    ):
        began = time.monotonic()
        user_id = "bench-user"
        session_id = seed_memories(client, user_id, args.memories)
        print(f"seeded {args.memories} memories in {time.monotonic() - began:.1f} s")
        with InspectorServer(client) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context = browser.new_context()
            views = {
                "users": "#/users",
                "user + sessions": f"#/users/{user_id}",
                "memories": f"#/users/{user_id}/memories",
                "memories, all versions": f"#/users/{user_id}/memories?versions=all",
                "memories, page 150": f"#/users/{user_id}/memories?offset=7450",
                "context preview": f"#/users/{user_id}/sessions/{session_id}/context",
            }
            first_view(context, server.url)  # warm the browser itself
            for name, fragment in views.items():
                times = [first_view(context, server.url + fragment) for _ in range(args.runs)]
                print(
                    f"{name:24s} median {statistics.median(times):6.0f} ms"
                    f"  max {max(times):6.0f} ms  ({args.runs} runs)"
                )
            browser.close()


if __name__ == "__main__":
    main()
