"""The closed loop through the HTTP API alone, as the demo users (issue #2, acceptance 2)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from server.deadlines.compute import compute_deadline
from tests.server.issues.helpers import act, report, upload_photo
from tests.server.photos.helpers import fetch_url


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_report_dispatch_rectify_reject_rectify_verify(
    inspector: Any, staff_jinlong: Any, staff_jinyuan: Any, photo_bytes: Any, small_jpeg: Any, client: Any
) -> None:
    communities = {c["code"]: c for c in inspector.get("/api/v1/communities").get_json()["items"]}
    centroid = communities["jinlong"]["centroid"]

    # The inspector reports a 违规搭棚 at 金龙社区's centroid with a real phone photo.
    created = report(inspector, photo_bytes("jpg/mobile/jolla.jpg"), at=(centroid["lat"], centroid["lon"]))
    assert created.status_code == 201, created.get_json()
    issue = created.get_json()
    assert issue["status"] == "assigned"
    assert issue["community"]["name"] == "金龙社区"
    dispatched = _when(issue["dispatched_at"])
    assert _when(issue["deadline_at"]) == compute_deadline(dispatched, "work_days", 15)
    assert len(issue["photos"]) == 1
    assert issue["photos"][0]["kind"] == "before"

    # Staff of 金龙社区 see it; staff of 金源社区 do not, and cannot act on it.
    listed = staff_jinlong.get("/api/v1/issues?status=assigned&sort=deadline").get_json()
    assert issue["id"] in [i["id"] for i in listed["items"]]
    assert staff_jinyuan.get(f"/api/v1/issues/{issue['id']}").status_code == 404
    assert issue["id"] not in [i["id"] for i in staff_jinyuan.get("/api/v1/issues").get_json()["items"]]
    intruder_photo = upload_photo(staff_jinyuan, small_jpeg((10, 200, 10)), kind="after")["id"]
    assert act(staff_jinyuan, issue, "rectify", note="已拆除", photo_ids=[intruder_photo]).status_code == 404

    # Staff rectify with an after photo.
    after = upload_photo(staff_jinlong, small_jpeg((20, 120, 220)), kind="after")["id"]
    response = act(staff_jinlong, issue, "rectify", note="已拆除违规搭棚", photo_ids=[after])
    assert response.status_code == 200, response.get_json()
    issue = response.get_json()
    assert issue["status"] == "rectified"

    # The inspector rejects: rework count 1 and a new deadline from the rule.
    response = act(inspector, issue, "reject", note="仍有一处未拆除")
    assert response.status_code == 200, response.get_json()
    issue = response.get_json()
    assert issue["status"] == "assigned"
    assert issue["rework_count"] == 1
    reject_event = issue["events"][-1]
    assert reject_event["action"] == "reject"
    assert _when(issue["deadline_at"]) == compute_deadline(_when(reject_event["created_at"]), "work_days", 15)

    # Staff rectify again; the inspector passes it.
    after2 = upload_photo(staff_jinlong, small_jpeg((220, 220, 20)), kind="after")["id"]
    issue = act(staff_jinlong, issue, "rectify", note="已全部拆除", photo_ids=[after2]).get_json()
    response = act(inspector, issue, "verify", note="复查合格")
    assert response.status_code == 200, response.get_json()
    issue = response.get_json()
    assert issue["status"] == "closed"
    assert issue["closed_at"] is not None

    # The detail shows every event in order, with who did it and the photos it carried.
    detail = inspector.get(f"/api/v1/issues/{issue['id']}").get_json()
    steps = [(e["action"], e["from_status"], e["to_status"]) for e in detail["events"]]
    assert steps == [
        ("report", None, "reported"),
        ("dispatch", "reported", "assigned"),
        ("rectify", "assigned", "rectified"),
        ("reject", "rectified", "assigned"),
        ("rectify", "assigned", "rectified"),
        ("verify", "rectified", "closed"),
    ]
    assert detail["events"][1]["actor"] is None  # dispatched automatically by routing
    assert detail["events"][2]["photo_ids"] == [after]
    assert detail["events"][4]["photo_ids"] == [after2]
    assert [e["actor"]["username"] for e in detail["events"] if e["actor"]] == [
        "inspector",
        "staff_jinlong",
        "inspector",
        "staff_jinlong",
        "inspector",
    ]
    assert detail["available_actions"] == []

    # The photos are reachable through their signed URLs, and only through them: links to
    # the app (local storage) or presigned links to the S3 store, which refuses unsigned ones.
    display_url = detail["photos"][0]["urls"]["display"]
    response = fetch_url(client, display_url)
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert fetch_url(client, display_url.split("?")[0]).status_code in (400, 403, 404)
