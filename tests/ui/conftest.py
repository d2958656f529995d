"""Browser fixtures: Debian's Chromium driven by Playwright, and a seeded inspector.

Chromium comes from Debian (`apt-get install chromium`, run here when it is missing);
Playwright's own browser download (`playwright install`) is never used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from recallrai import RecallrAI
from recallrai.local.testing import PROJECT_ID, local_http_server
from recallrai.ui import InspectorServer

from .seed import Seeded, seed

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
API_KEY = "rai_inspector_SECRET_3f9d27c1b8e4"
"""A key easy to spot: it must never show up in the browser."""

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    """Fail in CI (the browser tests must run there); skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _install_chromium() -> None:
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        _unavailable(f"{CHROMIUM} is missing; install Debian's chromium package")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (
        ["apt-get", "update", "-qq"],
        # with its recommends, and fonts, as the screenshots were reviewed
        ["apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core", "fonts-liberation"],
    ):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            _unavailable(f"{' '.join(command)} failed: {result.stderr[-2000:]}")
    if not CHROMIUM.exists():
        _unavailable(f"apt-get installed chromium but {CHROMIUM} is missing")


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A Chromium with a fresh profile (user-data-dir) for the whole run."""
    _install_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install 'recallrai[ui-test]')")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 860},
            locale="en-US",
            timezone_id="UTC",
        )
        context.set_default_timeout(10_000)
        try:
            yield context
        finally:
            context.close()


@dataclass
class Watch:
    """Everything the page saw and said: requests, answers, console, page text."""

    requests: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_request(request: Any) -> None:
            headers = " ".join(f"{k}: {v}" for k, v in request.headers.items())
            self.requests.append(
                f"{request.method} {request.url} {headers} {request.post_data or ''}"
            )

        def on_response(response: Any) -> None:
            try:
                self.bodies.append(response.text())
            except Exception:  # redirects have no body
                self.bodies.append("")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("console", lambda message: self.console.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    page = browser_context.new_page()
    page.watch = Watch()
    page.watch.attach(page)
    try:
        yield page
    finally:
        page.close()
        browser_context.clear_cookies()


@dataclass
class Inspector:
    client: RecallrAI
    server: InspectorServer
    data: Seeded


@pytest.fixture
def inspector() -> Iterator[Inspector]:
    """A loopback local server with seeded data, and an inspector in front of it."""
    with (
        local_http_server() as api,
        RecallrAI(api_key=API_KEY, project_id=PROJECT_ID, base_url=api.url) as client,
    ):
        data = seed(client, extra_users=30)
        with InspectorServer(client) as server:
            yield Inspector(client, server, data)


def shoot(page: Any, name: str) -> Path:
    """A full-page screenshot into tests/ui/screenshots/ for a reviewer to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
