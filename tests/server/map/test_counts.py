"""The maintained counts follow every change of an issue, in its transaction, and equal a rebuild."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, literal_column, select

from server.db import utcnow
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.map import counts
from server.map.counts import LEVELS, MAX_LEVEL
from server.map.models import ALL_CATEGORIES, PAST_HOUR, MapCell, MapDue
from server.orgs.models import OrgUnit
from tests.server.issues.helpers import act, report, upload_photo
from tests.server.map.helpers import assert_counts_match_issues, stored_counts


def _rows_of(issue: dict[str, Any]) -> dict[str, int]:
    """How many count rows (cells and dues) the issue's status appears in at the finest level."""
    every = ALL_CATEGORIES
    cells = db.session.scalar(
        select(func.sum(MapCell.count)).where(
            MapCell.level == MAX_LEVEL, MapCell.category_id == every, MapCell.status == issue["status"]
        )
    )
    dues = db.session.scalar(
        select(func.sum(MapDue.count)).where(MapDue.level == MAX_LEVEL, MapDue.category_id == every)
    )
    return {"cells": int(cells or 0), "dues": int(dues or 0)}


def test_counts_follow_the_whole_workflow(
    login: Callable[[str], Any], small_jpeg: Callable[..., bytes], app_context: None
) -> None:
    inspector, supervisor, staff = login("inspector"), login("supervisor"), login("staff_jinlong")
    jinlong = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == "jinlong"))

    issue = report(inspector, small_jpeg()).get_json()  # routed and dispatched on create
    assert issue["status"] == "assigned"
    assert _rows_of(issue) == {"cells": 1, "dues": 1}
    assert_counts_match_issues()

    issue = act(staff, issue, "dispute", note="不属于本社区").get_json()  # back to reported, no community
    assert _rows_of(issue) == {"cells": 1, "dues": 0}
    assert_counts_match_issues()

    issue = act(supervisor, issue, "dispatch", community_id=jinlong).get_json()
    assert_counts_match_issues()

    issue = act(staff, issue, "request_extension", note="需协调", requested_until="2099-01-31").get_json()
    issue = act(supervisor, issue, "approve_extension").get_json()  # the deadline, so the due hour, moves
    due_hours = set(db.session.scalars(select(MapDue.due_hour).where(MapDue.count > 0)))
    assert due_hours == {counts.due_hour(datetime.fromisoformat(issue["deadline_at"]))}
    assert_counts_match_issues()

    photo = upload_photo(staff, small_jpeg((0, 90, 200)), kind="after")["id"]
    issue = act(staff, issue, "rectify", note="已整改", photo_ids=[photo]).get_json()
    assert _rows_of(issue) == {"cells": 1, "dues": 0}
    assert_counts_match_issues()

    issue = act(inspector, issue, "reject", note="未整改到位").get_json()  # rework: assigned, a new deadline
    assert _rows_of(issue) == {"cells": 1, "dues": 1}
    assert_counts_match_issues()

    photo = upload_photo(staff, small_jpeg((0, 91, 200)), kind="after")["id"]
    issue = act(staff, issue, "rectify", note="已彻底整改", photo_ids=[photo]).get_json()
    issue = act(inspector, issue, "verify").get_json()
    assert issue["status"] == "closed"
    assert stored_counts() == {"cells": {}, "dues": {}}  # closed issues are not on the open map
    assert_counts_match_issues()

    other = report(inspector, small_jpeg((9, 9, 9))).get_json()
    assert stored_counts()["cells"]
    act(supervisor, other, "cancel", note="重复上报")
    assert stored_counts() == {"cells": {}, "dues": {}}


def test_a_refused_action_changes_no_count(
    login: Callable[[str], Any], small_jpeg: Callable[..., bytes], app_context: None
) -> None:
    issue = report(login("inspector"), small_jpeg()).get_json()
    before = stored_counts()
    assert act(login("supervisor"), issue, "verify").status_code == 409
    assert stored_counts() == before


