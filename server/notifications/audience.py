"""Who hears about an issue, and through which channels.

Plain SQL on a given connection, so the flush listener (inside a flush, where the
ORM session must not be used) and ``tick`` share it.

- the community's staff: active ``community_staff`` users of the issue's community;
- the street: active ``street_staff`` users of the street above the community;
- the supervisors: active ``supervisor`` users of any unit above (or at) the community;
- the reporter: the inspector who found the issue.

A recipient's channels are the active channels of their unit and every unit above it;
a notice also reaches the channels above the unit it concerns (a community's group
robot hears about its issues even before any staff user exists).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from server.auth.models import Role, User
from server.categories.models import Category
from server.issues.models import Issue
from server.notifications.models import NotificationChannel
from server.orgs.models import OrgKind, OrgUnit

users = User.__table__
units = OrgUnit.__table__
channels = NotificationChannel.__table__


@dataclass(frozen=True)
class IssueFacts:
    """What a message says about an issue."""

    id: int
    public_id: str
    status: str
    reporter_id: int
    community_id: int | None
    community_name: str
    community_path: str
    location_text: str
    description: str
    category_zh: str
    category_en: str
    deadline_at: datetime | None
    dispatched_at: datetime | None


@dataclass
class Audience:
    """The users a notice goes to, and the unit paths whose channels it reaches."""

    user_ids: set[int] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)

    def add(self, other: Audience) -> Audience:
        self.user_ids |= other.user_ids
        self.paths |= other.paths
        return self


@dataclass(frozen=True)
class Channel:
    id: int
    kind: str


def issue_facts(connection: Connection, issue_ids: Iterable[int]) -> dict[int, IssueFacts]:
    community = aliased(OrgUnit)
    rows = connection.execute(
        select(
            Issue.id,
            Issue.public_id,
            Issue.status,
            Issue.reporter_id,
            Issue.community_id,
            community.name.label("community_name"),
            community.path.label("community_path"),
            Issue.location_text,
            Issue.description,
            Category.name_zh,
            Category.name_en,
            Issue.deadline_at,
            Issue.dispatched_at,
        )
        .join(Category, Category.id == Issue.category_id)
        .outerjoin(community, community.id == Issue.community_id)
        .where(Issue.id.in_(list(issue_ids)))
    ).all()
    return {
        row.id: IssueFacts(
            id=row.id,
            public_id=row.public_id,
            status=row.status,
            reporter_id=row.reporter_id,
            community_id=row.community_id,
            community_name=row.community_name or "",
            community_path=row.community_path or "",
            location_text=row.location_text or "",
            description=row.description or "",
            category_zh=row.name_zh,
            category_en=row.name_en,
            deadline_at=row.deadline_at,
            dispatched_at=row.dispatched_at,
        )
        for row in rows
    }


def path_ids(path: str) -> list[int]:
    """The unit ids of a materialised path, root first: "/1/4/9/" → [1, 4, 9]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def _users(connection: Connection, role: Role, unit_ids: Iterable[int]) -> Audience:
    rows = connection.execute(
        select(users.c.id, units.c.path)
        .join(units, units.c.id == users.c.org_unit_id)
        .where(users.c.role == role.value, users.c.is_active.is_(True), users.c.org_unit_id.in_(list(unit_ids)))
    ).all()
    return Audience({row.id for row in rows}, {row.path for row in rows})


def community_staff(connection: Connection, facts: IssueFacts) -> Audience:
    if facts.community_id is None:
        return Audience()
    return _users(connection, Role.COMMUNITY_STAFF, [facts.community_id]).add(Audience(paths={facts.community_path}))


def street_staff(connection: Connection, facts: IssueFacts) -> Audience:
    ancestors = path_ids(facts.community_path)
    if not ancestors:
        return Audience()
    streets = connection.execute(
        select(units.c.id, units.c.path).where(units.c.id.in_(ancestors), units.c.kind == OrgKind.STREET.value)
    ).all()
    audience = _users(connection, Role.STREET_STAFF, [row.id for row in streets])
    return audience.add(Audience(paths={row.path for row in streets}))


def supervisors_above(connection: Connection, facts: IssueFacts) -> Audience:
    return _users(connection, Role.SUPERVISOR, path_ids(facts.community_path))


def reporter(connection: Connection, facts: IssueFacts) -> Audience:
    row = connection.execute(
        select(users.c.id, units.c.path)
        .join(units, units.c.id == users.c.org_unit_id)
        .where(users.c.id == facts.reporter_id, users.c.is_active.is_(True))
    ).first()
    return Audience({row.id}, {row.path}) if row else Audience()


def channels_for(connection: Connection, paths: Iterable[str], *, walk_up: bool = True) -> list[Channel]:
    """The active channels of the units of ``paths`` (and of every unit above them)."""
    unit_ids: set[int] = set()
    for path in paths:
        ids = path_ids(path)
        unit_ids |= set(ids) if walk_up else set(ids[-1:])
    if not unit_ids:
        return []
    rows = connection.execute(
        select(channels.c.id, channels.c.kind)
        .where(channels.c.org_unit_id.in_(sorted(unit_ids)), channels.c.is_active.is_(True))
        .order_by(channels.c.id)
    ).all()
    return [Channel(row.id, row.kind) for row in rows]
