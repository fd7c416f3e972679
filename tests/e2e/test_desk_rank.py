"""同台PK at the supervisor's desk (issue #6): the league table, the trend chart and the downloads.

Three issues are reported in 金龙社区 through the HTTP API (with the browser contexts' own
sessions); one is rectified, sent back, rectified again and passed. The supervisor then opens
/desk/rank at a phone's size and on a desktop.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import TESTDATA
from tests.e2e.conftest import JINLONG, shot

API = "/api/v1"
MOBILE = TESTDATA / "jpg" / "mobile"
BEFORE_PHOTOS = [MOBILE / "jolla.jpg", MOBILE / "HMD_Nokia_8.3_5G.jpg", MOBILE / "iphone_hdr_YES.jpg"]
AFTER_PHOTOS = [TESTDATA / "jpg" / "gps" / "DSCN0010.jpg", TESTDATA / "jpg" / "gps" / "DSCN0012.jpg"]
COMMUNITIES = {"jinlong", "jinyuan", "xiangrui"}
STREETS = {"baishazhou_street", "songmu_street", "huaxing_street"}


class Api:
    """The JSON API with the session of a logged-in page (its cookie and CSRF token)."""

    def __init__(self, page: Any) -> None:
        self.request = page.request
        me = self.request.get(f"{API}/me")
        assert me.ok, me.text()
        self.headers = {"X-CSRF-Token": me.json()["csrf_token"]}

    def post(self, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.request.post(f"{API}{path}", headers=self.headers, **kwargs)
        assert response.ok, response.text()
        result: dict[str, Any] = response.json()
        return result

    def photo(self, path: Path, kind: str = "before") -> str:
        file = {"name": path.name, "mimeType": "image/jpeg", "buffer": path.read_bytes()}
        return str(self.post("/photos", multipart={"file": file, "kind": kind, "client_id": str(uuid.uuid4())})["id"])

    def report(self, photo: Path, where: str) -> dict[str, Any]:
        issue = {
            "client_id": str(uuid.uuid4()),
            "category": "illegal_shed",
            "lat": JINLONG["latitude"],
            "lon": JINLONG["longitude"],
            "accuracy_m": JINLONG["accuracy"],
            "location_text": where,
            "description": "违规搭棚",
            "photo_ids": [self.photo(photo)],
        }
        return self.post("/issues", data=issue)

    def act(self, issue: dict[str, Any], action: str, photo: Path | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"action": action, "version": issue["version"], "note": action}
        if photo is not None:
            body["photo_ids"] = [self.photo(photo, kind="after")]
        return self.post(f"/issues/{issue['id']}/actions", data=body)


def seed_issues(phone: Any) -> None:
    inspector, staff = Api(phone("inspector")), Api(phone("staff_jinlong"))
    issues = [inspector.report(photo, f"金龙小区{n}栋") for n, photo in enumerate(BEFORE_PHOTOS, start=1)]
    assert all(issue["community"]["code"] == "jinlong" for issue in issues), issues
    first = staff.act(issues[0], "rectify", AFTER_PHOTOS[0])
    first = inspector.act(first, "reject")
    first = staff.act(first, "rectify", AFTER_PHOTOS[1])
    assert inspector.act(first, "verify")["status"] == "closed"


def cell(row: Any, column: str) -> str:
    return str(row.locator(f"[data-col={column}]").inner_text()).strip()


def test_supervisor_sees_league_trend_and_downloads(phone: Any, tmp_path: Path) -> None:
    seed_issues(phone)
    page = phone("supervisor")
    page.goto("/desk/rank")

    table = page.locator("[data-testid=rank-table]")
    rows = table.locator("[data-testid=rank-row]")
    rows.first.wait_for()
    assert {rows.nth(i).get_attribute("data-unit") for i in range(rows.count())} == COMMUNITIES
    jinlong = table.locator("[data-unit=jinlong]")
    assert (cell(jinlong, "found"), cell(jinlong, "rectified"), cell(jinlong, "closed")) == ("3", "1", "1")
    assert cell(jinlong, "rework_rate") == "50%"  # one rejection for two rectifications
    assert cell(table.locator("[data-unit=xiangrui]"), "found") == "0"
    assert page.locator("[data-preset=last7]").get_attribute("aria-checked") == "true"  # the default

    page.locator("[data-testid=rank-trend] canvas").first.wait_for()  # echarts, loaded on demand
    page.locator("[data-testid=rank-trend][data-state=ready]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "70-desk-rank-phone")

    with page.expect_download() as docx:
        page.locator("[data-testid=download-docx]").click()
    assert docx.value.suggested_filename.startswith("督查通报_")
    assert docx.value.suggested_filename.endswith(".docx")
    saved = tmp_path / "bulletin.docx"
    docx.value.save_as(saved)
    assert saved.read_bytes()[:2] == b"PK"  # a zip, as .docx files are

    with page.expect_download() as markdown:
        page.locator("[data-testid=download-md]").click()
    assert markdown.value.suggested_filename.endswith(".md")
    assert "金龙社区" in Path(markdown.value.path()).read_text(encoding="utf-8")

    with page.expect_download() as excel:
        page.locator("[data-testid=download-xlsx]").click()
    assert excel.value.suggested_filename.endswith(".xlsx")

    page.locator("[data-level=streets]").click()
    page.locator("[data-testid=rank-table][data-level=streets]").wait_for()
    page.locator("[data-testid=rank-row][data-unit=baishazhou_street]").wait_for()
    streets = page.locator("[data-testid=rank-row]")
    assert {streets.nth(i).get_attribute("data-unit") for i in range(streets.count())} == STREETS
    assert "level=streets" in page.url

    page.locator("[data-preset=last30]").click()
    page.wait_for_function("document.querySelector('[data-preset=last30]').getAttribute('aria-checked') === 'true'")
    page.wait_for_load_state("networkidle")
    assert cell(page.locator("[data-unit=baishazhou_street]"), "found") == "3"

    # 自选日期: the calendar opens on the month where the period starts (近30天: 29 days ago)
    month = (datetime.now(ZoneInfo("Asia/Shanghai")).date() - timedelta(days=29)).strftime("%Y-%m")
    page.locator("[data-preset=custom]").click()
    days = page.locator(".van-calendar__month .van-calendar__day")
    days.nth(0).click()
    days.nth(1).click()
    page.locator(".van-calendar__confirm").click()
    page.get_by_text(f"{month}-01 至 {month}-02").first.wait_for()
    assert f"from={month}-01&to={month}-02" in page.url
    assert page.locator("[data-preset][aria-checked=true]").count() == 0
    assert [e for e in page.console_errors if "favicon" not in e] == []


def test_desk_rank_on_a_desktop(phone: Any) -> None:
    page = phone("supervisor", viewport={"width": 1280, "height": 900}, is_mobile=False, has_touch=False)
    page.goto("/desk/rank")
    page.locator("[data-testid=rank-row]").first.wait_for()
    page.locator("[data-testid=rank-trend] canvas").first.wait_for()
    # the whole table fits: no sideways scrolling on a desktop
    assert page.evaluate(
        "(() => { const s = document.querySelector('[data-testid=rank-table]').parentElement;"
        " return s.scrollWidth <= s.clientWidth })()"
    )
    shot(page, "71-desk-rank-desktop")
    assert [e for e in page.console_errors if "favicon" not in e] == []
