"""The supervisor's map desk at a desktop's size: the demo city's open issues on the map, filtered
to overdue 违规搭棚 in 金龙社区, one opened, the list exported to Excel and its notice to PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, OVERDUE_SHED, shot

MAP = "[data-testid=desk-map]"
ROWS = "[data-testid=map-list-row]"


def wait_for_map(page: Any) -> None:
    """The map has drawn an answer and the list agrees with it."""
    page.locator(f"{MAP}[data-ready=true]").wait_for()
    page.wait_for_function(
        """() => {
            const summary = document.querySelector('[data-testid=map-summary]')
            const map = document.querySelector('[data-testid=desk-map]')
            return summary.dataset.loading === 'false' && summary.textContent.trim() !== ''
                && Number(map.dataset.count) === document.querySelectorAll('[data-testid=map-list-row]').length
        }"""
    )


def test_supervisor_filters_opens_and_exports(desk: Any, tmp_path: Path) -> None:
    page = desk("supervisor")
    page.wait_for_url("**/desk/map")  # at a desk, the supervisor starts on the map
    wait_for_map(page)
    everything = page.locator(ROWS).count()
    assert everything >= 15  # the demo city's open issues, each a dot on the map
    assert page.locator(MAP).get_attribute("data-mode") == "issues"
    assert page.locator(".leaflet-tile-loaded").count() > 0  # tiles from the configured (local) tile URL
    assert page.tile_requests
    # The map fills the width beside the panel and the height above the tab bar.
    box = page.locator(MAP).bounding_box()
    assert box["width"] > 900
    assert box["height"] > 600
    assert box["y"] + box["height"] <= 900 - 49
    shot(page, "80-desk-map")

    page.get_by_test_id("filter-category").select_option("illegal_shed")
    page.get_by_test_id("filter-community").select_option(label="金龙社区")
    page.get_by_test_id("filter-overdue").check()
    page.wait_for_function("n => document.querySelectorAll('[data-testid=map-list-row]').length < n", arg=everything)
    wait_for_map(page)
    rows = page.locator(ROWS)
    assert rows.count() >= 1
    for text in rows.all_inner_texts():
        assert "违规搭棚" in text
        assert "金龙社区" in text
        assert "已超期" in text
    shot(page, "81-desk-map-filtered")

    row = rows.filter(has_text=OVERDUE_SHED["location_text"]).first
    row.click()
    drawer = page.get_by_test_id("map-drawer")
    expect(drawer).to_be_visible()
    expect(drawer.get_by_test_id("drawer-community")).to_have_text("金龙社区")
    expect(drawer.get_by_text(OVERDUE_SHED["description"])).to_be_visible()
    expect(drawer.get_by_text("已超期").first).to_be_visible()
    expect(drawer.locator("img").first).to_be_visible()  # the before photo
    issue_id = drawer.get_attribute("data-issue")
    assert drawer.get_by_test_id("drawer-timeline").get_attribute("href") == f"/issues/{issue_id}"
    shot(page, "82-desk-map-drawer")

    with page.expect_download() as excel:
        page.get_by_test_id("export-excel").click()
    workbook_path = tmp_path / excel.value.suggested_filename
    excel.value.save_as(workbook_path)
    assert workbook_path.suffix == ".xlsx"
    sheet = load_workbook(workbook_path).active
    values = [[cell for cell in row if cell is not None] for row in sheet.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(values) if "序号" in row)
    header = values[header_at]
    for title in ("序号", "社区", "位置", "问题描述", "类别", "整改时限", "状态"):
        assert title in header
    data = [row for row in values[header_at + 1 :] if row]
    assert len(data) == rows.count()  # the same issues as the map shows
    for line in data:
        assert "金龙社区" in line
        assert "违规搭棚" in line
    assert any(OVERDUE_SHED["location_text"] in line and OVERDUE_SHED["description"] in line for line in data)

    with page.expect_download() as notice:
        drawer.get_by_test_id("export-notice").click()
    pdf_path = tmp_path / "notice.pdf"
    notice.value.save_as(pdf_path)
    assert notice.value.suggested_filename.endswith(".pdf")
    pdf = pdfium.PdfDocument(pdf_path)
    assert len(pdf) == 1
    text = pdf[0].get_textpage().get_text_range()
    assert "整改通知单" in text
    assert "金龙社区" in text
    assert OVERDUE_SHED["location_text"] in text
    image = pdf[0].render(scale=2).to_pil().convert("L")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / "83-desk-notice.png")
    ink = sum(count for level, count in enumerate(image.histogram()) if level < 128)
    assert ink > image.width * image.height * 0.005  # real glyphs, not a blank page
    # The Chinese is drawn with an embedded CJK font, not as empty boxes of a Latin one.
    assert re.search(rb"/FontName\s*/[A-Z]{6}\+\S*CJK", pdf_path.read_bytes())

    assert page.outside_requests == []  # nothing but the local tile stub and the app
    assert [e for e in page.console_errors if "favicon" not in e] == []


def test_phone_toggles_between_map_and_list(desk: Any) -> None:
    page = desk("supervisor", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page.wait_for_url("**/issues")  # on a phone the supervisor starts on the issue list, as before
    page.goto("/desk/map")
    wait_for_map(page)
    assert page.locator(MAP).is_visible()
    assert not page.locator(ROWS).first.is_visible()
    page.get_by_test_id("show-list").click()
    expect(page.locator(ROWS).first).to_be_visible()
    assert not page.locator(MAP).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "84-desk-map-phone-list")
    page.locator(ROWS).first.click()
    expect(page.get_by_test_id("map-drawer")).to_be_visible()
    assert [e for e in page.console_errors if "favicon" not in e] == []
