"""The deadline rules under a controlled clock: remind once, escalate once, stop when done."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask

from server.categories.operations import update_category_rule
from server.deadlines.units import DeadlineUnit
from server.extensions import db
from server.issues.models import Issue
from server.issues.operations import ActionRequest, apply_action
from server.notifications.messages import local_zone
from server.notifications.tick import TickReport
from tests.server.issues.helpers import act, upload_photo
from tests.server.notifications.helpers import notifications, recipients, user

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)

Tick = Callable[[datetime], TickReport]


def _deadline(issue: Issue) -> datetime:
    assert issue.deadline_at is not None
    return issue.deadline_at


def test_an_issue_due_tomorrow_gets_exactly_one_reminder(make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue()
    deadline = _deadline(issue)  # 5 working days: the 20 % share is longer than 24 h, so 24 h it is

    tick(deadline - 30 * HOUR)
    assert notifications("reminder") == []

    for minutes in range(5):
        tick(deadline - 12 * HOUR + minutes * MINUTE)
    reminders = notifications("reminder", issue)
    assert [n.kind for n in reminders] == ["reminder"]
    assert recipients("reminder") == ["staff_jinlong"]
    reminder = reminders[0]
    assert reminder.title_zh == "整改即将到期：台账资料不规范（金龙社区）"
    assert "距整改期限还剩约 12 小时" in reminder.body_zh
    assert "社区：金龙社区" in reminder.body_zh
    assert reminder.link == f"/issues/{issue.public_id}"
    assert reminder.title_en.startswith("Deadline approaching: Records not up to standard")


def test_a_short_deadline_is_reminded_when_a_fifth_of_it_remains(make_issue: Callable[..., Issue], tick: Tick) -> None:
    update_category_rule("paperwork", unit=DeadlineUnit.HOURS, amount=10, is_active=None)
    issue = make_issue()
    deadline = _deadline(issue)  # 10 h after dispatch: reminded 2 h before, not 24 h

    tick(deadline - 3 * HOUR)
    assert notifications("reminder") == []
    tick(deadline - 2 * HOUR + MINUTE)
    tick(deadline - HOUR)
    assert recipients("reminder") == ["staff_jinlong"]


def test_overdue_tells_staff_street_and_supervisor_once_each(make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue()
    deadline = _deadline(issue)

    tick(deadline - 12 * HOUR)
    for minutes in (1, 2, 60, 60 * 24):
        tick(deadline + minutes * MINUTE)

    assert recipients("overdue", issue) == ["staff_jinlong", "street_baishazhou", "supervisor"]
    assert recipients("reminder", issue) == ["staff_jinlong"]
    overdue = notifications("overdue", issue)[0]
    assert overdue.title_zh == "【已逾期】台账资料不规范（金龙社区）"
    local_deadline = deadline.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")
    assert f"整改期限：{local_deadline}" in overdue.body_zh
    assert "位置：社区办公室" in overdue.body_zh


def test_other_communities_hear_nothing(make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue("jinyuan")
    tick(_deadline(issue) + MINUTE)
    # 金源社区 sits under 松木街道, which has no street staff in the demo city.
    assert recipients("overdue", issue) == ["staff_jinyuan", "supervisor"]


def test_after_rectification_nothing_more_is_sent(
    make_issue: Callable[..., Issue], tick: Tick, login: Any, small_jpeg: Callable[..., bytes]
) -> None:
    issue = make_issue()
    deadline = _deadline(issue)
    tick(deadline - 12 * HOUR)

    staff = login("staff_jinlong")
    photo = upload_photo(staff, small_jpeg(), kind="after")["id"]
    body = staff.get(f"/api/v1/issues/{issue.public_id}").get_json()
    response = act(staff, body, "rectify", note="已整改", photo_ids=[photo])
    assert response.status_code == 200, response.get_json()

    for hours in (-1, 1, 24, 24 * 10):
        tick(deadline + hours * HOUR)
    assert recipients("reminder", issue) == ["staff_jinlong"]
    assert notifications("overdue", issue) == []
    assert recipients("rectified", issue) == ["inspector"]  # the event itself tells the inspector


def test_a_cancelled_issue_is_not_escalated(make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue()
    apply_action(user("supervisor"), issue, ActionRequest(action="cancel", version=issue.version, note="重复上报"))
    db.session.commit()
    tick(_deadline(issue) + HOUR)
    assert notifications("overdue") == []


def _local_day_end(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=local_zone()).astimezone(UTC)


def test_an_approved_extension_resets_the_reminders(make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue()
    first = _deadline(issue)
    tick(first - 12 * HOUR)
    assert len(notifications("reminder", issue)) == 1

    requested = _local_day_end(first.astimezone(local_zone()).date() + timedelta(days=3))
    staff, supervisor = user("staff_jinlong"), user("supervisor")
    apply_action(
        staff,
        issue,
        ActionRequest(action="request_extension", version=issue.version, note="材料补印中", requested_until=requested),
    )
    apply_action(supervisor, issue, ActionRequest(action="approve_extension", version=issue.version))
    db.session.commit()
    second = _deadline(issue)
    assert second == requested

    tick(first + HOUR)  # the old deadline passes: not overdue any more
    assert notifications("overdue") == []
    tick(second - 12 * HOUR)
    tick(second - 11 * HOUR)
    assert len(notifications("reminder", issue)) == 2  # one per deadline
    tick(second + MINUTE)
    tick(second + 2 * MINUTE)
    assert recipients("overdue", issue) == ["staff_jinlong", "street_baishazhou", "supervisor"]


def test_disabled_rules_send_nothing(app: Flask, make_issue: Callable[..., Issue], tick: Tick) -> None:
    issue = make_issue()
    saved = app.config["NOTIFY_RULES"]
    app.config["NOTIFY_RULES"] = "digest"
    try:
        tick(_deadline(issue) - 12 * HOUR)
        tick(_deadline(issue) + HOUR)
    finally:
        app.config["NOTIFY_RULES"] = saved
    assert notifications("reminder") == notifications("overdue") == []


def test_tick_command_replays_a_moment(app: Flask, make_issue: Callable[..., Issue]) -> None:
    issue = make_issue()
    moment = (_deadline(issue) - 12 * HOUR).isoformat()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tick", "--now", moment])
    again = runner.invoke(args=["tick", "--now", moment])
    assert first.exit_code == 0, first.output
    assert "1 notifications" in first.output
    assert "0 notifications" in again.output
    db.session.expire_all()
    assert recipients("reminder", issue) == ["staff_jinlong"]


def test_tick_command_reads_a_time_without_zone_as_local(app: Flask, make_issue: Callable[..., Issue]) -> None:
    issue = make_issue()
    local = (_deadline(issue) + HOUR).astimezone(local_zone()).replace(tzinfo=None)
    result = app.test_cli_runner().invoke(args=["tick", "--now", local.isoformat()])
    assert result.exit_code == 0, result.output
    assert "3 notifications" in result.output  # overdue: staff, street, supervisor


def test_tick_command_refuses_a_bad_time(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["tick", "--now", "tomorrow"])
    assert result.exit_code != 0
    assert "ISO 8601" in result.output
