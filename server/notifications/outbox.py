"""Sending the outbox: claim a delivery, send it with no transaction open, record the outcome.

Every attempt first *claims* its row with a conditional UPDATE (still pending, due
now) that counts the attempt and pushes ``next_attempt_at`` a lease ahead, and
commits: two senders (a tick and the after-commit worker, or two ticks) never both
send one row, and a sender that dies mid-send leaves a row that is tried again
when the lease ends. The send itself runs with no transaction open (on SQLite a
write transaction would hold the database lock through a slow webhook).

A failure schedules the next attempt after ``base × 2^(attempts − 1)`` seconds,
capped; after ``NOTIFY_MAX_ATTEMPTS`` the row is marked failed. A channel that
failed once in a pass is not tried again in that pass, so one dead endpoint costs
one timeout per tick, and every other channel still gets its messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.notifications.channels import DeliveryError, Target, sender_for
from server.notifications.models import DeliveryStatus, NotificationChannel, NotificationDelivery, NotificationKind

Delivery = NotificationDelivery
# How long a claimed row is left to its sender before another may try it.
CLAIM_LEASE = timedelta(minutes=5)
# Deliveries that say something about the issue's current deadline: stale once it moved or was met.
_ABOUT_THE_DEADLINE = {NotificationKind.REMINDER.value, NotificationKind.OVERDUE.value}


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0  # attempts that failed (the row may still be retried)
    gave_up: int = 0
    skipped: int = 0
    deferred: int = 0  # not tried: their channel already failed in this pass
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel_id: int
    channel_kind: str
    target: Target
    payload: dict[str, Any]
    attempts: int
    is_stale: bool


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt after ``attempts`` failed ones."""
    config = current_app.config
    seconds = config["NOTIFY_RETRY_BASE_SECONDS"] * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, config["NOTIFY_RETRY_MAX_SECONDS"]))


def due_delivery_ids(now: datetime, limit: int = 200) -> list[int]:
    ids = list(
        db.session.scalars(
            select(Delivery.id)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
    )
    db.session.commit()
    return ids


def deliver_due(now: datetime, limit: int = 200) -> DeliveryReport:
    """Send what is due (new rows and retries whose backoff has passed)."""
    return deliver(due_delivery_ids(now, limit), now)


def deliver(delivery_ids: Iterable[int], now: datetime) -> DeliveryReport:
    ids = list(delivery_ids)
    report = DeliveryReport()
    broken: set[int] = set()
    channel_of = _channels_of(ids)
    for delivery_id in ids:
        if channel_of.get(delivery_id) in broken:
            report.deferred += 1
            continue
        claimed = _claim(delivery_id, now)
        if claimed is not None:
            _attempt(claimed, now, report, broken)
    return report


def _channels_of(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    rows = db.session.execute(select(Delivery.id, Delivery.channel_id).where(Delivery.id.in_(ids))).all()
    db.session.commit()
    return {row.id: row.channel_id for row in rows}


def _claim(delivery_id: int, now: datetime) -> _Claimed | None:
    claimed = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
        )
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # a CursorResult for an UPDATE
        db.session.commit()
        return None
    row = db.session.execute(
        select(
            Delivery.id,
            Delivery.kind,
            Delivery.deadline_at,
            Delivery.payload,
            Delivery.attempts,
            NotificationChannel.id.label("channel_id"),
            NotificationChannel.kind.label("channel_kind"),
            NotificationChannel.target,
            NotificationChannel.secret,
            NotificationChannel.is_active,
            Issue.status.label("issue_status"),
            Issue.deadline_at.label("issue_deadline_at"),
        )
        .join(NotificationChannel, NotificationChannel.id == Delivery.channel_id)
        .outerjoin(Issue, Issue.id == Delivery.issue_id)
        .where(Delivery.id == delivery_id)
    ).one()
    db.session.commit()
    return _Claimed(
        id=row.id,
        channel_id=row.channel_id,
        channel_kind=row.channel_kind,
        target=Target(row.target, row.secret),
        payload=row.payload,
        attempts=row.attempts,
        is_stale=not row.is_active or _is_stale(row),
    )


def _is_stale(row: Any) -> bool:
    """A reminder or overdue notice whose issue was rectified, closed, cancelled or given a new deadline."""
    if row.kind not in _ABOUT_THE_DEADLINE:
        return False
    return row.issue_status != Status.ASSIGNED or row.issue_deadline_at != row.deadline_at


def _attempt(claimed: _Claimed, now: datetime, report: DeliveryReport, broken: set[int]) -> None:
    if claimed.is_stale:
        _finish(claimed.id, status=DeliveryStatus.SKIPPED)
        report.skipped += 1
        return
    try:
        sender_for(claimed.channel_kind).send(claimed.target, claimed.payload)
    except Exception as exc:  # any channel failure (DeliveryError or a bug) is the same: retry later
        if not isinstance(exc, DeliveryError):
            current_app.logger.exception("channel %s crashed", claimed.channel_kind)
        broken.add(claimed.channel_id)
        _record_failure(claimed, now, str(exc) or type(exc).__name__, report)
        return
    _finish(claimed.id, status=DeliveryStatus.SENT, sent_at=now)
    report.sent += 1


def _record_failure(claimed: _Claimed, now: datetime, error: str, report: DeliveryReport) -> None:
    report.failed += 1
    report.errors.append(f"delivery {claimed.id} ({claimed.channel_kind}): {error}")
    current_app.logger.warning("delivery %s to channel %s failed: %s", claimed.id, claimed.channel_id, error)
    if claimed.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
        _finish(claimed.id, status=DeliveryStatus.FAILED, last_error=error[:1000])
        report.gave_up += 1
    else:
        _finish(claimed.id, next_attempt_at=now + backoff(claimed.attempts), last_error=error[:1000])


def _finish(delivery_id: int, **values: Any) -> None:
    db.session.execute(
        update(Delivery).where(Delivery.id == delivery_id).values(**values).execution_options(synchronize_session=False)
    )
    db.session.commit()
