"""The daily digest: per street and for supervisors, once a day, from the configured local hour."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from flask import Flask

from server.extensions import db
from server.issues.models import Issue
from server.notifications.messages import local_zone
from server.notifications.tick import TickReport
from tests.server.notifications.helpers import notifications, recipients

Tick = Callable[[datetime], TickReport]


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), local_zone()).astimezone(UTC)


def _local_day(moment: datetime | None) -> date:
    assert moment is not None
    return moment.astimezone(local_zone()).date()


def test_the_digest_goes_out_once_a_day_from_the_digest_hour(
    app: Flask, make_issue: Callable[..., Issue], tick: Tick
) -> None:
    issue = make_issue()
    day = _local_day(issue.deadline_at) + timedelta(days=1)  # the issue is overdue all that day
    hour = app.config["NOTIFY_DIGEST_HOUR"]

    tick(_at(day, hour - 1, 59))
    assert notifications("digest") == []

    for moment in (_at(day, hour), _at(day, hour, 1), _at(day, hour + 5), _at(day, 23, 59)):
        tick(moment)
    assert recipients("digest") == ["street_baishazhou", "supervisor"]

    tick(_at(day + timedelta(days=1), hour, 3))
    assert recipients("digest") == ["street_baishazhou", "street_baishazhou", "supervisor", "supervisor"]


def test_the_digest_lists_what_is_overdue_and_what_falls_due_tomorrow(
    app: Flask, make_issue: Callable[..., Issue], tick: Tick
) -> None:
    due_tomorrow = make_issue(location_text="金龙小区居委会")
    day = _local_day(due_tomorrow.deadline_at) - timedelta(days=1)
    overdue = make_issue("jinyuan", location_text="金源小区服务站")
    assert overdue.deadline_at is not None
    # Pretend the second issue was due the day before yesterday (its rule is the same).
    overdue.deadline_at = _at(day - timedelta(days=2), 23, 59)
    db.session.commit()

    tick(_at(day, app.config["NOTIFY_DIGEST_HOUR"], 30))

    by_title = {n.title_zh: n for n in notifications("digest")}
    assert len(by_title) == 2  # 白沙洲街道's staff, and the city's supervisor
    baishazhou = by_title[f"每日督办汇总：白沙洲街道（{day.isoformat()}）"]
    assert baishazhou.body_zh.startswith("逾期 0 项，明日到期 1 项。")
    assert "金龙社区｜台账资料不规范｜金龙小区居委会" in baishazhou.body_zh
    city = by_title[f"每日督办汇总：衡阳市（{day.isoformat()}）"]
    assert city.body_zh.startswith("逾期 1 项，明日到期 1 项。")
    assert "逾期1：金源社区｜台账资料不规范｜金源小区服务站" in city.body_zh
    assert "明日到期1：金龙社区" in city.body_zh
    assert city.link == "/issues"


def test_an_empty_digest_is_not_sent(app: Flask, tick: Tick) -> None:
    today = datetime.now(local_zone()).date()
    tick(_at(today, app.config["NOTIFY_DIGEST_HOUR"], 10))
    assert notifications("digest") == []
