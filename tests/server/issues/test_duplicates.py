"""Before a second report: nearby known issues, 'same problem' photos, and replayed actions."""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.issues.helpers import JINLONG_POINT, act, report, upload_photo


def _near(lat: float, lon: float, metres_north: float) -> tuple[float, float]:
    return lat + metres_north / 111_320, lon


def test_nearby_lists_open_issues_of_the_category_within_50_m(inspector: Any, small_jpeg: Any) -> None:
    here = report(inspector, small_jpeg(), category="debris").get_json()
    report(inspector, small_jpeg(), category="debris", at=_near(*JINLONG_POINT, 120))  # too far
    report(inspector, small_jpeg(), category="illegal_shed", at=_near(*JINLONG_POINT, 10))  # other category
    lat, lon = _near(*JINLONG_POINT, 30)
    found = inspector.get(f"/api/v1/issues/nearby?lat={lat}&lon={lon}&category=debris").get_json()["items"]
    assert [i["id"] for i in found] == [here["id"]]
    assert 25 < found[0]["distance_m"] < 35
    assert found[0]["thumbnail_url"]
    every_category = inspector.get(f"/api/v1/issues/nearby?lat={lat}&lon={lon}").get_json()["items"]
    assert len(every_category) == 2


def test_nearby_includes_recently_closed_but_not_cancelled(inspector: Any, staff_jinlong: Any, small_jpeg: Any) -> None:
    closed = report(inspector, small_jpeg(), category="debris").get_json()
    photo = upload_photo(staff_jinlong, small_jpeg((5, 5, 5)), kind="after")["id"]
    closed = act(staff_jinlong, closed, "rectify", note="已清理", photo_ids=[photo]).get_json()
    act(inspector, closed, "verify")
    cancelled = report(inspector, small_jpeg(), category="debris").get_json()
    act(inspector, cancelled, "cancel", note="误报")
    lat, lon = JINLONG_POINT
    found = inspector.get(f"/api/v1/issues/nearby?lat={lat}&lon={lon}&category=debris").get_json()["items"]
    assert [(i["id"], i["status"]) for i in found] == [(closed["id"], "closed")]


def test_nearby_respects_visibility(inspector: Any, staff_jinyuan: Any, small_jpeg: Any) -> None:
    report(inspector, small_jpeg(), category="debris")
    lat, lon = JINLONG_POINT
    assert staff_jinyuan.get(f"/api/v1/issues/nearby?lat={lat}&lon={lon}").get_json()["items"] == []
    assert inspector.get("/api/v1/issues/nearby?lat=95&lon=1").status_code == 422


def test_same_problem_adds_photos_to_the_existing_issue(login: Any, inspector: Any, small_jpeg: Any) -> None:
    issue = report(inspector, small_jpeg(), category="debris").get_json()
    other = login("supervisor")
    extra = upload_photo(other, small_jpeg((80, 80, 80)))["id"]
    response = act(other, issue, "same_problem", photo_ids=[extra], note="今日再次发现", lat=26.86, lon=112.6)
    assert response.status_code == 200, response.get_json()
    after = response.get_json()
    assert after["status"] == issue["status"]
    assert after["deadline_at"] == issue["deadline_at"]
    assert after["events"][-1]["action"] == "same_problem"
    assert after["events"][-1]["photo_ids"] == [extra]
    assert [p["kind"] for p in after["photos"]] == ["before", "before"]
    assert act(other, after, "same_problem", photo_ids=[]).status_code == 422


def _age_events(public_id: str, hours: float) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from server.extensions import db
    from server.issues.models import Issue, IssueEvent

    issue_id = db.session.scalars(select(Issue.id).where(Issue.public_id == public_id)).one()
    for event in db.session.scalars(select(IssueEvent).where(IssueEvent.issue_id == issue_id)):
        event.created_at -= timedelta(hours=hours)
    db.session.commit()


def test_replayed_action_returns_the_result_without_a_second_event(
    inspector: Any, staff_jinlong: Any, small_jpeg: Any
) -> None:
    from datetime import UTC, datetime, timedelta

    issue = report(inspector, small_jpeg()).get_json()
    _age_events(issue["id"], hours=3)  # reported three hours ago
    photo = upload_photo(staff_jinlong, small_jpeg((1, 1, 1)), kind="after")["id"]
    key = str(uuid.uuid4())
    done_offline = (datetime.now(UTC) - timedelta(hours=1)).replace(microsecond=0)
    first = act(
        staff_jinlong,
        issue,
        "rectify",
        note="已整改",
        photo_ids=[photo],
        client_id=key,
        acted_at=done_offline.isoformat(),
    )
    assert first.status_code == 200
    # The response was lost; the phone sends the same action again, with the version it had.
    again = act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=[photo], client_id=key)
    assert again.status_code == 200
    assert again.get_json()["status"] == "rectified"
    events = again.get_json()["events"]
    assert [e["action"] for e in events].count("rectify") == 1
    assert datetime.fromisoformat(events[-1]["acted_at"]) == done_offline  # the time it was done, offline
    assert act(inspector, again.get_json(), "verify", client_id=key).status_code == 409  # not someone else's key


def test_impossible_action_times_are_clamped(inspector: Any, staff_jinlong: Any, small_jpeg: Any) -> None:
    from datetime import datetime

    issue = report(inspector, small_jpeg()).get_json()
    photo = upload_photo(staff_jinlong, small_jpeg((2, 2, 2)), kind="after")["id"]
    done = act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=[photo], acted_at="2020-01-01T08:00:00+08:00")
    events = done.get_json()["events"]
    assert datetime.fromisoformat(events[-1]["acted_at"]) >= datetime.fromisoformat(events[-2]["created_at"])
    ext = report(inspector, small_jpeg()).get_json()
    future = act(staff_jinlong, ext, "dispute", note="非本社区", acted_at="2099-01-01T00:00:00+00:00").get_json()
    assert future["events"][-1]["acted_at"] < "2099"
