"""The whole loop through the UI, in separate browser contexts at a phone's size (issue #3).

inspector reports with a real phone photo → staff_jinlong finds it at the top of 待整改 and
rectifies with an after photo → the inspector rejects → staff rectify again → the inspector
passes it → it shows as 已办结.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import TESTDATA
from tests.e2e.conftest import shot

PHONE_PHOTO = TESTDATA / "jpg" / "mobile" / "jolla.jpg"
AFTER_PHOTOS = [TESTDATA / "jpg" / "gps" / "DSCN0010.jpg", TESTDATA / "jpg" / "gps" / "DSCN0012.jpg"]


def report_issue(page: Any) -> None:
    page.goto("/report")
    page.locator("[data-testid=photo-input]").set_input_files(str(PHONE_PHOTO))
    page.locator("[data-code=illegal_shed]").click()
    page.get_by_text("定位精度良好").wait_for()  # the context's GPS fix (±8 m) is accepted
    page.get_by_label("位置描述").fill("金龙小区7栋")
    page.get_by_label("问题描述").fill("违规搭棚3处")
    shot(page, "10-report-filled")
    page.get_by_role("button", name="提交上报").click()
    page.locator("[data-testid=report-sent]").wait_for(timeout=30_000)
    assert "金龙社区" in page.locator("[data-testid=report-sent]").inner_text()
    shot(page, "11-report-sent")


def open_first_card(page: Any, tab_path: str, expect_text: str) -> None:
    page.goto(tab_path)
    card = page.locator("[data-issue]").first
    card.wait_for()
    assert expect_text in card.inner_text()
    card.click()
    page.wait_for_url("**/issues/*")
    page.get_by_text("处理记录").wait_for()  # the detail has loaded, timeline and all


def act(page: Any, action: str, note: str, photo: Any = None) -> None:
    page.locator(f"[data-action={action}]").first.click()
    page.wait_for_url(f"**/do/{action}")
    if photo is not None:
        page.locator("[data-testid=photo-input]").set_input_files(str(photo))
    page.locator("textarea").first.fill(note)
    shot(page, f"2x-{action}-form")
    page.locator(f"form [data-action={action}]").click()
    page.wait_for_url(lambda url: "/do/" not in url, timeout=30_000)


def test_report_rectify_reject_rectify_verify(phone: Any) -> None:
    inspector = phone("inspector")
    report_issue(inspector)

    staff = phone("staff_jinlong")
    open_first_card(staff, "/todo", "金龙小区7栋")
    shot(staff, "20-staff-detail")
    act(staff, "rectify", "已拆除违规搭棚", AFTER_PHOTOS[0])
    staff.get_by_text("待复查").first.wait_for()

    open_first_card(inspector, "/review", "金龙小区7栋")
    shot(inspector, "30-review")
    act(inspector, "reject", "仍有一处未拆除")
    inspector.get_by_text("整改中").first.wait_for()

    open_first_card(staff, "/todo", "金龙小区7栋")
    staff.get_by_text("返工 1 次").first.wait_for()
    act(staff, "rectify", "已全部拆除", AFTER_PHOTOS[1])

    open_first_card(inspector, "/review", "金龙小区7栋")
    inspector.locator("[data-action=verify]").click()
    inspector.get_by_role("button", name="通过").last.click()  # confirm the dialog
    inspector.get_by_text("已办结").first.wait_for()
    shot(inspector, "40-closed")

    timeline = inspector.locator("body").inner_text()
    for step in ("上报问题", "派发", "提交整改", "退回整改", "复查通过"):
        assert step in timeline, step
    for page in (inspector, staff):
        assert [e for e in page.console_errors if "favicon" not in e] == []