def test_a_rolled_back_savepoint_takes_its_counts_along(make_issue: Callable[..., Issue]) -> None:
    make_issue(26.86, 112.60)
    before = stored_counts()
    savepoint = db.session.begin_nested()
    make_issue(26.861, 112.601, status=Status.REPORTED, community=None)
    assert stored_counts() != before
    savepoint.rollback()
    assert stored_counts() == before


def test_every_level_holds_the_issue_once(make_issue: Callable[..., Issue]) -> None:
    make_issue(26.86, 112.60, status=Status.RECTIFIED)
    every = MapCell.category_id == literal_column(str(ALL_CATEGORIES))
    levels = db.session.execute(
        select(MapCell.level, every, func.sum(MapCell.count)).group_by(MapCell.level, every)
    ).all()
    assert sorted(levels) == sorted((level, every, 1) for level in LEVELS for every in (False, True))


def test_moves_deletes_and_any_orm_write_are_followed(make_issue: Callable[..., Issue]) -> None:
    rnd = random.Random(6)
    now = utcnow()
    issues = []
    for _ in range(40):
        status = rnd.choice([Status.REPORTED, Status.ASSIGNED, Status.RECTIFIED, Status.CLOSED, Status.CANCELLED])
        community = None if status in (Status.REPORTED, Status.CANCELLED) else rnd.choice(["jinlong", "jinyuan"])
        issues.append(
            make_issue(
                26.85 + rnd.random() * 0.1,
                112.55 + rnd.random() * 0.1,
                status=status,
                community=community,
                category=rnd.choice(["illegal_shed", "debris", "signage"]),
                deadline_at=now + timedelta(hours=rnd.uniform(-200, 200)),
            )
        )
    assert_counts_match_issues()
    for issue in issues[:10]:
        issue.lat, issue.lon = 26.95, 112.62  # moved: another cell at every level
    for issue in issues[10:20]:
        if issue.status == Status.ASSIGNED:
            issue.deadline_at = now - timedelta(days=rnd.randint(1, 9))
    for issue in issues[20:25]:
        db.session.delete(issue)
    db.session.flush()
    assert_counts_match_issues()


def test_compaction_folds_past_days_and_changes_no_total(
    make_issue: Callable[..., Issue], login: Callable[[str], Any]
) -> None:
    now = utcnow()
    for days in (1, 2, 5, 9):
        make_issue(26.86, 112.60, deadline_at=now - timedelta(days=days))
    make_issue(26.86, 112.60, deadline_at=now + timedelta(days=2))
    past_days = select(func.count()).where(
        MapDue.level == MAX_LEVEL, MapDue.category_id == ALL_CATEGORIES, MapDue.due_hour != PAST_HOUR
    )
    assert db.session.scalar(past_days) == 5
    before = stored_counts()
    folded = counts.compact(db.session.connection(), counts.due_hour(now))
    assert folded == 4 * len(LEVELS) * 2  # four past hours, each level, per category and for all categories
    assert db.session.scalar(past_days) == 1  # only the future hour is left unfolded
    assert stored_counts() == before
    assert_counts_match_issues()


def test_the_scheduler_tick_compacts_once_an_hour_has_ended(make_issue: Callable[..., Issue]) -> None:
    from server.notifications.tick import run_tick

    now = utcnow()
    make_issue(26.86, 112.60, deadline_at=now - timedelta(hours=3))
    make_issue(26.86, 112.60, deadline_at=now + timedelta(days=2))
    unfolded = select(func.count()).where(MapDue.due_hour != PAST_HOUR, MapDue.due_hour < counts.due_hour(now))
    assert db.session.scalar(unfolded) > 0
    before = stored_counts()
    run_tick(now)
    assert db.session.scalar(unfolded) == 0
    assert stored_counts() == before
    assert counts.compact(db.session.connection(), counts.due_hour(now)) == 0  # nothing left: no lock taken
