"""Creating issues: routing, document categories, validation, idempotency."""

from __future__ import annotations

import uuid
from typing import Any

from tests.server.issues.helpers import report, upload_photo


def test_point_in_boundary_routes_to_that_community(inspector: Any, small_jpeg: Any) -> None:
    issue = report(inspector, small_jpeg(), category="debris", at=(26.9480, 112.6220)).get_json()
    assert issue["community"]["code"] == "jinyuan"
    assert issue["events"][1]["data"]["routed_by"] == "boundary"


def test_point_near_a_community_goes_to_the_nearest(inspector: Any, small_jpeg: Any) -> None:
    # Just outside 祥瑞社区's boundary (west edge is lon 112.572), well within 1.5 km of its centroid.
    issue = report(inspector, small_jpeg(), at=(26.9000, 112.5680)).get_json()
    assert issue["status"] == "assigned"
    assert issue["community"]["code"] == "xiangrui"
    assert issue["events"][1]["data"]["routed_by"] == "nearest"


def test_point_far_from_everything_waits_for_dispatch(inspector: Any, small_jpeg: Any) -> None:
    issue = report(inspector, small_jpeg(), at=(26.8000, 112.5000)).get_json()
    assert issue["status"] == "reported"
    assert issue["community"] is None
    assert issue["deadline_at"] is None
    assert issue["available_actions"] == ["cancel", "same_problem"]


def test_document_category_takes_the_community_from_the_request(inspector: Any) -> None:
    jinlong = next(c for c in inspector.get("/api/v1/communities").get_json()["items"] if c["code"] == "jinlong")
    body = {
        "client_id": str(uuid.uuid4()),
        "category": "paperwork",
        "community_id": jinlong["id"],
        "description": "“相约文明”教育活动签到表填写不规范",
    }
    response = inspector.post("/api/v1/issues", json=body)
    assert response.status_code == 201, response.get_json()
    issue = response.get_json()
    assert issue["status"] == "assigned"
    assert issue["community"]["code"] == "jinlong"
    assert issue["lat"] is None
    del body["community_id"]
    body["client_id"] = str(uuid.uuid4())
    assert inspector.post("/api/v1/issues", json=body).status_code == 422


def test_site_category_needs_location_and_photo(inspector: Any, small_jpeg: Any) -> None:
    photo = upload_photo(inspector, small_jpeg())["id"]
    base = {"category": "debris", "photo_ids": [photo]}
    no_gps = inspector.post("/api/v1/issues", json={**base, "client_id": str(uuid.uuid4())})
    assert no_gps.status_code == 422
    assert no_gps.get_json()["error"]["message"] == "请先获取位置（GPS）再上报"
    no_photo = inspector.post(
        "/api/v1/issues", json={"client_id": str(uuid.uuid4()), "category": "debris", "lat": 26.86, "lon": 112.6}
    )
    assert no_photo.status_code == 422
    bad = inspector.post("/api/v1/issues", json={**base, "client_id": "not-a-uuid", "lat": 95, "lon": 112.6})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["details"]) >= {"client_id", "lat"}
    unknown = inspector.post(
        "/api/v1/issues", json={**base, "client_id": str(uuid.uuid4()), "category": "x", "lat": 26.86, "lon": 112.6}
    )
    assert unknown.get_json()["error"]["code"] == "unknown_category"
    assert inspector.get("/api/v1/issues?reporter=me").get_json()["total"] == 0


def test_repeated_client_id_returns_the_original(inspector: Any, supervisor: Any, small_jpeg: Any) -> None:
    first = report(inspector, small_jpeg())
    assert first.status_code == 201
    issue = first.get_json()
    body = {
        "client_id": issue["client_id"],
        "category": "illegal_shed",
        "lat": 26.86,
        "lon": 112.6,
        "photo_ids": [issue["photos"][0]["id"]],
    }
    again = inspector.post("/api/v1/issues", json=body)
    assert again.status_code == 200
    assert again.get_json()["id"] == issue["id"]
    assert inspector.get("/api/v1/issues?reporter=me").get_json()["total"] == 1
    stolen = supervisor.post("/api/v1/issues", json=body)
    assert stolen.status_code == 409


def test_list_filters_and_paging(inspector: Any, small_jpeg: Any) -> None:
    a = report(inspector, small_jpeg(), category="debris", location_text="金龙小区11栋前坪", description="废弃物一堆")
    b = report(inspector, small_jpeg(), category="illegal_shed", at=(26.9480, 112.6220))
    ids = {a.get_json()["id"], b.get_json()["id"]}
    assert len(ids) == 2
    by_text = inspector.get("/api/v1/issues?q=前坪").get_json()
    assert [i["id"] for i in by_text["items"]] == [a.get_json()["id"]]
    by_category = inspector.get("/api/v1/issues?category=illegal_shed").get_json()
    assert [i["id"] for i in by_category["items"]] == [b.get_json()["id"]]
    jinyuan_box = inspector.get("/api/v1/issues?bbox=112.61,26.94,112.64,26.96").get_json()
    assert [i["id"] for i in jinyuan_box["items"]] == [b.get_json()["id"]]
    page = inspector.get("/api/v1/issues?per_page=1&page=2").get_json()
    assert page["total"] == 2
    assert len(page["items"]) == 1
    near = inspector.get("/api/v1/issues?sort=distance&near=26.9480,112.6220").get_json()["items"]
    assert near[0]["id"] == b.get_json()["id"]
    assert near[0]["distance_m"] < 1
    assert near[0]["thumbnail_url"]
    assert inspector.get("/api/v1/issues?bbox=1,2,3").status_code == 422
    assert inspector.get("/api/v1/issues?status=open").status_code == 422


def test_list_does_not_query_per_issue(inspector: Any, small_jpeg: Any, query_counter: Any) -> None:
    for _ in range(3):
        report(inspector, small_jpeg())
    with query_counter() as few:
        inspector.get("/api/v1/issues?per_page=1")
    for _ in range(5):
        report(inspector, small_jpeg())
    with query_counter() as many:
        inspector.get("/api/v1/issues?per_page=50")
    assert many.n == few.n
