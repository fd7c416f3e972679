"""The deadline rules ``tick`` applies: remind before a deadline, escalate once it passed.

- reminder: to the community's staff, when ``min(NOTIFY_REMIND_HOURS, NOTIFY_REMIND_FRACTION
  × allowed time)`` remain; the allowed time runs from the dispatch (or the last rework)
  to the deadline.
- overdue: to the community's staff, the street's staff and the supervisors above, once
  the deadline has passed.

Only issues still ``assigned`` count: rectified, closed and cancelled ones generate
nothing. A rule fires once per (issue, rule, deadline): ``tick`` first claims a
``NotificationMark`` with that key (insert-or-skip) and only the claimant notifies.
A new deadline (an approved extension, a rework) is a new key, so the reminders start over.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, Connection, and_, exists, func, select

from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.issues.states import Action, Status
from server.notifications.audience import (
    Audience,
    IssueFacts,
    channels_for,
    community_staff,
    issue_facts,
    street_staff,
    supervisors_above,
)
from server.notifications.messages import Message, issue_message
from server.notifications.models import MarkRule, NotificationKind, NotificationMark
from server.notifications.publish import Published, publish
from server.notifications.store import insert_or_skip

BATCH = 500  # issues per rule per tick; the rest wait for the next tick


@dataclass(frozen=True)
class Due:
    issue_id: int
    deadline_at: datetime

    def key(self, rule: MarkRule) -> str:
        return f"{rule.value}:{self.issue_id}:{int(self.deadline_at.timestamp())}"


def reminder_lead(deadline: datetime, start: datetime | None) -> timedelta:
    """How long before ``deadline`` the reminder goes out."""
    config = current_app.config
    lead = timedelta(hours=config["NOTIFY_REMIND_HOURS"])
    if start is not None and deadline > start:
        lead = min(lead, (deadline - start) * config["NOTIFY_REMIND_FRACTION"])
    return lead


def _not_marked(rule: MarkRule) -> ColumnElement[bool]:
    return ~exists().where(
        NotificationMark.issue_id == Issue.id,
        NotificationMark.rule == rule.value,
        NotificationMark.deadline_at == Issue.deadline_at,
    )


def _open_with_deadline() -> ColumnElement[bool]:
    return and_(Issue.status == Status.ASSIGNED, Issue.deadline_at.is_not(None), Issue.community_id.is_not(None))


def due_reminders(now: datetime) -> list[Due]:
    window = timedelta(hours=current_app.config["NOTIFY_REMIND_HOURS"])
    rows = db.session.execute(
        select(Issue.id, Issue.deadline_at, Issue.dispatched_at)
        .where(_open_with_deadline(), Issue.deadline_at > now, Issue.deadline_at <= now + window)
        .where(_not_marked(MarkRule.REMINDER))
        .order_by(Issue.deadline_at, Issue.id)
        .limit(BATCH)
    ).all()
    starts = _period_starts([row.id for row in rows])
    return [
        Due(row.id, row.deadline_at)
        for row in rows
        if now >= row.deadline_at - reminder_lead(row.deadline_at, _latest(row.dispatched_at, starts.get(row.id)))
    ]


def due_overdue(now: datetime) -> list[Due]:
    rows = db.session.execute(
        select(Issue.id, Issue.deadline_at)
        .where(_open_with_deadline(), Issue.deadline_at <= now)
        .where(_not_marked(MarkRule.OVERDUE))
        .order_by(Issue.deadline_at, Issue.id)
        .limit(BATCH)
    ).all()
    return [Due(row.id, row.deadline_at) for row in rows]


def _period_starts(issue_ids: Sequence[int]) -> dict[int, datetime]:
    """When each issue's current period began: its last dispatch or rework."""
    if not issue_ids:
        return {}
    rows = db.session.execute(
        select(IssueEvent.issue_id, func.max(IssueEvent.created_at).label("started_at"))
        .where(IssueEvent.issue_id.in_(issue_ids), IssueEvent.action.in_([Action.DISPATCH, Action.REJECT]))
        .group_by(IssueEvent.issue_id)
    ).all()
    return {row.issue_id: row.started_at for row in rows}  # max() keeps the column's UTC type


def _latest(*moments: datetime | None) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


# --------------------------------------------------------------- firing


def claim(connection: Connection, rule: MarkRule, due: Iterable[Due], now: datetime) -> list[Due]:
    """Record that ``rule`` fired for these (issue, deadline); return those nobody had claimed."""
    by_key = {d.key(rule): d for d in due}
    rows = [
        {"key": key, "rule": rule.value, "issue_id": d.issue_id, "org_unit_id": None, "deadline_at": d.deadline_at}
        | {"created_at": now}
        for key, d in by_key.items()
    ]
    inserted = insert_or_skip(connection, NotificationMark.__table__, rows)
    return [by_key[key] for key in sorted(inserted)]


def fire_reminders(now: datetime) -> Published:
    connection = db.session.connection()
    claimed = claim(connection, MarkRule.REMINDER, due_reminders(now), now)
    return _notify(connection, MarkRule.REMINDER, claimed, now)


def fire_overdue(now: datetime) -> Published:
    connection = db.session.connection()
    claimed = claim(connection, MarkRule.OVERDUE, due_overdue(now), now)
    return _notify(connection, MarkRule.OVERDUE, claimed, now)


def _notify(connection: Connection, rule: MarkRule, claimed: list[Due], now: datetime) -> Published:
    facts = issue_facts(connection, [d.issue_id for d in claimed])
    published = Published()
    for due in claimed:
        if (issue := facts.get(due.issue_id)) is not None:
            published.add(_notify_one(connection, rule, due, issue, now))
    return published


def _notify_one(connection: Connection, rule: MarkRule, due: Due, facts: IssueFacts, now: datetime) -> Published:
    audience = community_staff(connection, facts)
    if rule == MarkRule.OVERDUE:
        audience.add(street_staff(connection, facts)).add(supervisors_above(connection, facts))
        message = issue_message(NotificationKind.OVERDUE, facts)
    else:
        message = issue_message(NotificationKind.REMINDER, facts, extra={"hours": _hours_left(due, now)})
    return _publish(connection, due.key(rule), message, audience, now)


def _publish(connection: Connection, key: str, message: Message, audience: Audience, now: datetime) -> Published:
    return publish(connection, key, message, audience.user_ids, channels_for(connection, audience.paths), now)


def _hours_left(due: Due, now: datetime) -> str:
    return str(max(1, round((due.deadline_at - now).total_seconds() / 3600)))
