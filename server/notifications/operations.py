"""The rules of the 消息 centre and of outbound channels.

A user only ever reads and marks their own messages: every query here is scoped by
``user_id`` and someone else's message answers 404. Channels belong to an org unit
and are managed by the admins of a unit above (or at) it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from server.auth.models import Role, User
from server.errors import NotFound, RoleNotAllowed, ValidationFailed
from server.extensions import db
from server.issues.models import Issue
from server.notifications.channels import Target, sender_for
from server.notifications.messages import absolute_link
from server.notifications.models import ChannelKind, Notification, NotificationChannel
from server.orgs.models import OrgUnit

_EMAIL = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")


@dataclass(frozen=True)
class Page:
    items: list[Notification]
    total: int
    page: int
    per_page: int


# ------------------------------------------------------------------ 消息


def _mine(user: User) -> ColumnElement[bool]:
    return Notification.user_id == user.id


def list_notifications(user: User, *, unread_only: bool = False, page: int = 1, per_page: int = 20) -> Page:
    query = select(Notification).where(_mine(user))
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    issue = selectinload(Notification.issue).options(joinedload(Issue.category), joinedload(Issue.community))
    query = query.options(issue)
    items = db.session.scalars(query.order_by(Notification.id.desc()).offset((page - 1) * per_page).limit(per_page))
    return Page(list(items), total, page, per_page)


def unread_count(user: User) -> int:
    query = select(func.count(Notification.id)).where(_mine(user), Notification.read_at.is_(None))
    return db.session.scalar(query) or 0


def get_notification(user: User, notification_id: int) -> Notification:
    notification = db.session.scalar(select(Notification).where(Notification.id == notification_id, _mine(user)))
    if notification is None:
        raise NotFound("找不到该消息", "Notification not found")
    return notification


def mark_read(user: User, notification_id: int, now: datetime) -> Notification:
    notification = get_notification(user, notification_id)
    if notification.read_at is None:
        notification.read_at = now
        db.session.flush()
    return notification


def mark_all_read(user: User, now: datetime) -> int:
    result = db.session.execute(
        update(Notification)
        .where(_mine(user), Notification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return int(result.rowcount)  # type: ignore[attr-defined]  # a CursorResult for an UPDATE


# ------------------------------------------------------------------ channels


def check_channel_admin(user: User, unit: OrgUnit) -> None:
    if user.role != Role.ADMIN:
        raise RoleNotAllowed("只有系统管理员可以配置消息通道", "Only admins configure notification channels")
    if not unit.path.startswith(user.org_unit.path):
        raise NotFound("找不到该单位，或您无权管理", "Org unit not found")


def get_org_unit(unit_id: int | None = None, code: str | None = None) -> OrgUnit:
    query = select(OrgUnit).where(OrgUnit.id == unit_id if unit_id is not None else OrgUnit.code == code)
    unit = db.session.scalar(query)
    if unit is None:
        raise NotFound("找不到该单位", "Org unit not found")
    return unit


def list_channels(under: OrgUnit) -> list[NotificationChannel]:
    query = (
        select(NotificationChannel)
        .join(OrgUnit, OrgUnit.id == NotificationChannel.org_unit_id)
        .where(OrgUnit.path.startswith(under.path))
        .order_by(NotificationChannel.id)
    )
    return list(db.session.scalars(query))


def get_channel(user: User, channel_id: int) -> NotificationChannel:
    channel = db.session.get(NotificationChannel, channel_id)
    if channel is None or not channel.org_unit.path.startswith(user.org_unit.path):
        raise NotFound("找不到该消息通道", "Channel not found")
    return channel


def add_channel(
    *, org_unit: OrgUnit, kind: str, target: str, secret: str | None = None, name: str = ""
) -> NotificationChannel:
    kind, target = _checked(kind, target.strip())
    channel = NotificationChannel(
        org_unit=org_unit, kind=kind, target=target, secret=(secret or "").strip() or None, name=name.strip()
    )
    db.session.add(channel)
    db.session.flush()
    return channel


def update_channel(
    channel: NotificationChannel,
    *,
    target: str | None = None,
    secret: str | None = None,
    name: str | None = None,
    is_active: bool | None = None,
) -> NotificationChannel:
    if target is not None:
        channel.target = _checked(channel.kind, target.strip())[1]
    if secret is not None:
        channel.secret = secret.strip() or None
    if name is not None:
        channel.name = name.strip()
    if is_active is not None:
        channel.is_active = is_active
    db.session.flush()
    return channel


def _checked(kind: str, target: str) -> tuple[str, str]:
    if kind not in ChannelKind._value2member_map_:
        raise ValidationFailed(
            "通道类型必须是 webhook、wecom、dingtalk 或 email",
            "kind must be webhook, wecom, dingtalk or email",
            details={"kind": ["invalid"]},
        )
    if kind == ChannelKind.EMAIL:
        if not target or not all(_EMAIL.match(a.strip()) for a in re.split(r"[,;]", target) if a.strip()):
            raise ValidationFailed(
                "请填写有效的邮箱地址", "Give valid e-mail addresses", details={"target": ["invalid"]}
            )
        return kind, target
    parts = urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationFailed(
            "请填写以 http:// 或 https:// 开头的机器人地址",
            "The target must be an http(s) URL",
            details={"target": ["invalid"]},
        )
    return kind, target


def send_test_message(channel: NotificationChannel) -> None:
    """Send a test message through ``channel`` now (raises DeliveryError when it fails)."""
    link = absolute_link("/")
    text = f"巡查系统消息通道测试：{channel.org_unit.name}\n详情：{link}"
    payload = {
        "kind": "test",
        "title": "巡查系统消息通道测试",
        "text": text,
        "markdown": f"**巡查系统消息通道测试**\n> 单位：{channel.org_unit.name}\n[打开巡查系统]({link})",
        "link": link,
        "data": {},
    }
    sender_for(channel.kind).send(Target(channel.target, channel.secret), payload)
