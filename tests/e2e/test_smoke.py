"""The built app loads at a phone's size, speaks Chinese, and each role lands on its home."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import shot


def test_login_page(phone: Any) -> None:
    page = phone()
    page.goto("/")
    page.wait_for_url("**/login")
    assert page.get_by_role("button", name="登录").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no horizontal scroll
    shot(page, "00-login")
    assert page.console_errors == []


def test_wrong_password_is_explained(phone: Any) -> None:
    page = phone()
    page.goto("/login")
    page.get_by_label("用户名").fill("inspector")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("用户名或密码错误").wait_for()


@pytest.mark.parametrize("username", ["inspector", "staff_jinlong", "supervisor"])
def test_each_role_reaches_its_home(phone: Any, username: str) -> None:
    page = phone(username)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, f"01-home-{username}")
    assert [e for e in page.console_errors if "favicon" not in e] == []


def test_language_switches_without_reload(phone: Any) -> None:
    page = phone("staff_jinlong")
    page.goto("/me")
    page.evaluate("window.__sameDocument = true")
    page.get_by_text("English", exact=True).click()
    page.get_by_text("To fix", exact=True).first.wait_for()  # the tab bar, now in English
    assert page.evaluate("window.__sameDocument") is True  # no reload happened
    assert page.evaluate("document.documentElement.lang") == "en"
    shot(page, "50-me-english")
    page.get_by_text("简体中文").click()
    page.get_by_text("待整改").first.wait_for()


def test_supervisor_screens(phone: Any) -> None:
    page = phone("supervisor")
    for path, name in (
        ("/issues", "60-supervisor-issues"),
        ("/extensions", "61-supervisor-extensions"),
        ("/dispatch", "62-supervisor-dispatch"),
        ("/me", "63-me"),
    ):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
        shot(page, name)
    assert [e for e in page.console_errors if "favicon" not in e] == []
