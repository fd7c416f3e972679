"""One run of the scheduler: apply the deadline rules at ``now``, then send what is due.

Safe every minute and safe twice at once: each rule claims its unique mark before it
notifies (``rules``, ``digest``), and each delivery is claimed before it is sent
(``outbox``). The rules commit before any delivery is attempted, so a slow or dead
channel never holds back the records of what was decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app

from server.extensions import db
from server.notifications.digest import send_digests
from server.notifications.outbox import DeliveryReport, deliver_due
from server.notifications.publish import Published
from server.notifications.rules import fire_overdue, fire_reminders

RULES = ("reminder", "overdue", "digest")


@dataclass
class TickReport:
    now: datetime
    notifications: int = 0
    deliveries_queued: int = 0
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def summary(self) -> str:
        d = self.delivery
        return (
            f"tick {self.now.isoformat()}: {self.notifications} notifications, "
            f"{self.deliveries_queued} deliveries queued; sent {d.sent}, failed {d.failed} "
            f"(gave up {d.gave_up}), skipped {d.skipped}, deferred {d.deferred}"
        )


def enabled_rules() -> set[str]:
    configured = {part.strip() for part in current_app.config["NOTIFY_RULES"].split(",")}
    return configured & set(RULES)


def run_tick(now: datetime) -> TickReport:
    """Apply every enabled rule at ``now`` (aware), commit, then send the due deliveries."""
    if now.tzinfo is None:
        raise ValueError("tick needs an aware datetime")
    try:
        published = apply_rules(now)
        db.session.commit()
    except Exception:
        db.session.rollback()  # nothing of a failed tick stays: the next one decides again
        raise
    report = TickReport(now, len(published.notification_ids), len(published.delivery_ids))
    report.delivery = deliver_due(now)
    _housekeeping(now)
    return report


def _housekeeping(now: datetime) -> None:
    """Periodic upkeep of other packages that rides on the same clock; its failure never fails the tick."""
    from server.map.operations import compact_counts  # the map's past due hours, folded hourly

    try:
        compact_counts(now)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("compacting the map counts failed")


def apply_rules(now: datetime) -> Published:
    rules = enabled_rules()
    published = Published()
    if "reminder" in rules:
        published.add(fire_reminders(now))
    if "overdue" in rules:
        published.add(fire_overdue(now))
    if "digest" in rules:
        published.add(send_digests(now))
    return published
