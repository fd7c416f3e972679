"""Who may read and act on an issue: role × action × own/other community (default deny)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.issues.helpers import act, report, upload_photo

EVERYONE = ["inspector", "supervisor", "admin", "street_baishazhou", "staff_jinlong", "staff_jinyuan", "staff_xiangrui"]


def _issue_in(state: str, login: Any, small_jpeg: Any) -> dict[str, Any]:
    """An issue of 金龙社区 brought to ``state`` through the API."""
    inspector, staff = login("inspector"), login("staff_jinlong")
    issue = report(inspector, small_jpeg()).get_json()
    if state in ("rectified", "extension_pending"):
        if state == "rectified":
            photo = upload_photo(staff, small_jpeg((0, 90, 200)), kind="after")["id"]
            issue = act(staff, issue, "rectify", note="已整改", photo_ids=[photo]).get_json()
        else:
            issue = act(staff, issue, "request_extension", note="需协调城管", requested_until="2099-01-31").get_json()
    if state == "reported":
        issue = act(staff, issue, "dispute", note="不属于本社区").get_json()
    assert issue["status"] == ("assigned" if state == "extension_pending" else state), issue
    return issue


# Expected status per user; users absent from a row get 404 (they cannot see the issue).
READ = dict.fromkeys(["inspector", "supervisor", "admin", "street_baishazhou", "staff_jinlong"], 200)
ACTIONS: list[tuple[str, str, dict[str, Any], dict[str, int]]] = [
    (
        "assigned",
        "rectify",
        {"note": "已整改", "photo_ids": "after"},
        {"staff_jinlong": 200, "inspector": 409, "supervisor": 409, "admin": 409, "street_baishazhou": 409},
    ),
    (
        "rectified",
        "verify",
        {},
        {"inspector": 200, "supervisor": 200, "admin": 409, "street_baishazhou": 409, "staff_jinlong": 409},
    ),
    (
        "rectified",
        "reject",
        {"note": "未整改到位"},
        {"inspector": 200, "supervisor": 200, "admin": 409, "street_baishazhou": 409, "staff_jinlong": 409},
    ),
    (
        "assigned",
        "request_extension",
        {"note": "需协调", "requested_until": "2099-01-31"},
        {"staff_jinlong": 200, "inspector": 409, "supervisor": 409, "admin": 409, "street_baishazhou": 409},
    ),
    (
        "extension_pending",
        "approve_extension",
        {},
        {"supervisor": 200, "inspector": 409, "admin": 409, "street_baishazhou": 409, "staff_jinlong": 409},
    ),
    (
        "extension_pending",
        "deny_extension",
        {"note": "理由不充分"},
        {"supervisor": 200, "inspector": 409, "admin": 409, "street_baishazhou": 409, "staff_jinlong": 409},
    ),
    (
        "assigned",
        "dispute",
        {"note": "不属于本社区"},
        {"staff_jinlong": 200, "inspector": 409, "supervisor": 409, "admin": 409, "street_baishazhou": 409},
    ),
    (
        "assigned",
        "cancel",
        {"note": "重复上报"},
        {"inspector": 200, "supervisor": 200, "admin": 409, "street_baishazhou": 409, "staff_jinlong": 409},
    ),
    # Disputed: back to reported, out of the community, visible only to city-wide roles.
    ("reported", "dispatch", {"community_id": "jinlong"}, {"supervisor": 200, "inspector": 409, "admin": 409}),
]


@pytest.mark.parametrize("username", EVERYONE)
def test_read_scope(username: str, login: Any, small_jpeg: Any) -> None:
    issue = _issue_in("assigned", login, small_jpeg)
    api = login(username)
    expected = READ.get(username, 404)
    assert api.get(f"/api/v1/issues/{issue['id']}").status_code == expected
    listed = [i["id"] for i in api.get("/api/v1/issues?per_page=100").get_json()["items"]]
    assert (issue["id"] in listed) == (expected == 200)


@pytest.mark.parametrize("username", EVERYONE)
@pytest.mark.parametrize(("state", "action", "fields", "expected"), ACTIONS, ids=[a[1] for a in ACTIONS])
def test_action_access(
    username: str,
    state: str,
    action: str,
    fields: dict[str, Any],
    expected: dict[str, int],
    login: Any,
    small_jpeg: Any,
) -> None:
    issue = _issue_in(state, login, small_jpeg)
    api = login(username)
    body = dict(fields)
    if body.get("photo_ids") == "after":
        body["photo_ids"] = (
            [upload_photo(api, small_jpeg((9, 9, 9)), kind="after")["id"]]
            if api.user["role"] in ("inspector", "supervisor", "community_staff")
            else []
        )
    if body.get("community_id") == "jinlong":
        body["community_id"] = next(
            c["id"]
            for c in login("supervisor").get("/api/v1/communities").get_json()["items"]
            if c["code"] == "jinlong"
        )
    response = act(api, issue, action, **body)
    assert response.status_code == expected.get(username, 404), response.get_json()
    after = login("supervisor").get(f"/api/v1/issues/{issue['id']}").get_json()
    if response.status_code == 200:
        assert after["events"][-1]["action"] == action
    else:  # refused: nothing changed
        assert after["version"] == issue["version"]
        assert len(after["events"]) == len(issue["events"])
        assert response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [("inspector", 201), ("supervisor", 201), ("admin", 403), ("street_baishazhou", 403), ("staff_jinlong", 403)],
)
def test_who_may_report(username: str, expected: int, login: Any, small_jpeg: Any) -> None:
    api = login(username)
    photo = upload_photo(login("inspector"), small_jpeg())["id"] if username in ("admin", "street_baishazhou") else None
    if photo is None:
        photo = upload_photo(api, small_jpeg())["id"]
    body = {
        "client_id": "8a6e0804-2bd0-4672-b79d-d79902643a7a",
        "category": "debris",
        "lat": 26.86,
        "lon": 112.60,
        "photo_ids": [photo],
    }
    assert api.post("/api/v1/issues", json=body).status_code == expected


def test_not_logged_in_gets_401(client: Any) -> None:
    for url in ("/api/v1/issues", "/api/v1/me", "/api/v1/categories", "/api/v1/communities"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "not_authenticated"
