"""Notifications straight from the event log: who hears of which action, through the real API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from server.db import utcnow
from server.extensions import db
from server.issues.operations import ActionRequest, apply_action
from server.notifications import events
from tests.server.issues.helpers import act, report, upload_photo
from tests.server.notifications.helpers import notifications, recipients, user


def _detail(api: Any, issue_id: str) -> dict[str, Any]:
    return api.get(f"/api/v1/issues/{issue_id}").get_json()  # type: ignore[no-any-return]


def _dispatched_issue(inspector: Any, small_jpeg: Callable[..., bytes]) -> dict[str, Any]:
    response = report(inspector, small_jpeg(), category="corridor_clutter", location_text="金龙小区11栋2单元楼道")
    assert response.status_code == 201, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def test_a_dispatched_issue_tells_the_community_staff(inspector: Any, small_jpeg: Callable[..., bytes]) -> None:
    issue = _dispatched_issue(inspector, small_jpeg)
    assert recipients("dispatched") == ["staff_jinlong"]
    message = notifications("dispatched")[0]
    assert message.title_zh == "新问题待整改：楼道堆物（金龙社区）"
    assert "位置：金龙小区11栋2单元楼道" in message.body_zh
    assert message.link == f"/issues/{issue['id']}"


def test_the_whole_loop_tells_each_side_its_turn(
    inspector: Any, supervisor: Any, staff_jinlong: Any, small_jpeg: Callable[..., bytes]
) -> None:
    issue = _dispatched_issue(inspector, small_jpeg)
    requested = (utcnow() + timedelta(days=20)).date().isoformat()

    response = act(staff_jinlong, issue, "request_extension", note="需协调物业清运", requested_until=requested)
    assert response.status_code == 200, response.get_json()
    assert recipients("extension_requested") == ["supervisor"]
    assert "延期理由：需协调物业清运" in notifications("extension_requested")[0].body_zh

    response = act(supervisor, _detail(supervisor, issue["id"]), "deny_extension", note="期限内可完成")
    assert response.status_code == 200, response.get_json()
    assert recipients("extension_denied") == ["staff_jinlong"]

    photo = upload_photo(staff_jinlong, small_jpeg((30, 200, 30)), kind="after")["id"]
    response = act(staff_jinlong, _detail(staff_jinlong, issue["id"]), "rectify", note="已清理", photo_ids=[photo])
    assert response.status_code == 200, response.get_json()
    assert recipients("rectified") == ["inspector"]

    response = act(inspector, _detail(inspector, issue["id"]), "reject", note="楼道仍有纸箱")
    assert response.status_code == 200, response.get_json()
    assert recipients("rejected") == ["staff_jinlong"]
    assert "退回原因：楼道仍有纸箱" in notifications("rejected")[0].body_zh


def test_an_approved_extension_tells_the_staff_the_new_deadline(
    inspector: Any, supervisor: Any, staff_jinlong: Any, small_jpeg: Callable[..., bytes]
) -> None:
    issue = _dispatched_issue(inspector, small_jpeg)
    requested = (utcnow() + timedelta(days=20)).date().isoformat()
    act(staff_jinlong, issue, "request_extension", note="需协调物业", requested_until=requested)
    response = act(supervisor, _detail(supervisor, issue["id"]), "approve_extension")
    assert response.status_code == 200, response.get_json()
    assert recipients("extension_approved") == ["staff_jinlong"]
    assert requested in notifications("extension_approved")[0].body_zh


def test_a_dispute_asks_the_supervisors_to_dispatch_again(
    inspector: Any, staff_jinlong: Any, small_jpeg: Callable[..., bytes]
) -> None:
    issue = _dispatched_issue(inspector, small_jpeg)
    response = act(staff_jinlong, issue, "dispute", note="该楼属于相邻社区")
    assert response.status_code == 200, response.get_json()
    assert recipients("disputed") == ["supervisor"]
    assert notifications("disputed")[0].title_zh == "社区申诉，待重新派发：楼道堆物（金龙社区）"


def test_a_failed_request_notifies_nobody(
    inspector: Any, staff_jinlong: Any, small_jpeg: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    issue = _dispatched_issue(inspector, small_jpeg)
    written: list[str] = []
    real_publish = events.publish

    def spy(connection: Any, key: str, message: Any, *args: Any) -> Any:
        written.append(message.kind)
        return real_publish(connection, key, message, *args)

    monkeypatch.setattr(events, "publish", spy)
    # The rectify event is written (and its message with it), then the unknown photo fails
    # the request: all of it rolls back.
    response = act(staff_jinlong, issue, "rectify", note="已整改", photo_ids=["00000000-0000-4000-8000-000000000000"])
    assert response.status_code == 422, response.get_json()
    assert written == ["rectified"]
    db.session.expire_all()
    assert notifications("rectified") == []


def test_a_rolled_back_savepoint_takes_its_notifications_with_it(make_issue: Callable[..., Any]) -> None:
    issue = make_issue()
    savepoint = db.session.begin_nested()
    apply_action(
        user("staff_jinlong"),
        issue,
        ActionRequest(action="dispute", version=issue.version, note="不是本社区的"),
    )
    assert recipients("disputed") == ["supervisor"]  # written in the same transaction …
    savepoint.rollback()
    assert notifications("disputed") == []  # … and gone with it
