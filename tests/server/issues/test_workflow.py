"""Transitions that are refused change nothing; stale versions lose; extensions; disputes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from server.deadlines.operations import current_calendar
from tests.server.issues.helpers import act, report, upload_photo


@pytest.fixture
def assigned(inspector: Any, small_jpeg: Any) -> dict[str, Any]:
    response = report(inspector, small_jpeg())
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def _unchanged(api: Any, issue: dict[str, Any]) -> None:
    now = api.get(f"/api/v1/issues/{issue['id']}").get_json()
    for key in ("status", "version", "deadline_at", "rework_count", "extension_requested_until"):
        assert now[key] == issue[key], key
    assert len(now["events"]) == len(issue["events"])


@pytest.mark.parametrize(
    ("action", "fields"), [("verify", {}), ("reject", {"note": "x"}), ("dispatch", {"community_id": 1})]
)
def test_transition_not_allowed_from_status(
    inspector: Any, supervisor: Any, assigned: dict[str, Any], action: str, fields: dict[str, Any]
) -> None:
    response = act(supervisor, assigned, action, **fields)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "transition_not_allowed"
    assert "整改中" in error["message"]  # says, in Chinese, why
    _unchanged(inspector, assigned)


def test_english_message_on_request(supervisor: Any, assigned: dict[str, Any]) -> None:
    response = supervisor.post(
        f"/api/v1/issues/{assigned['id']}/actions",
        json={"action": "verify", "version": assigned["version"]},
        headers={"Accept-Language": "en"},
    )
    assert response.get_json()["error"]["message"] == "An issue that is 'Being rectified' cannot 'Pass re-check'"


def test_stale_version_is_refused(
    staff_jinlong: Any, inspector: Any, assigned: dict[str, Any], small_jpeg: Any
) -> None:
    moved = act(staff_jinlong, assigned, "request_extension", note="需协调", requested_until="2099-01-31").get_json()
    photo = upload_photo(staff_jinlong, small_jpeg((1, 2, 3)), kind="after")["id"]
    stale = act(staff_jinlong, assigned, "rectify", note="已整改", photo_ids=[photo])  # carries the old version
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "stale_version"
    _unchanged(inspector, moved)


def test_unknown_action_and_missing_fields(staff_jinlong: Any, inspector: Any, assigned: dict[str, Any]) -> None:
    assert act(staff_jinlong, assigned, "demolish").status_code == 422
    missing = act(staff_jinlong, assigned, "rectify", note="")
    assert missing.status_code == 422
    assert set(missing.get_json()["error"]["details"]) == {"note", "photo_ids"}
    assert act(inspector, {**assigned, "status": "rectified"}, "reject").status_code == 409
    _unchanged(inspector, assigned)


def test_photos_cannot_be_reused_or_borrowed(staff_jinlong: Any, inspector: Any, assigned: dict[str, Any]) -> None:
    before_photo = assigned["photos"][0]["id"]  # the inspector's, already attached
    response = act(staff_jinlong, assigned, "rectify", note="已整改", photo_ids=[before_photo])
    assert response.status_code == 422
    _unchanged(inspector, assigned)


def test_extension_moves_deadline_only_when_approved(
    staff_jinlong: Any, supervisor: Any, assigned: dict[str, Any]
) -> None:
    requested = act(staff_jinlong, assigned, "request_extension", note="需城管配合拆除", requested_until="2099-03-01")
    assert requested.status_code == 200
    issue = requested.get_json()
    assert issue["deadline_at"] == assigned["deadline_at"]
    assert issue["extension_requested_until"] is not None
    assert act(staff_jinlong, issue, "request_extension", note="again", requested_until="2099-04-01").status_code == 409

    denied = act(supervisor, issue, "deny_extension", note="可按期完成").get_json()
    assert denied["deadline_at"] == assigned["deadline_at"]
    assert denied["extension_requested_until"] is None

    again = act(staff_jinlong, denied, "request_extension", note="材料未到", requested_until="2099-03-01").get_json()
    approved = act(supervisor, again, "approve_extension").get_json()
    assert datetime.fromisoformat(approved["deadline_at"]) == current_calendar().end_of_day(datetime(2099, 3, 1).date())
    assert (
        approved["events"][-1]["data"]["deadline_before"] == datetime.fromisoformat(assigned["deadline_at"]).isoformat()
    )


def test_extension_must_be_later_than_deadline(staff_jinlong: Any, assigned: dict[str, Any]) -> None:
    response = act(staff_jinlong, assigned, "request_extension", note="x", requested_until="2000-01-01")
    assert response.status_code == 422


def test_dispute_returns_issue_for_redispatch(staff_jinlong: Any, supervisor: Any, assigned: dict[str, Any]) -> None:
    disputed = act(staff_jinlong, assigned, "dispute", note="该位置属于金源社区").get_json()
    assert disputed["status"] == "reported"
    assert disputed["community"] is None
    assert disputed["deadline_at"] is None
    assert staff_jinlong.get(f"/api/v1/issues/{assigned['id']}").status_code == 404
    jinyuan = next(c for c in supervisor.get("/api/v1/communities").get_json()["items"] if c["code"] == "jinyuan")
    redispatched = act(supervisor, disputed, "dispatch", community_id=jinyuan["id"]).get_json()
    assert redispatched["status"] == "assigned"
    assert redispatched["community"]["name"] == "金源社区"


def test_cancel_needs_reason(inspector: Any, assigned: dict[str, Any]) -> None:
    assert act(inspector, assigned, "cancel").status_code == 422
    cancelled = act(inspector, assigned, "cancel", note="重复上报").get_json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["cancelled_at"]
    assert cancelled["available_actions"] == []


def test_overdue_is_derived(supervisor: Any, staff_jinlong: Any, assigned: dict[str, Any], app: Any) -> None:
    from datetime import UTC, timedelta

    from server.extensions import db
    from server.issues.models import Issue

    with app.app_context():
        issue = db.session.query(Issue).filter_by(public_id=assigned["id"]).one()
        issue.deadline_at = datetime.now(UTC) - timedelta(hours=2)
        db.session.commit()
    overdue = supervisor.get("/api/v1/issues?overdue=true").get_json()["items"]
    assert [i["id"] for i in overdue] == [assigned["id"]]
    assert overdue[0]["is_overdue"] is True
    not_overdue = supervisor.get("/api/v1/issues?overdue=false").get_json()["items"]
    assert assigned["id"] not in [i["id"] for i in not_overdue]
