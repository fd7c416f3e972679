"""Ticks running at the same moment (cron overlapping a slow run, two clock processes) send nothing twice.

Each tick runs in its own thread with its own app context, session and connection,
against a database of its own (tests/live.py), so the races are real: SQLite takes
writers one at a time, PostgreSQL lets them meet on the unique keys.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.issues.operations import NewIssue, create_issue
from server.notifications.models import Notification, NotificationDelivery
from server.notifications.operations import add_channel
from server.notifications.tick import TickReport, run_tick
from server.orgs.models import OrgUnit
from tests.live import close_app, fresh_database, prepare_database
from tests.server.notifications.helpers import Receiver

pytestmark = [pytest.mark.live, pytest.mark.slow]

TICKS_AT_ONCE = 4


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[Flask]:
    with fresh_database(tmp_path) as url:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": url,
                "STORAGE_URL": f"file://{tmp_path / 'photos'}",
                "NOTIFY_DELIVERY": "tick",
            }
        )
        prepare_database(app)
        try:
            yield app
        finally:
            close_app(app)


def _setup(app: Flask, receiver_url: str) -> datetime:
    with app.app_context():
        inspector = db.session.scalars(select(User).where(User.username == "inspector")).one()
        jinlong = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "jinlong")).one()
        add_channel(org_unit=jinlong, kind="wecom", target=receiver_url)
        issue, _ = create_issue(
            inspector,
            NewIssue(client_id=str(uuid.uuid4()), category="paperwork", community_id=jinlong.id),
        )
        db.session.commit()
        assert issue.deadline_at is not None
        deadline = issue.deadline_at
        db.session.remove()
        return deadline


def _ticks_at_once(app: Flask, now: datetime) -> list[TickReport]:
    start = threading.Barrier(TICKS_AT_ONCE)

    def one(_: int) -> TickReport:
        start.wait()
        with app.app_context():
            try:
                return run_tick(now)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=TICKS_AT_ONCE) as pool:
        return list(pool.map(one, range(TICKS_AT_ONCE)))


def _received(app: Flask) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Notification.kind, User.username).join(User, User.id == Notification.user_id)
        ).all()
        statuses = Counter(db.session.scalars(select(NotificationDelivery.status)))
        db.session.remove()
    return Counter((row.kind, row.username) for row in rows), statuses


def test_ticks_at_once_remind_and_escalate_exactly_once(live_app: Flask, receiver: Receiver) -> None:
    deadline = _setup(live_app, receiver.url)

    for moment in (deadline - timedelta(hours=12), deadline - timedelta(hours=11)):
        reports = _ticks_at_once(live_app, moment)
    assert sum(r.notifications for r in reports) == 0  # the second moment found nothing new
    for moment in (deadline + timedelta(minutes=1), deadline + timedelta(minutes=2)):
        _ticks_at_once(live_app, moment)

    notified, deliveries = _received(live_app)
    assert notified == Counter(
        {
            ("dispatched", "staff_jinlong"): 1,
            ("reminder", "staff_jinlong"): 1,
            ("overdue", "staff_jinlong"): 1,
            ("overdue", "street_baishazhou"): 1,
            ("overdue", "supervisor"): 1,
        }
    )
    assert deliveries == Counter({"sent": 3})  # dispatched, reminder, overdue: one message each
    titles = [r.body["markdown"]["content"].splitlines()[0] for r in receiver.requests]
    assert sorted(titles) == sorted(
        [
            "**新问题待整改：台账资料不规范（金龙社区）**",
            "**整改即将到期：台账资料不规范（金龙社区）**",
            "**【已逾期】台账资料不规范（金龙社区）**",
        ]
    )


def test_a_slow_robot_does_not_hold_the_request(live_app: Flask, receiver: Receiver) -> None:
    """In the default "background" mode the request answers at once; a worker thread sends after the commit."""
    live_app.config["NOTIFY_DELIVERY"] = "background"
    _setup(live_app, receiver.url)
    with live_app.app_context():
        city = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "hengyang")).one()
        add_channel(org_unit=city, kind="wecom", target=receiver.url)  # where the supervisors are
        db.session.commit()
        issue_id = db.session.scalars(select(Issue.public_id)).one()
        db.session.remove()
    receiver.delay = 2.0
    client = live_app.test_client()
    login = client.post("/api/v1/auth/login", json={"username": "staff_jinlong", "password": "demo1234"}).get_json()
    version = client.get(f"/api/v1/issues/{issue_id}").get_json()["version"]
    body = {"action": "request_extension", "version": version, "note": "需要时间", "requested_until": "2099-01-01"}

    started = time.monotonic()
    response = client.post(
        f"/api/v1/issues/{issue_id}/actions", json=body, headers={"X-CSRF-Token": login["csrf_token"]}
    )
    assert response.status_code == 200, response.get_json()
    assert time.monotonic() - started < receiver.delay  # the answer did not wait for the robot

    deadline = time.monotonic() + 15
    while not receiver.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    (sent,) = receiver.requests
    assert sent.body["markdown"]["content"].startswith("**延期申请待审批：台账资料不规范（金龙社区）**")
