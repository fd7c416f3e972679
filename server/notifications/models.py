"""Notifications as data: in-app messages, outbound channels, the outbox, and what was already sent.

- ``Notification``: one in-app message (消息) for one user.
- ``NotificationChannel``: an outbound channel of an org unit (webhook, 企业微信, 钉钉, e-mail).
- ``NotificationDelivery``: the outbox: one message for one channel, sent after the commit and
  retried with backoff.
- ``NotificationMark``: a deadline rule that fired for an issue and deadline (or a digest for a
  unit and day); ``tick`` claims it before notifying anyone.

Every ``key`` is unique: inserting an existing key is skipped (``store.insert_or_skip``), which is
what makes a rule fire once however many ticks run, at the same time or not.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import UTCDateTime, one_of, utcnow
from server.extensions import BaseModel
from server.issues.models import Issue
from server.orgs.models import OrgUnit

KEY_LENGTH = 160


class NotificationKind(StrEnum):
    DISPATCHED = "dispatched"  # 新问题待整改 (to the community's staff)
    RECTIFIED = "rectified"  # 整改已提交，待复查 (to the inspector who reported it)
    REJECTED = "rejected"  # 退回整改 (to the staff)
    EXTENSION_REQUESTED = "extension_requested"  # 延期申请待审批 (to the supervisors above)
    EXTENSION_APPROVED = "extension_approved"  # (to the staff)
    EXTENSION_DENIED = "extension_denied"  # (to the staff)
    DISPUTED = "disputed"  # 申诉，待重新派发 (to the supervisors above)
    REMINDER = "reminder"  # 即将到期 (to the staff)
    OVERDUE = "overdue"  # 已逾期 (to the staff, the street and the supervisors)
    DIGEST = "digest"  # 每日汇总 (per street, and for supervisors)


class ChannelKind(StrEnum):
    WEBHOOK = "webhook"  # generic JSON POST
    WECOM = "wecom"  # 企业微信群机器人
    DINGTALK = "dingtalk"  # 钉钉群机器人
    EMAIL = "email"  # SMTP


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the configured number of attempts
    SKIPPED = "skipped"  # no longer true when its turn came (the issue was rectified, the deadline moved)


class MarkRule(StrEnum):
    REMINDER = "reminder"
    OVERDUE = "overdue"
    DIGEST = "digest"


class Notification(BaseModel):
    """An in-app message for one user; only that user ever sees it."""

    __tablename__ = "notifications"
    __table_args__ = (
        CheckConstraint(one_of("kind", NotificationKind), name="valid_kind"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What makes it unique, e.g. "overdue:12:1795705199:u7" (issue, deadline, recipient).
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title_zh: Mapped[str] = mapped_column(String(200))
    body_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(String(200))
    body_en: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(200), default="")  # in-app path, e.g. /issues/<public_id>
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    issue: Mapped[Issue | None] = relationship()  # list_notifications loads it with the page

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} user={self.user_id}>"


class NotificationChannel(BaseModel):
    """Where an org unit's messages also go: a group robot, a webhook or a mailbox."""

    __tablename__ = "notification_channels"
    __table_args__ = (
        CheckConstraint(one_of("kind", ChannelKind), name="valid_kind"),
        Index("ix_notification_channels_org_unit_id", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    target: Mapped[str] = mapped_column(String(500))  # a URL, or comma-separated e-mail addresses
    secret: Mapped[str | None] = mapped_column(String(200))  # 钉钉 signing secret ("SEC…")
    name: Mapped[str] = mapped_column(String(100), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<NotificationChannel {self.id} {self.kind} unit={self.org_unit_id}>"


class NotificationDelivery(BaseModel):
    """The outbox: one message to one channel, sent after the commit and retried with backoff."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        CheckConstraint(one_of("status", DeliveryStatus), name="valid_status"),
        CheckConstraint("attempts >= 0", name="non_negative_attempts"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_at_iff_sent"),
        Index("ix_notification_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)  # the notice's key + ":c<channel>"
    channel_id: Mapped[int] = mapped_column(ForeignKey("notification_channels.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    # The deadline a reminder or overdue notice is about: stale once the issue's deadline moved.
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the rendered message (messages.Outbound)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    channel: Mapped[NotificationChannel] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<NotificationDelivery {self.id} {self.kind} {self.status} channel={self.channel_id}>"


class NotificationMark(BaseModel):
    """A rule that fired: (issue, rule, deadline) for reminders and overdue, (unit, day) for digests."""

    __tablename__ = "notification_marks"
    __table_args__ = (
        CheckConstraint(one_of("rule", MarkRule), name="valid_rule"),
        Index("ix_notification_marks_issue_id_rule", "issue_id", "rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH), unique=True)
    rule: Mapped[str] = mapped_column(String(16))
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"))
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<NotificationMark {self.key}>"
