"""Browser tests: the built PWA served by Flask, driven by Playwright in Debian's chromium.

`make test` builds web/dist and installs chromium with apt where it can. Where
chromium is missing these tests skip with a loud reason; CI has it, so there
they always run.
"""

from __future__ import annotations

import io
import os
import uuid
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
        page = watched_page(context)
        if username:
            log_in(page, username)
        return page

    yield _open
    for context in contexts:
        context.close()


def watched_page(context: Any) -> Any:
    """A new page whose uncaught errors and console errors collect in ``page.console_errors``."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return page


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


# ------------------------------------------------------------------ the supervisor's desk (issue #6)

DESKTOP = {"viewport": {"width": 1440, "height": 900}, "device_scale_factor": 1}
# Map tiles come from here in browser tests: the `desk` fixture answers it with a local PNG,
# so no test ever asks a real tile server.
TEST_TILE_URL = "http://tiles.xuncha.test/{z}/{x}/{y}.png"
# The overdue 违规搭棚 in 金龙社区 that `demo_server` makes sure of.
OVERDUE_SHED = {"location_text": "金龙小区9栋东侧", "description": "违规搭建彩钢雨棚"}


def ensure_overdue_shed_in_jinlong() -> None:
    """At least one overdue 违规搭棚 in 金龙社区: the demo seed's own may all be in time."""
    from datetime import timedelta

    from sqlalchemy import select

    from server.auth.models import User
    from server.categories.models import Category
    from server.db import utcnow
    from server.demo.issues import _age, demo_photo
    from server.extensions import db
    from server.issues.models import Issue
    from server.issues.operations import NewIssue, create_issue
    from server.orgs.models import OrgUnit
    from server.photos.operations import create_photo

    now = utcnow()
    jinlong = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "jinlong")).one()
    shed = db.session.scalars(select(Category).where(Category.code == "illegal_shed")).one()
    overdue = select(Issue.id).where(
        Issue.community_id == jinlong.id,
        Issue.category_id == shed.id,
        Issue.status == "assigned",
        Issue.deadline_at < now,
    )
    if db.session.scalar(overdue.limit(1)) is not None:
        return
    inspector = db.session.scalars(select(User).where(User.username == "inspector")).one()
    photo, _ = create_photo(inspector, demo_photo(606, "illegal_shed"), kind="before", client_id=None)
    new = NewIssue(
        client_id=str(uuid.uuid4()),
        category="illegal_shed",
        photo_ids=[photo.public_id],
        lat=JINLONG["latitude"],
        lon=JINLONG["longitude"],
        accuracy_m=6.0,
        **OVERDUE_SHED,
    )
    issue, _ = create_issue(inspector, new)
    assert issue.community_id == jinlong.id
    assert issue.deadline_at is not None
    _age(issue, days=(issue.deadline_at - now + timedelta(days=1)).total_seconds() / 86400)


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """A fresh server with the demo city and its issues (flask seed-demo), one overdue
    违规搭棚 in 金龙社区 for sure, and map tiles from TEST_TILE_URL."""
    config = {"MAP_TILE_URL": TEST_TILE_URL}
    with live_server(tmp_path, config, seed_demo=True, prepare=ensure_overdue_shed_in_jinlong) as base:
        yield base


def tile_png() -> bytes:
    """A plain 256 px tile."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (233, 237, 242)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def desk(browser: Any, demo_server: str) -> Iterator[Any]:
    """desk("supervisor") → a logged-in page at a desktop's size (1440×900) on the demo city.

    Tiles are answered locally; any other request that leaves 127.0.0.1 is refused and kept
    in ``page.outside_requests``.
    """
    contexts: list[Any] = []
    png = tile_png()

    def _open(username: str | None = None, **options: Any) -> Any:
        settings = {**DESKTOP, "locale": "zh-CN", "base_url": demo_server, "service_workers": "block", **options}
        context = browser.new_context(**settings)
        contexts.append(context)
        outside: list[str] = []
        tiles: list[str] = []

        def refuse_outside(route: Any) -> None:
            if route.request.url.startswith(demo_server):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        def serve_tile(route: Any) -> None:
            tiles.append(route.request.url)
            route.fulfill(status=200, content_type="image/png", body=png)

        context.route("**/*", refuse_outside)
        context.route("http://tiles.xuncha.test/**", serve_tile)  # registered last: asked first
        page = watched_page(context)
        page.outside_requests = outside  # type: ignore[attr-defined]
        page.tile_requests = tiles  # type: ignore[attr-defined]
        if username:
            log_in(page, username)
        return page

    yield _open
    for context in contexts:
        context.close()
