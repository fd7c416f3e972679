"""Building blocks for notification tests: lookups, and the local receivers' records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.notifications.models import Notification, NotificationDelivery
from server.orgs.models import OrgUnit


def user(username: str) -> User:
    return db.session.scalars(select(User).where(User.username == username)).one()


def unit(code: str) -> OrgUnit:
    return db.session.scalars(select(OrgUnit).where(OrgUnit.code == code)).one()


def notifications(kind: str | None = None, issue: Issue | None = None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if kind is not None:
        query = query.where(Notification.kind == kind)
    if issue is not None:
        query = query.where(Notification.issue_id == issue.id)
    return list(db.session.scalars(query))


def recipients(kind: str, issue: Issue | None = None) -> list[str]:
    """Usernames that got a notification of ``kind``, sorted, with repeats."""
    ids = [n.user_id for n in notifications(kind, issue)]
    return sorted(db.session.get(User, i).username for i in ids)  # type: ignore[union-attr]


def deliveries(kind: str | None = None) -> list[NotificationDelivery]:
    query = select(NotificationDelivery).order_by(NotificationDelivery.id)
    if kind is not None:
        query = query.where(NotificationDelivery.kind == kind)
    db.session.expire_all()
    return list(db.session.scalars(query))


@dataclass
class Received:
    path: str
    body: Any


@dataclass
class Receiver:
    """An HTTP endpoint on 127.0.0.1 that records POSTs and answers with queued statuses."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answered in order; then 200
    delay: float = 0.0  # seconds before answering (a slow robot)


@dataclass
class Mailbox:
    """What the SMTP sink received (aiosmtpd envelopes)."""

    messages: list[Any] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 OK"
