"""The event log as the source of immediate notifications.

A session listener (``after_flush``) sees every ``IssueEvent`` row as it is
inserted, whichever operation wrote it, and writes the in-app messages and outbox
rows on the same connection: they commit with the action or roll back with it.
The outbox rows are sent after the commit (``background.send_after_commit``).
Which action tells whom is the table ``ROUTES``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, event, select
from sqlalchemy.orm import Session, UOWTransaction

from server.db import utcnow
from server.issues.models import IssueEvent
from server.issues.states import Action
from server.notifications.audience import (
    Audience,
    IssueFacts,
    channels_for,
    community_staff,
    issue_facts,
    reporter,
    supervisors_above,
    units,
)
from server.notifications.background import send_after_commit
from server.notifications.messages import issue_message, local_time
from server.notifications.models import NotificationKind as Kind
from server.notifications.publish import Published, publish

AudienceOf = Callable[[Connection, IssueFacts], Audience]


@dataclass(frozen=True)
class Route:
    kind: Kind
    audiences: tuple[AudienceOf, ...]
    with_note: bool = False


ROUTES: dict[str, Route] = {
    Action.DISPATCH: Route(Kind.DISPATCHED, (community_staff,)),
    Action.RECTIFY: Route(Kind.RECTIFIED, (reporter,), with_note=True),
    Action.REJECT: Route(Kind.REJECTED, (community_staff,), with_note=True),
    Action.REQUEST_EXTENSION: Route(Kind.EXTENSION_REQUESTED, (supervisors_above,), with_note=True),
    Action.APPROVE_EXTENSION: Route(Kind.EXTENSION_APPROVED, (community_staff,)),
    Action.DENY_EXTENSION: Route(Kind.EXTENSION_DENIED, (community_staff,), with_note=True),
    Action.DISPUTE: Route(Kind.DISPUTED, (supervisors_above,), with_note=True),
}


def listen_to_issue_events() -> None:
    """Install the listener on every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # After a flush, ``session.new`` still lists what it inserted, now with ids.
    new = [obj for obj in session.new if isinstance(obj, IssueEvent) and obj.action in ROUTES]
    if not new:
        return
    published = notify_events(session.connection(), sorted(new, key=lambda e: e.id), utcnow())
    send_after_commit(published.delivery_ids)


def notify_events(connection: Connection, events: Sequence[IssueEvent], now: datetime) -> Published:
    facts = issue_facts(connection, {e.issue_id for e in events})
    published = Published()
    for issue_event in events:
        if (issue := facts.get(issue_event.issue_id)) is not None:
            published.add(_notify_event(connection, issue_event, issue, now))
    return published


def _notify_event(connection: Connection, issue_event: IssueEvent, facts: IssueFacts, now: datetime) -> Published:
    route = ROUTES[issue_event.action]
    if issue_event.action == Action.DISPUTE:
        facts = _with_previous_community(connection, facts, issue_event.data or {})
    audience = Audience()
    for audience_of in route.audiences:
        audience.add(audience_of(connection, facts))
    audience.user_ids.discard(issue_event.actor_id or 0)  # nobody is told of their own action
    message = issue_message(
        route.kind, facts, extra=_placeholders(issue_event.data or {}), note=issue_event.note if route.with_note else ""
    )
    channels = channels_for(connection, audience.paths)
    return publish(connection, f"event:{issue_event.id}", message, audience.user_ids, channels, now)


def _placeholders(data: dict[str, Any]) -> dict[str, str]:
    requested = data.get("requested_until")
    return {"requested": local_time(datetime.fromisoformat(requested)) if requested else "—"}


def _with_previous_community(connection: Connection, facts: IssueFacts, data: dict[str, Any]) -> IssueFacts:
    """A disputed issue has left its community; the message is about the one that disputed it."""
    previous = data.get("previous_community_id")
    row = connection.execute(select(units.c.name, units.c.path).where(units.c.id == previous)).first()
    if row is None:
        return facts
    return replace(facts, community_id=previous, community_name=row.name, community_path=row.path)
