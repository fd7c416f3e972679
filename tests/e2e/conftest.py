"""Browser tests: the built PWA served by Flask, driven by Playwright in Debian's chromium.

`make test` builds web/dist and installs chromium with apt where it can. Where
chromium is missing these tests skip with a loud reason; CI has it, so there
they always run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.live import live_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# In 金龙社区 (金龙小区), where the demo boundaries route a report to 金龙社区.
JINLONG = {"latitude": 26.8600, "longitude": 112.6000, "accuracy": 8}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# Flags for a machine without network or GPU (see the project's environment notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.live)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"!!! chromium not found at {CHROMIUM}: browser tests NOT run (apt-get install chromium)")
    if not (Path(os.environ.get("XUNCHA_TEST_WEB_DIST", ROOT / "web" / "dist")) / "index.html").exists():
        pytest.fail("web/dist is not built: run `make test` (it builds the app) or `cd web && npm run build`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh server with the demo city's org tree, categories and users (no issues)."""
    with live_server(tmp_path) as base:
        yield base


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    """phone("inspector") → a logged-in page in its own browser context, at a phone's size."""
    contexts: list[Any] = []

    def _open(username: str | None = None, **options: Any) -> Any:
        settings = {
            **PHONE,
            "locale": "zh-CN",
            "geolocation": JINLONG,
            "permissions": ["geolocation"],
            "base_url": server,
            "service_workers": "block",
            **options,
        }
        context = browser.new_context(**settings)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.console_errors = errors  # type: ignore[attr-defined]
        if username:
            log_in(page, username)
        return page

    yield _open
    for context in contexts:
        context.close()


def log_in(page: Any, username: str, password: str = "demo1234") -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)


def shot(page: Any, name: str) -> None:
    """Save a screenshot as a test artifact (test-artifacts/e2e/NAME.png)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
