"""HTTP handlers for the 消息 centre and the notification channels: parse, scope, call, serialize."""

from __future__ import annotations

from flask import Response, jsonify

from server.auth.models import Role
from server.auth.session import require_user, roles_required
from server.db import utcnow
from server.errors import wants_english
from server.notifications import bp
from server.notifications import operations as ops
from server.notifications.schemas import (
    ChannelCreateSchema,
    ChannelListArgsSchema,
    ChannelSchema,
    ChannelUpdateSchema,
    NotificationListArgsSchema,
    dump_notification,
)
from server.schemas import load_args, load_json


@bp.get("/notifications")
def index() -> Response:
    """Your messages, newest first.
    ---
    get:
      summary: Your in-app messages (消息), newest first; unread=1 for the unread ones only
      parameters:
        - in: query
          schema: NotificationListArgsSchema
      responses:
        200: {description: "{items: [notification], total, page, per_page, unread}"}
    """
    user = require_user()
    args = load_args(NotificationListArgsSchema())
    page = ops.list_notifications(user, unread_only=args["unread"], page=args["page"], per_page=args["per_page"])
    english = wants_english()
    return jsonify(
        {
            "items": [dump_notification(n, english=english) for n in page.items],
            "total": page.total,
            "page": page.page,
            "per_page": page.per_page,
            "unread": ops.unread_count(user),
        }
    )


@bp.get("/notifications/unread-count")
def unread_count() -> Response:
    """The unread badge.
    ---
    get:
      summary: How many of your messages are unread
      responses:
        200: {description: "{unread: n}"}
    """
    return jsonify({"unread": ops.unread_count(require_user())})


@bp.post("/notifications/<int:notification_id>/read")
def read(notification_id: int) -> Response:
    """Mark one message read.
    ---
    post:
      summary: Mark one of your messages read (again is harmless)
      responses:
        200: {description: the message}
        404: {description: no such message, or not yours}
    """
    user = require_user()
    notification = ops.mark_read(user, notification_id, utcnow())
    return jsonify(dump_notification(notification, english=wants_english()))


@bp.post("/notifications/read-all")
def read_all() -> Response:
    """Mark every message read.
    ---
    post:
      summary: Mark all your messages read
      responses:
        200: {description: "{updated: n, unread: 0}"}
    """
    user = require_user()
    updated = ops.mark_all_read(user, utcnow())
    return jsonify({"updated": updated, "unread": 0})


@bp.get("/notification-channels")
@roles_required(Role.ADMIN)
def channels() -> Response:
    """Outbound channels (admin).
    ---
    get:
      summary: The webhook, 企业微信, 钉钉 and e-mail channels of the units under yours (or under org_unit_id)
      parameters:
        - in: query
          schema: ChannelListArgsSchema
      responses:
        200: {description: "{items: [channel]}"}
        403: {description: not an admin}
    """
    user = require_user()
    args = load_args(ChannelListArgsSchema())
    under = user.org_unit
    if args["org_unit_id"] is not None:
        under = ops.get_org_unit(args["org_unit_id"])
        ops.check_channel_admin(user, under)
    return jsonify({"items": ChannelSchema(many=True).dump(ops.list_channels(under))})


@bp.post("/notification-channels")
@roles_required(Role.ADMIN)
def create_channel() -> tuple[Response, int]:
    """Add an outbound channel to an org unit (admin).
    ---
    post:
      summary: Add a channel; messages to the unit's people (and units below) also go there
      requestBody:
        content:
          application/json:
            schema: ChannelCreateSchema
      responses:
        201: {description: the channel}
        404: {description: no such unit, or not under yours}
        422: {description: invalid kind or target}
    """
    user = require_user()
    data = load_json(ChannelCreateSchema())
    unit = ops.get_org_unit(data.pop("org_unit_id"))
    ops.check_channel_admin(user, unit)
    return jsonify(ChannelSchema().dump(ops.add_channel(org_unit=unit, **data))), 201


@bp.patch("/notification-channels/<int:channel_id>")
@roles_required(Role.ADMIN)
def update_channel(channel_id: int) -> Response:
    """Change or switch off a channel (admin).
    ---
    patch:
      summary: Change a channel's target, secret or name, or set is_active
      requestBody:
        content:
          application/json:
            schema: ChannelUpdateSchema
      responses:
        200: {description: the channel}
        404: {description: no such channel, or not under your unit}
    """
    user = require_user()
    channel = ops.get_channel(user, channel_id)
    return jsonify(ChannelSchema().dump(ops.update_channel(channel, **load_json(ChannelUpdateSchema()))))
