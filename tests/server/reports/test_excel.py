"""督查限时整改一览表: openpyxl reads back what we wrote."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.server.issues.helpers import act, report, upload_photo

HEADERS = ["序号", "社区", "位置", "问题描述", "类别", "发现时间", "整改时限", "责任单位", "状态", "整改情况"]


@pytest.fixture
def issues(inspector: Any, staff_jinlong: Any, small_jpeg: Any) -> list[dict[str, Any]]:
    shed = report(
        inspector, small_jpeg((10, 20, 30)), location_text="金龙小区7栋", description="违规搭棚3处"
    ).get_json()
    heap = report(
        inspector,
        small_jpeg((40, 50, 60)),
        category="debris",
        location_text="金龙小区11栋前坪",
        description="有废弃物一堆",
    ).get_json()
    after = upload_photo(staff_jinlong, small_jpeg((90, 90, 90)), kind="after")["id"]
    heap = act(staff_jinlong, heap, "rectify", note="已清理废弃物", photo_ids=[after]).get_json()
    return [shed, heap]


def _sheet(response: Any) -> Any:
    assert response.status_code == 200, response.get_json()
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.data)).active


def test_workbook_rows_headers_and_dates(supervisor: Any, issues: list[dict[str, Any]]) -> None:
    response = supervisor.get("/api/v1/exports/issues.xlsx")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    # RFC 5987: 督查限时整改一览表_YYYYMMDD.xlsx, UTF-8 percent-encoded
    assert "filename*=UTF-8''%E7%9D%A3%E6%9F%A5%E9%99%90%E6%97%B6%E6%95%B4%E6%94%B9%E4%B8%80%E8%A7%88%E8%A1%A8_" in (
        disposition
    )
    sheet = _sheet(response)
    assert sheet["A1"].value.startswith("督查限时整改一览表（截至 ")
    assert [c.value for c in sheet[2]] == HEADERS
    assert sheet.freeze_panes == "A3"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 2
    by_location = {row[2]: row for row in rows}
    shed, heap = by_location["金龙小区7栋"], by_location["金龙小区11栋前坪"]
    assert shed[:5] == [shed[0], "金龙社区", "金龙小区7栋", "违规搭棚3处", "违规搭棚"]
    assert isinstance(shed[5], datetime)
    assert shed[5].tzinfo is None
    assert isinstance(shed[6], datetime)
    assert (shed[6].hour, shed[6].minute) == (23, 59)
    assert shed[7] == "白沙洲街道金龙社区"
    assert (shed[8], shed[9]) == ("整改中", None)
    assert heap[8] == "待复查"
    assert heap[9].startswith("已提交整改（")
    assert heap[9].endswith("）：已清理废弃物")
    assert sheet.column_dimensions["D"].width >= 30


def test_filters_like_the_issue_list(supervisor: Any, issues: list[dict[str, Any]]) -> None:
    sheet = _sheet(supervisor.get("/api/v1/exports/issues.xlsx?status=rectified&category=debris"))
    assert [row[2].value for row in sheet.iter_rows(min_row=3)] == ["金龙小区11栋前坪"]
    assert sheet.max_row == 3
    empty = _sheet(supervisor.get("/api/v1/exports/issues.xlsx?from=2020-01-01&to=2020-01-31"))
    assert empty.max_row == 2
    assert empty["A1"].value == "督查限时整改一览表（2020-01-01 至 2020-01-31）"
    assert supervisor.get("/api/v1/exports/issues.xlsx?status=nope").status_code == 422


def test_thumbnails_are_embedded(supervisor: Any, issues: list[dict[str, Any]]) -> None:
    sheet = _sheet(supervisor.get("/api/v1/exports/issues.xlsx?thumbnails=1"))
    assert sheet["K2"].value == "照片"
    assert len(sheet._images) == 2
    assert sorted((i.anchor._from.col, i.anchor._from.row) for i in sheet._images) == [(10, 2), (10, 3)]  # K3, K4


def test_staff_export_only_their_community(
    staff_jinlong: Any, staff_jinyuan: Any, issues: list[dict[str, Any]]
) -> None:
    assert _sheet(staff_jinlong.get("/api/v1/exports/issues.xlsx")).max_row == 4
    assert _sheet(staff_jinyuan.get("/api/v1/exports/issues.xlsx")).max_row == 2


def test_export_needs_login(client: Any) -> None:
    assert client.get("/api/v1/exports/issues.xlsx").status_code == 401
