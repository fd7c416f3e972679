"""The 消息 API: list, unread badge, mark read; only ever your own. The channel admin API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from server.issues.models import Issue
from server.notifications.tick import TickReport
from tests.server.notifications.helpers import unit

Tick = Callable[[datetime], TickReport]


@pytest.fixture
def two_messages(make_issue: Callable[..., Issue], tick: Tick) -> Issue:
    """staff_jinlong gets a 'dispatched' and then a 'reminder' message."""
    issue = make_issue()
    assert issue.deadline_at is not None
    tick(issue.deadline_at - timedelta(hours=12))
    return issue


def test_list_newest_first_with_unread_count(two_messages: Issue, staff_jinlong: Any) -> None:
    body = staff_jinlong.get("/api/v1/notifications").get_json()
    assert [item["kind"] for item in body["items"]] == ["reminder", "dispatched"]
    assert (body["total"], body["unread"], body["page"], body["per_page"]) == (2, 2, 1, 20)
    item = body["items"][0]
    assert item["title"] == item["title_zh"] == "整改即将到期：台账资料不规范（金龙社区）"
    assert item["link"] == f"/issues/{two_messages.public_id}"
    assert item["read_at"] is None
    assert item["is_read"] is False
    assert set(item) >= {"id", "kind", "title", "body", "title_en", "body_en", "created_at", "read_at"}


def test_each_message_names_its_issue_in_a_fixed_number_of_queries(
    two_messages: Issue, staff_jinlong: Any, make_issue: Callable[..., Issue], tick: Tick, query_counter: Any
) -> None:
    with query_counter() as two:
        items = staff_jinlong.get("/api/v1/notifications").get_json()["items"]
    assert items[0]["issue"] == {
        "id": two_messages.public_id,
        "category": {"code": "paperwork", "name_zh": "台账资料不规范", "name_en": "Records not up to standard"},
        "location_text": two_messages.location_text,
        "community": {"id": unit("jinlong").id, "name": "金龙社区"},
    }
    more = [make_issue() for _ in range(3)]
    tick(min(i.deadline_at for i in more if i.deadline_at) - timedelta(hours=12))
    with query_counter() as many:
        items = staff_jinlong.get("/api/v1/notifications").get_json()["items"]
    assert len(items) > 2
    assert many.n == two.n  # the issues come with the page, not one query each


def test_english_on_request(two_messages: Issue, staff_jinlong: Any) -> None:
    body = staff_jinlong.get("/api/v1/notifications", headers={"Accept-Language": "en"}).get_json()
    assert body["items"][0]["title"].startswith("Deadline approaching: Records not up to standard")


def test_mark_read_and_the_badge(two_messages: Issue, staff_jinlong: Any) -> None:
    assert staff_jinlong.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}
    newest = staff_jinlong.get("/api/v1/notifications").get_json()["items"][0]

    response = staff_jinlong.post(f"/api/v1/notifications/{newest['id']}/read")
    assert response.status_code == 200
    assert response.get_json()["is_read"] is True
    assert staff_jinlong.post(f"/api/v1/notifications/{newest['id']}/read").status_code == 200  # again: harmless
    assert staff_jinlong.get("/api/v1/notifications/unread-count").get_json() == {"unread": 1}

    unread = staff_jinlong.get("/api/v1/notifications?unread=1").get_json()
    assert [item["kind"] for item in unread["items"]] == ["dispatched"]
    assert unread["total"] == 1


def test_read_all(two_messages: Issue, staff_jinlong: Any) -> None:
    response = staff_jinlong.post("/api/v1/notifications/read-all")
    assert response.get_json() == {"updated": 2, "unread": 0}
    assert staff_jinlong.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}
    assert staff_jinlong.get("/api/v1/notifications?unread=1").get_json()["items"] == []


def test_nobody_sees_or_marks_someone_elses(two_messages: Issue, staff_jinlong: Any, staff_jinyuan: Any) -> None:
    theirs = staff_jinlong.get("/api/v1/notifications").get_json()["items"][0]["id"]
    assert staff_jinyuan.get("/api/v1/notifications").get_json()["items"] == []
    assert staff_jinyuan.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}
    response = staff_jinyuan.post(f"/api/v1/notifications/{theirs}/read")
    assert response.status_code == 404
    assert staff_jinyuan.post("/api/v1/notifications/read-all").get_json()["updated"] == 0
    assert staff_jinlong.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}


def test_paging(two_messages: Issue, staff_jinlong: Any) -> None:
    page_2 = staff_jinlong.get("/api/v1/notifications?per_page=1&page=2").get_json()
    assert [item["kind"] for item in page_2["items"]] == ["dispatched"]
    assert staff_jinlong.get("/api/v1/notifications?per_page=500").status_code == 422


@pytest.mark.parametrize(
    "url", ["/api/v1/notifications", "/api/v1/notifications/unread-count", "/api/v1/notification-channels"]
)
def test_anonymous_gets_401(client: Any, url: str) -> None:
    assert client.get(url).status_code == 401


# ------------------------------------------------------------------ channels (admin)


def _channel(org_unit: str = "jinlong", **fields: Any) -> dict[str, Any]:
    return {"org_unit_id": unit(org_unit).id, "kind": "wecom", "target": "http://127.0.0.1:9/robot"} | fields


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 201), ("supervisor", 403), ("inspector", 403), ("street_baishazhou", 403), ("staff_jinlong", 403)],
)
def test_only_admins_add_channels(login: Callable[[str], Any], username: str, status: int) -> None:
    assert login(username).post("/api/v1/notification-channels", json=_channel()).status_code == status


def test_admin_manages_a_channel(login: Callable[[str], Any]) -> None:
    admin = login("admin")
    created = admin.post(
        "/api/v1/notification-channels",
        json=_channel("baishazhou_street", kind="dingtalk", secret="SECxyz", name="白沙洲街道督办群"),
    ).get_json()
    assert created["org_unit"]["name"] == "白沙洲街道"
    assert created["has_secret"] is True
    assert "secret" not in created

    listed = admin.get("/api/v1/notification-channels").get_json()["items"]
    assert [c["id"] for c in listed] == [created["id"]]
    under_jinyuan = admin.get(f"/api/v1/notification-channels?org_unit_id={unit('jinyuan').id}").get_json()
    assert under_jinyuan["items"] == []

    response = admin.patch(f"/api/v1/notification-channels/{created['id']}", json={"is_active": False})
    assert response.status_code == 200
    assert response.get_json()["is_active"] is False


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"target": "ftp://example.org/x"}, "target"),
        ({"target": "not a url"}, "target"),
        ({"kind": "email", "target": "nobody"}, "target"),
        ({"kind": "sms"}, "kind"),
    ],
)
def test_bad_channels_are_refused(login: Callable[[str], Any], fields: dict[str, Any], field: str) -> None:
    response = login("admin").post("/api/v1/notification-channels", json=_channel(**fields))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]


def test_the_api_is_documented(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/notifications",
        "/api/v1/notifications/unread-count",
        "/api/v1/notifications/{notification_id}/read",
        "/api/v1/notifications/read-all",
        "/api/v1/notification-channels",
    ):
        assert path in paths
