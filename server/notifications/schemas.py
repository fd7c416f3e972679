"""Marshmallow schemas for the 消息 centre and the channel admin API."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from server.notifications.models import ChannelKind, Notification, NotificationKind


class NotificationListArgsSchema(Schema):
    unread = fields.Boolean(load_default=False, truthy={"1", "true", "yes"}, falsy={"0", "false", "no", ""})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def _issue_summary(notification: Notification) -> dict[str, Any] | None:
    issue = notification.issue if notification.issue_id is not None else None
    if issue is None:
        return None
    category = issue.category
    return {
        "id": issue.public_id,
        "category": {"code": category.code, "name_zh": category.name_zh, "name_en": category.name_en},
        "location_text": issue.location_text,
        "community": {"id": issue.community.id, "name": issue.community.name} if issue.community else None,
    }


class NotificationSchema(Schema):
    """One message; ``title``/``body`` in the client's language, both languages alongside."""

    id = fields.Integer()
    kind = fields.String(metadata={"enum": [k.value for k in NotificationKind]})
    title = fields.String(dump_default="")  # filled by dump_notification
    body = fields.String(dump_default="")
    title_zh = fields.String()
    body_zh = fields.String()
    title_en = fields.String()
    body_en = fields.String()
    link = fields.String(metadata={"description": "in-app path, e.g. /issues/<id>"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    is_read = fields.Function(lambda n: n.read_at is not None)
    issue = fields.Function(
        _issue_summary,
        metadata={"description": "its issue: {id, category {code, name_zh, name_en}, location_text, community}"},
    )


class ChannelSchema(Schema):
    id = fields.Integer()
    org_unit_id = fields.Integer()
    org_unit = fields.Function(lambda c: {"id": c.org_unit.id, "code": c.org_unit.code, "name": c.org_unit.name})
    kind = fields.String()
    target = fields.String()
    has_secret = fields.Function(lambda c: bool(c.secret))  # the secret itself is never sent back
    name = fields.String()
    is_active = fields.Boolean()
    created_at = fields.DateTime()


class ChannelListArgsSchema(Schema):
    org_unit_id = fields.Integer(load_default=None, allow_none=True)


class ChannelCreateSchema(Schema):
    org_unit_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in ChannelKind]))
    target = fields.String(required=True, validate=validate.Length(min=1, max=500))
    secret = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    name = fields.String(load_default="", validate=validate.Length(max=100))


class ChannelUpdateSchema(Schema):
    target = fields.String(validate=validate.Length(min=1, max=500))
    secret = fields.String(allow_none=True, validate=validate.Length(max=200))
    name = fields.String(validate=validate.Length(max=100))
    is_active = fields.Boolean()


def dump_notification(notification: Notification, *, english: bool) -> dict[str, Any]:
    data: dict[str, Any] = NotificationSchema().dump(notification)
    data["title"], data["body"] = (
        (notification.title_en, notification.body_en) if english else (notification.title_zh, notification.body_zh)
    )
    return data
