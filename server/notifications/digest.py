"""The daily digest: per street and for supervisors, what is overdue and what falls due tomorrow.

From ``NOTIFY_DIGEST_HOUR`` local time on, ``tick`` sends each street's staff the digest
of the communities under the street, and each unit's supervisors the digest of
everything under their unit, once per local day: the (day, audience, unit) mark is
claimed first, and each recipient's copy is keyed by the day too. An empty digest
(nothing overdue, nothing due tomorrow) is recorded but not sent. Outbound, a digest
goes to the channels of the unit it summarises only (not further up), so a city's
group gets the city's digest and not one per street.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Connection, select

from server.auth.models import Role, User
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.notifications.audience import IssueFacts, channels_for, issue_facts
from server.notifications.messages import digest_message, local_zone
from server.notifications.models import MarkRule, NotificationMark
from server.notifications.publish import Published, publish
from server.notifications.store import insert_or_skip
from server.orgs.models import OrgKind, OrgUnit


@dataclass
class DigestGroup:
    audience: str  # "street" or "supervisor"
    unit_id: int
    unit_name: str
    unit_path: str
    user_ids: set[int] = field(default_factory=set)

    def key(self, day: date) -> str:
        return f"digest:{day.isoformat()}:{self.audience}:{self.unit_id}"


def digest_day(now: datetime) -> date | None:
    """The local day whose digest is due at ``now``, or None before the digest hour."""
    local = now.astimezone(local_zone())
    return local.date() if local.hour >= current_app.config["NOTIFY_DIGEST_HOUR"] else None


def send_digests(now: datetime) -> Published:
    day = digest_day(now)
    if day is None:
        return Published()
    groups = {group.key(day): group for group in _groups()}
    connection = db.session.connection()
    claimed = _claim(connection, groups, day, now)
    published = Published()
    for key in sorted(claimed):
        published.add(_send(connection, key, groups[key], day, now))
    return published


def _groups() -> list[DigestGroup]:
    streets = {
        unit.id: DigestGroup("street", unit.id, unit.name, unit.path)
        for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.STREET))
    }
    supervisors: dict[int, DigestGroup] = {}
    people = db.session.execute(
        select(User.id, User.role, OrgUnit.id.label("unit_id"), OrgUnit.name, OrgUnit.path)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(User.is_active.is_(True), User.role.in_([Role.STREET_STAFF, Role.SUPERVISOR]))
    ).all()
    for person in people:
        if person.role == Role.STREET_STAFF and person.unit_id in streets:
            streets[person.unit_id].user_ids.add(person.id)
        elif person.role == Role.SUPERVISOR:
            group = supervisors.setdefault(
                person.unit_id, DigestGroup("supervisor", person.unit_id, person.name, person.path)
            )
            group.user_ids.add(person.id)
    return [*streets.values(), *supervisors.values()]


def _claim(connection: Connection, groups: dict[str, DigestGroup], day: date, now: datetime) -> set[str]:
    done = set(db.session.scalars(select(NotificationMark.key).where(NotificationMark.key.in_(list(groups)))))
    rows = [
        {
            "key": key,
            "rule": MarkRule.DIGEST.value,
            "issue_id": None,
            "org_unit_id": group.unit_id,
            "deadline_at": None,
            "created_at": now,
        }
        for key, group in groups.items()
        if key not in done
    ]
    return set(insert_or_skip(connection, NotificationMark.__table__, rows))


def _send(connection: Connection, key: str, group: DigestGroup, day: date, now: datetime) -> Published:
    overdue, due_tomorrow = _listing(connection, group.unit_path, day, now)
    if not overdue and not due_tomorrow:
        return Published()
    message = digest_message(group.unit_name, day, overdue, due_tomorrow)
    channels = channels_for(connection, [group.unit_path], walk_up=False)
    return publish(connection, key, message, group.user_ids, channels, now)


def _listing(connection: Connection, unit_path: str, day: date, now: datetime) -> tuple[list[IssueFacts], ...]:
    zone = local_zone()
    tomorrow = datetime.combine(day + timedelta(days=1), time(0), zone)
    after = datetime.combine(day + timedelta(days=2), time(0), zone)
    rows = db.session.execute(
        select(Issue.id, Issue.deadline_at)
        .join(OrgUnit, OrgUnit.id == Issue.community_id)
        .where(Issue.status == Status.ASSIGNED, Issue.deadline_at < after, OrgUnit.path.startswith(unit_path))
        .order_by(Issue.deadline_at, Issue.id)
    ).all()
    facts = issue_facts(connection, [row.id for row in rows])
    overdue = [facts[row.id] for row in rows if row.deadline_at < now]
    due = [facts[row.id] for row in rows if tomorrow <= row.deadline_at < after]
    return overdue, due
