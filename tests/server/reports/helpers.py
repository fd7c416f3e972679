"""Hand-made issue histories: Issue and IssueEvent rows inserted directly, at chosen times.

Each step appends the event a real transition would write (same action, from/to
status and ``data``) and keeps the issue's columns consistent with the CHECK
constraints, so the rows look exactly like the workflow's own.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from server.auth.models import User
from server.categories.models import Category
from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.orgs.models import OrgUnit

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A wall-clock time in Asia/Shanghai, as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI).astimezone(UTC)


def end_of(year: int, month: int, day: int) -> datetime:
    """A day-based deadline: 23:59:59 local."""
    return local(year, month, day, 23, 59, 59)


def user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def unit(code: str) -> OrgUnit:
    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()


class HandMade:
    """history.issue("jinlong", reported=…, deadline=…); history.rectify(issue, at=…); …"""

    def __init__(self) -> None:
        self.inspector = user("inspector")
        self.supervisor = user("supervisor")

    def issue(
        self,
        community: str | None,
        *,
        reported: datetime,
        deadline: datetime | None = None,
        category: str = "debris",
        location: str = "金龙小区11栋前坪",
        description: str = "有废弃物一堆",
        lat: float | None = 26.86,
        lon: float | None = 112.6,
    ) -> Issue:
        issue = Issue(
            public_id=str(uuid.uuid4()),
            client_id=str(uuid.uuid4()),
            category=db.session.scalars(select(Category).where(Category.code == category)).one(),
            reporter=self.inspector,
            lat=lat,
            lon=lon,
            location_text=location,
            description=description,
            status="reported",
            created_at=reported,
            updated_at=reported,
        )
        db.session.add(issue)
        db.session.flush()
        self._event(issue, "report", None, "reported", reported, actor=self.inspector, note=description)
        if community is not None:
            assert deadline is not None
            self.dispatch(issue, community, at=reported, deadline=deadline)
        return issue

    def dispatch(self, issue: Issue, community: str, *, at: datetime, deadline: datetime) -> None:
        target = unit(community)
        issue.status, issue.community_id, issue.deadline_at, issue.dispatched_at = "assigned", target.id, deadline, at
        data = {"community_id": target.id, "community": target.name, "deadline_at": deadline.isoformat()}
        self._event(issue, "dispatch", "reported", "assigned", at, data=data)

    def rectify(self, issue: Issue, *, at: datetime, synced: datetime | None = None, note: str = "已清理") -> None:
        """``synced``: when an offline phone sent it (created_at); ``at`` is when staff acted."""
        issue.status, issue.rectified_at, issue.extension_requested_until = "rectified", at, None
        staff = self._staff(issue)
        self._event(issue, "rectify", "assigned", "rectified", at, actor=staff, note=note, created=synced)

    def reject(self, issue: Issue, *, at: datetime, deadline: datetime, note: str = "整改不到位") -> None:
        before = issue.deadline_at
        issue.status, issue.rectified_at, issue.deadline_at = "assigned", None, deadline
        issue.rework_count += 1
        data = {
            "rework_count": issue.rework_count,
            "deadline_before": _iso(before),
            "deadline_at": deadline.isoformat(),
        }
        self._event(issue, "reject", "rectified", "assigned", at, actor=self.inspector, note=note, data=data)

    def extend(self, issue: Issue, *, asked: datetime, at: datetime, deadline: datetime) -> None:
        """Staff ask at ``asked``; the supervisor approves at ``at``: the deadline moves to ``deadline``."""
        issue.extension_requested_until = deadline
        asked_data = {"requested_until": deadline.isoformat(), "deadline_at": _iso(issue.deadline_at)}
        staff = self._staff(issue)
        self._event(
            issue, "request_extension", "assigned", "assigned", asked, actor=staff, data=asked_data, note="需协调"
        )
        before, issue.deadline_at, issue.extension_requested_until = issue.deadline_at, deadline, None
        data = {"deadline_before": _iso(before), "deadline_at": deadline.isoformat()}
        self._event(issue, "approve_extension", "assigned", "assigned", at, actor=self.supervisor, data=data)

    def verify(self, issue: Issue, *, at: datetime) -> None:
        issue.status, issue.rectified_at, issue.closed_at = "closed", None, at
        self._event(issue, "verify", "rectified", "closed", at, actor=self.inspector)

    def dispute(self, issue: Issue, *, at: datetime, note: str = "不属于本社区") -> None:
        previous = issue.community_id
        staff = self._staff(issue)
        issue.status, issue.community_id, issue.deadline_at, issue.dispatched_at = "reported", None, None, None
        data = {"previous_community_id": previous}
        self._event(issue, "dispute", "assigned", "reported", at, actor=staff, note=note, data=data)

    def cancel(self, issue: Issue, *, at: datetime, note: str = "非问题") -> None:
        source = issue.status
        issue.status, issue.cancelled_at, issue.rectified_at = "cancelled", at, None
        self._event(issue, "cancel", source, "cancelled", at, actor=self.supervisor, note=note)

    # ------------------------------------------------------------------

    def _staff(self, issue: Issue) -> User:
        code = db.session.get(OrgUnit, issue.community_id).code if issue.community_id else "jinlong"
        name = {"jinlong": "staff_jinlong", "jinyuan": "staff_jinyuan", "xiangrui": "staff_xiangrui"}.get(code)
        return user(name or "staff_jinlong")

    def _event(
        self,
        issue: Issue,
        action: str,
        source: str | None,
        target: str,
        at: datetime,
        *,
        actor: User | None = None,
        note: str = "",
        data: dict[str, Any] | None = None,
        created: datetime | None = None,
    ) -> IssueEvent:
        issue.updated_at = max(issue.updated_at, created or at)
        event = IssueEvent(
            issue_id=issue.id,
            actor_id=actor.id if actor else None,
            action=action,
            from_status=source,
            to_status=target,
            note=note,
            data=data or {},
            acted_at=at,
            created_at=created or at,
        )
        db.session.add(event)
        db.session.flush()
        return event


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600
