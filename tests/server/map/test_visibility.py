"""The map shows what visible_issues(user) shows, and nothing else, in both modes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from server.auth.models import Role, User
from server.auth.operations import create_user
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue
from server.issues.states import Status
from server.map.scope import scope_of
from server.orgs.models import OrgUnit
from tests.server.map.conftest import JINLONG_BBOX, map_json

Make = Callable[..., Issue]
EXPECTED = {
    "inspector": 6,
    "supervisor": 6,
    "admin": 6,
    "street_baishazhou": 3,
    "staff_jinlong": 3,
    "staff_jinyuan": 2,
    "staff_xiangrui": 0,
}


@pytest.fixture
def spread(make_issue: Make) -> None:
    for i in range(3):
        make_issue(26.860 + i * 0.001, 112.600, community="jinlong")
    for i in range(2):
        make_issue(26.948 + i * 0.001, 112.622, community="jinyuan")
    make_issue(26.805, 112.505, status=Status.REPORTED, community=None)  # not routed to any community


def _visible_open(username: str) -> int:
    user = db.session.scalar(select(User).where(User.username == username))
    query = visible_issues(user).where(Issue.status.in_(["reported", "assigned", "rectified"]))
    return int(db.session.scalar(query.with_only_columns(func.count()).order_by(None)) or 0)


@pytest.mark.parametrize("username", list(EXPECTED))
@pytest.mark.parametrize("limit", [0, 1000])
def test_each_role_sees_its_own_area(
    login: Callable[[str], Any], spread: None, threshold: Any, username: str, limit: int
) -> None:
    threshold(limit)
    for zoom in (9, 12, 16):
        meta = map_json(login(username), zoom=zoom)["meta"]
        assert meta["total"] == EXPECTED[username] == _visible_open(username), zoom


@pytest.mark.parametrize("limit", [0, 1000])
def test_other_communities_staff_see_none_of_it(
    login: Callable[[str], Any], spread: None, threshold: Any, limit: int
) -> None:
    threshold(limit)
    body = map_json(login("staff_jinyuan"), JINLONG_BBOX, zoom=14)
    assert body["features"] == []
    assert body["meta"]["total"] == 0


@pytest.mark.parametrize("limit", [0, 1000])
def test_a_district_inspector_sees_own_reports_outside_the_district(
    login: Callable[[str], Any], make_issue: Make, spread: None, threshold: Any, limit: int
) -> None:
    district = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "baishazhou"))
    create_user(
        username="inspector_bsz",
        display_name="白沙洲巡查员",
        role=Role.INSPECTOR,
        org_unit=district,
        password="demo1234",
    )
    make_issue(26.806, 112.506, status=Status.REPORTED, community=None, reporter="inspector_bsz")
    make_issue(26.947, 112.621, community="jinyuan", reporter="inspector_bsz")
    user = db.session.scalar(select(User).where(User.username == "inspector_bsz"))
    assert scope_of(user).uncounted() is not None  # the counts alone cannot answer for this user
    threshold(limit)
    for zoom in (9, 12):
        meta = map_json(login("inspector_bsz"), zoom=zoom)["meta"]
        assert meta["total"] == 3 + 2 == _visible_open("inspector_bsz")


def test_city_wide_users_need_no_extra_query(app_context: None) -> None:
    for username in ("inspector", "supervisor", "admin", "staff_jinlong"):
        user = db.session.scalar(select(User).where(User.username == username))
        assert scope_of(user).uncounted() is None
