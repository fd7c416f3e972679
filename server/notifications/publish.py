"""Turning one notice into rows: an in-app message per recipient and an outbox row per channel.

A notice has a key (``overdue:<issue>:<deadline>``, ``event:<event id>``,
``digest:<day>:<audience>:<unit>``); each recipient's message is keyed
``<notice>:u<user>`` and each delivery ``<notice>:c<channel>``, all unique, so
publishing the same notice again inserts nothing. Everything is written on the
caller's connection, inside the caller's transaction: a rolled-back action or
tick notifies nobody.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from server.notifications.audience import Channel
from server.notifications.messages import Message, outbound
from server.notifications.models import DeliveryStatus, Notification, NotificationDelivery
from server.notifications.store import insert_or_skip

notifications = Notification.__table__
deliveries = NotificationDelivery.__table__


@dataclass
class Published:
    notification_ids: list[int] = field(default_factory=list)
    delivery_ids: list[int] = field(default_factory=list)

    def add(self, other: Published) -> Published:
        self.notification_ids += other.notification_ids
        self.delivery_ids += other.delivery_ids
        return self


def publish(
    connection: Connection,
    notice_key: str,
    message: Message,
    user_ids: Iterable[int],
    channels: Iterable[Channel],
    now: datetime,
) -> Published:
    """Write the in-app messages and outbox rows of one notice; skip those already written."""
    in_app = [_notification_row(notice_key, message, user_id, now) for user_id in sorted(set(user_ids))]
    channels = list(channels)
    payload = outbound(message) if channels else {}
    outbox = [_delivery_row(notice_key, message, channel, payload, now) for channel in channels]
    return Published(
        notification_ids=list(insert_or_skip(connection, notifications, in_app).values()),
        delivery_ids=list(insert_or_skip(connection, deliveries, outbox).values()),
    )


def _notification_row(notice_key: str, message: Message, user_id: int, now: datetime) -> dict[str, object]:
    return {
        "key": f"{notice_key}:u{user_id}",
        "user_id": user_id,
        "issue_id": message.issue_id,
        "kind": message.kind,
        "title_zh": message.title_zh[:200],
        "body_zh": message.body_zh,
        "title_en": message.title_en[:200],
        "body_en": message.body_en,
        "link": message.link,
        "created_at": now,
        "read_at": None,
    }


def _delivery_row(
    notice_key: str, message: Message, channel: Channel, payload: dict[str, object], now: datetime
) -> dict[str, object]:
    return {
        "key": f"{notice_key}:c{channel.id}",
        "channel_id": channel.id,
        "kind": message.kind,
        "issue_id": message.issue_id,
        "deadline_at": message.deadline_at,
        "payload": payload,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": None,
        "created_at": now,
        "sent_at": None,
    }
