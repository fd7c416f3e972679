"""GET /api/v1/map/issues: GeoJSON, singles or clusters, filters, time, validation."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from server.db import utcnow
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.map import counts
from server.orgs.models import OrgUnit
from tests.server.issues.helpers import JINLONG_POINT, report
from tests.server.map.conftest import CITY_BBOX, JINLONG_BBOX, map_json, map_query

Make = Callable[..., Issue]


def test_single_issues_as_geojson(inspector: Any, small_jpeg: Callable[..., bytes]) -> None:
    issue = report(inspector, small_jpeg()).get_json()
    response = map_query(inspector, JINLONG_BBOX, zoom=16)
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    body = response.get_json()
    assert body["type"] == "FeatureCollection"
    assert body["meta"]["mode"] == "issues"
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == issue["id"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [JINLONG_POINT[1], JINLONG_POINT[0]]}
    props = feature["properties"]
    assert props["cluster"] is False
    assert props["status"] == "assigned"
    assert props["category"]["code"] == "illegal_shed"
    assert props["category"]["name_zh"] == "违规搭棚"
    assert props["community"]["name"] == "金龙社区"
    assert props["is_overdue"] is False
    assert props["deadline_at"] == issue["deadline_at"]
    assert props["thumbnail_url"]


def test_clusters_when_dense_and_singles_when_few(supervisor: Any, make_issue: Make, threshold: Any) -> None:
    spot = [(26.8600 + i * 0.0001, 112.6000 + i * 0.0001) for i in range(5)]
    for lat, lon in spot:
        make_issue(lat, lon)
    make_issue(26.950, 112.620, community="jinyuan")
    make_issue(26.900, 112.580, community="xiangrui")
    threshold(3)
    body = map_json(supervisor, zoom=12)
    assert body["meta"]["mode"] == "clusters"
    assert body["meta"]["total"] == 7
    assert all(f["properties"]["cluster"] for f in body["features"])
    biggest = max(body["features"], key=lambda f: f["properties"]["count"])
    assert biggest["properties"]["count"] == 5
    lon, lat = biggest["geometry"]["coordinates"]
    assert lat == pytest.approx(sum(p[0] for p in spot) / 5)  # the centre of mass, not the cell's centre
    assert lon == pytest.approx(sum(p[1] for p in spot) / 5)
    west, south, east, north = biggest["properties"]["bbox"]
    assert west <= lon <= east
    assert south <= lat <= north
    # Zoomed in on two of the five: few enough to send one by one.
    two = (112.59995, 26.85995, 112.60012, 26.86012)
    assert [f["properties"]["cluster"] for f in map_json(supervisor, two, zoom=19)["features"]] == [False, False]
    # A higher threshold: the whole city one by one.
    threshold(10)
    body = map_json(supervisor, zoom=12)
    assert body["meta"]["mode"] == "issues"
    assert len(body["features"]) == 7


def test_zooming_in_splits_clusters(supervisor: Any, make_issue: Make, threshold: Any) -> None:
    for i in range(4):
        make_issue(26.8600 + i * 0.002, 112.6000 + i * 0.002)  # 200 m apart
    threshold(0)
    counts_by_zoom = {
        z: sorted(f["properties"]["count"] for f in map_json(supervisor, JINLONG_BBOX, zoom=z)["features"])
        for z in (10, 17)
    }
    assert counts_by_zoom[10] == [4]
    assert counts_by_zoom[17] == [1, 1, 1, 1]


def _next_hour() -> datetime:
    """The start of the next UTC hour: a bucket boundary the test controls."""
    return datetime.fromtimestamp((counts.due_hour(utcnow()) + 1) * counts.HOUR, UTC)


def test_an_issue_becomes_overdue_with_no_write(
    supervisor: Any, make_issue: Make, clock: Callable[[datetime], None], threshold: Any
) -> None:
    hour = _next_hour()
    due = make_issue(26.860, 112.600, deadline_at=hour + timedelta(minutes=20))
    make_issue(26.861, 112.601, deadline_at=hour + timedelta(days=3))
    make_issue(26.862, 112.602, status=Status.RECTIFIED, deadline_at=hour - timedelta(days=5))  # not assigned
    make_issue(26.863, 112.603, status=Status.REPORTED, community=None)

    def seen(at: datetime, **params: Any) -> tuple[int, int]:
        clock(at)
        meta = map_json(supervisor, zoom=12, **params)["meta"]
        return meta["total"], meta["overdue"]

    threshold(0)  # clusters, from the counts
    assert seen(hour + timedelta(minutes=10)) == (4, 0)
    assert seen(hour + timedelta(minutes=40)) == (4, 1)  # due earlier this hour: counted from the issues
    assert seen(hour + timedelta(days=2)) == (4, 1)  # due in a past hour: from the hour rows
    assert seen(hour + timedelta(days=2), overdue="true") == (1, 1)
    assert seen(hour + timedelta(days=2), overdue="false") == (3, 0)
    assert seen(hour + timedelta(days=5)) == (4, 2)
    counts.compact(db.session.connection(), counts.due_hour(hour + timedelta(days=5)))
    assert seen(hour + timedelta(days=5)) == (4, 2)  # the same after folding the past hours

    threshold(100)  # one by one
    clock(hour + timedelta(minutes=40))
    features = map_json(supervisor, zoom=12)["features"]
    assert [f["properties"]["is_overdue"] for f in features if f["id"] == due.public_id] == [True]
    assert sum(f["properties"]["is_overdue"] for f in features) == 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"category": "illegal_shed"},
        {"category": "debris,signage", "overdue": "true"},
        {"overdue": "true"},
        {"overdue": "false"},
        {"status": "assigned"},
        {"status": "reported,rectified"},
        {"status": "closed"},
        {"status": "cancelled,assigned"},
        {"community_id": "jinlong"},
        {"community_id": "jinlong", "category": "illegal_shed", "overdue": "true"},
        {"category": "no_such_category"},
    ],
)
@pytest.mark.parametrize("limit", [0, 1000])
def test_filters_agree_with_the_issue_list(
    supervisor: Any, make_issue: Make, threshold: Any, params: dict[str, str], limit: int
) -> None:
    rnd = random.Random(6)
    now = utcnow()
    for _ in range(60):
        status = rnd.choice(list(Status))
        community = None if status in (Status.REPORTED, Status.CANCELLED) else rnd.choice(["jinlong", "jinyuan"])
        make_issue(
            26.85 + rnd.random() * 0.1,
            112.56 + rnd.random() * 0.08,
            status=status,
            community=community,
            category=rnd.choice(["illegal_shed", "debris", "signage"]),
            deadline_at=now + timedelta(hours=rnd.uniform(-100, 100)),
        )
    if "community_id" in params:
        params = params | {"community_id": str(db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "jinlong")))}
    threshold(limit)
    listed = dict(params)
    listed.setdefault("status", "reported,assigned,rectified")
    query = "&".join(f"{k}={v}" for k, v in listed.items())
    expected = supervisor.get(f"/api/v1/issues?per_page=1&{query}").get_json()["total"]
    body = map_json(supervisor, zoom=11, **params)
    assert body["meta"]["total"] == expected
    assert body["meta"]["mode"] == ("issues" if limit else "clusters") or expected == 0
    overdue = supervisor.get(f"/api/v1/issues?per_page=1&{query}&overdue=true").get_json()["total"]
    assert body["meta"]["overdue"] == (0 if params.get("overdue") == "false" else overdue)


def test_closed_issues_and_street_zooms_use_the_group_by(supervisor: Any, make_issue: Make, threshold: Any) -> None:
    make_issue(26.860, 112.600, status=Status.CLOSED)
    make_issue(26.861, 112.601, status=Status.CLOSED)
    make_issue(26.862, 112.602)
    threshold(0)
    closed = map_json(supervisor, zoom=12, status="closed")["meta"]
    assert (closed["source"], closed["total"]) == ("group_by", 2)
    street = map_json(supervisor, JINLONG_BBOX, zoom=17)["meta"]
    assert (street["source"], street["total"]) == ("group_by", 1)
    city = map_json(supervisor, zoom=12)["meta"]
    assert (city["source"], city["total"]) == ("counts", 1)


def test_a_huge_box_at_street_zoom_is_served_coarser(supervisor: Any, make_issue: Make, threshold: Any) -> None:
    make_issue(26.860, 112.600)
    threshold(0)
    meta = map_json(supervisor, (100.0, 20.0, 120.0, 30.0), zoom=20)["meta"]
    assert meta["zoom"] <= 10
    assert meta["total"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "",
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=112.8,26.7,112.4,27.1",  # west of east: across the antimeridian is not supported
        "bbox=112.4,27.1,112.8,26.7",
        "bbox=0,-91,1,0",
        "bbox=179,0,181,1",
        "bbox=nan,1,2,3",
        "bbox=1,2,inf,3",
        f"bbox={','.join(map(str, CITY_BBOX))}&zoom=23",
        f"bbox={','.join(map(str, CITY_BBOX))}&zoom=-1",
        f"bbox={','.join(map(str, CITY_BBOX))}&status=open",
        f"bbox={','.join(map(str, CITY_BBOX))}&overdue=perhaps",
    ],
)
def test_bad_arguments_are_refused(supervisor: Any, query: str) -> None:
    response = supervisor.get(f"/api/v1/map/issues?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"


def test_login_is_required(client: Any) -> None:
    assert client.get(f"/api/v1/map/issues?bbox={','.join(map(str, CITY_BBOX))}").status_code == 401


@pytest.mark.parametrize("limit", [0, 1000])
def test_queries_do_not_grow_with_the_issues(
    supervisor: Any, make_issue: Make, threshold: Any, query_counter: Any, limit: int
) -> None:
    threshold(limit)
    rnd = random.Random(1)
    for _ in range(3):
        make_issue(26.85 + rnd.random() * 0.02, 112.59 + rnd.random() * 0.02)
    with query_counter() as few:
        map_json(supervisor, zoom=13)
    for _ in range(30):
        make_issue(26.85 + rnd.random() * 0.02, 112.59 + rnd.random() * 0.02, category="debris")
    with query_counter() as many:
        map_json(supervisor, zoom=13)
    assert many.n == few.n
