"""Fixtures for the map tests: issues placed exactly, the map as a client sees it, the counts checked."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server.auth.models import User
from server.categories.models import Category
from server.db import utcnow
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.orgs.models import OrgUnit

# A box around 金龙社区 (its demo boundary spans 112.594-112.613 E, 26.855-26.869 N).
JINLONG_BBOX = (112.590, 26.850, 112.620, 26.875)
CITY_BBOX = (112.40, 26.70, 112.80, 27.10)


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def make_issue(app_context: None) -> Callable[..., Issue]:
    """make_issue(lat, lon, status="assigned", community="jinlong", category="illegal_shed", deadline_at=…).

    An issue written straight through the ORM (no photos, no events), as a bulk
    import or another future code path would: the counts must follow it too.
    """

    def _make(
        lat: float,
        lon: float,
        *,
        status: str = Status.ASSIGNED,
        community: str | None = "jinlong",
        category: str = "illegal_shed",
        deadline_at: datetime | None = None,
        reporter: str = "inspector",
    ) -> Issue:
        now = utcnow()
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == community)) if community else None
        issue = Issue(
            public_id=str(uuid.uuid4()),
            client_id=str(uuid.uuid4()),
            category=db.session.scalar(select(Category).where(Category.code == category)),
            community=unit,
            reporter=db.session.scalar(select(User).where(User.username == reporter)),
            lat=lat,
            lon=lon,
            status=status,
            location_text="测试点",
        )
        if status in (Status.ASSIGNED, Status.RECTIFIED, Status.CLOSED):
            issue.deadline_at = deadline_at or now + timedelta(days=3)
            issue.dispatched_at = now
        issue.rectified_at = now if status == Status.RECTIFIED else None
        issue.closed_at = now if status == Status.CLOSED else None
        issue.cancelled_at = now if status == Status.CANCELLED else None
        db.session.add(issue)
        db.session.flush()
        return issue

    return _make


def map_query(api: Any, bbox: tuple[float, float, float, float] = CITY_BBOX, **params: Any) -> Any:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return api.get(f"/api/v1/map/issues?bbox={','.join(str(v) for v in bbox)}&{query}")


def map_json(api: Any, bbox: tuple[float, float, float, float] = CITY_BBOX, **params: Any) -> dict[str, Any]:
    response = map_query(api, bbox, **params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


@pytest.fixture
def threshold(app: Flask) -> Iterator[Callable[[int], None]]:
    """threshold(n): send clusters above n issues for the rest of the test."""
    before = app.config["MAP_CLUSTER_THRESHOLD"]

    def _set(value: int) -> None:
        app.config["MAP_CLUSTER_THRESHOLD"] = value

    yield _set
    app.config["MAP_CLUSTER_THRESHOLD"] = before


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    """clock(t): the map endpoint sees ``t`` as now; nothing is written."""

    def _set(moment: datetime) -> None:
        monkeypatch.setattr("server.map.views.utcnow", lambda: moment)

    return _set
