from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from server.deadlines.operations import deadline_for

SHANGHAI = timezone(timedelta(hours=8))
OVERRIDES = "/api/v1/calendar/overrides"
SPRING_2027 = {"day": "2027-02-08", "is_workday": False, "note": "2027 春节"}

# Each test uses one logged-in user only: requests in a test share the test's app context.


def test_coverage_lists_the_package_years(inspector: Any) -> None:
    response = inspector.get("/api/v1/calendar/coverage")
    assert response.status_code == 200
    body = response.get_json()
    assert {2025, 2026} <= set(body["covered_years"])
    assert {2025, 2026} <= set(body["package_years"])
    assert body["override_years"] == []
    assert body["next_year"] == body["current_year"] + 1
    assert body["next_year_covered"] == (body["next_year"] in body["covered_years"])


def test_coverage_needs_a_login(client: Any) -> None:
    assert client.get("/api/v1/calendar/coverage").status_code == 401
    assert client.get(OVERRIDES).status_code == 401


def test_supervisor_adds_and_removes_a_2027_holiday(supervisor: Any) -> None:
    friday = datetime(2027, 2, 5, 10, tzinfo=SHANGHAI)
    # Beyond the package 2027 is Mon–Fri: the first working day after Fri Feb 5 is Mon Feb 8.
    assert deadline_for("work_days", 1, friday) == datetime(2027, 2, 8, 15, 59, 59, tzinfo=UTC)

    response = supervisor.post(OVERRIDES, json=SPRING_2027)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() | {"created_at": None} == SPRING_2027 | {"created_at": None}
    assert deadline_for("work_days", 1, friday) == datetime(2027, 2, 9, 15, 59, 59, tzinfo=UTC)

    listed = supervisor.get(OVERRIDES, query_string={"year": 2027}).get_json()
    assert [item["day"] for item in listed] == ["2027-02-08"]
    coverage = supervisor.get("/api/v1/calendar/coverage").get_json()
    assert coverage["override_years"] == [2027]
    assert 2027 in coverage["covered_years"]

    assert supervisor.delete(f"{OVERRIDES}/2027-02-08").status_code == 204
    assert deadline_for("work_days", 1, friday) == datetime(2027, 2, 8, 15, 59, 59, tzinfo=UTC)
    assert supervisor.get(OVERRIDES).get_json() == []


def test_posting_a_day_again_replaces_it(admin_client: Any) -> None:
    admin_client.post(OVERRIDES, json=SPRING_2027)
    response = admin_client.post(OVERRIDES, json={"day": "2027-02-08", "is_workday": True, "note": " 调休 "})
    assert response.status_code == 200
    items = admin_client.get(OVERRIDES).get_json()
    assert [(i["day"], i["is_workday"], i["note"]) for i in items] == [("2027-02-08", True, "调休")]


def test_list_filters_by_year(supervisor: Any) -> None:
    for day in ("2026-12-31", "2027-01-01", "2028-01-03"):
        supervisor.post(OVERRIDES, json={"day": day, "is_workday": False})
    days = [item["day"] for item in supervisor.get(OVERRIDES, query_string={"year": "2027"}).get_json()]
    assert days == ["2027-01-01"]
    assert len(supervisor.get(OVERRIDES).get_json()) == 3
    assert supervisor.get(OVERRIDES, query_string={"year": "soon"}).status_code == 422


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"day": "2027-02-30", "is_workday": False}, "day"),
        ({"day": "08/02/2027", "is_workday": False}, "day"),
        ({"day": "2027-02-08"}, "is_workday"),
        ({"day": "2027-02-08", "is_workday": "maybe"}, "is_workday"),
        ({"day": "2027-02-08", "is_workday": False, "note": "节" * 101}, "note"),
        ({"day": "2027-02-08", "is_workday": False, "extra": 1}, "extra"),
    ],
)
def test_bad_override_is_422(supervisor: Any, payload: dict[str, Any], field: str) -> None:
    response = supervisor.post(OVERRIDES, json=payload)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_override_far_from_now_is_refused_in_chinese(supervisor: Any) -> None:
    response = supervisor.post(OVERRIDES, json={"day": "1999-10-01", "is_workday": False})
    assert response.status_code == 422
    assert response.get_json()["error"]["message"] == "只能设置 2000–2100 年的日期"


def test_delete_unknown_or_bad_day(supervisor: Any) -> None:
    assert supervisor.delete(f"{OVERRIDES}/2027-02-08").status_code == 404
    assert supervisor.delete(f"{OVERRIDES}/tomorrow").status_code == 422


@pytest.fixture
def admin_client(login: Callable[[str], Any]) -> Any:
    return login("admin")


@pytest.mark.parametrize(
    ("username", "read", "write"),
    [
        ("inspector", 200, 403),
        ("staff_jinlong", 200, 403),
        ("street_baishazhou", 200, 403),
        ("supervisor", 200, 200),
        ("admin", 200, 200),
    ],
)
def test_access(login: Callable[[str], Any], username: str, read: int, write: int) -> None:
    user = login(username)
    assert user.get(OVERRIDES).status_code == read
    assert user.get("/api/v1/calendar/coverage").status_code == read
    assert user.post(OVERRIDES, json=SPRING_2027).status_code == write
    assert user.delete(f"{OVERRIDES}/2027-02-08").status_code == (204 if write == 200 else 403)


def test_staff_cannot_delete_an_existing_override(login: Callable[[str], Any]) -> None:
    from server.deadlines.operations import add_override, list_overrides

    add_override(datetime(2027, 2, 8).date(), False, "2027 春节")
    response = login("staff_jinlong").delete(f"{OVERRIDES}/2027-02-08")
    assert response.status_code == 403
    assert [o.day.isoformat() for o in list_overrides()] == ["2027-02-08"]


def test_openapi_documents_the_calendar(inspector: Any) -> None:
    paths = inspector.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths["/api/v1/calendar/overrides"]) == {"get", "post"}
    assert "delete" in paths["/api/v1/calendar/overrides/{day}"]
    assert "get" in paths["/api/v1/calendar/coverage"]
