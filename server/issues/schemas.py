"""Marshmallow schemas for issues: what clients send, and what they get back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from server.deadlines.operations import current_calendar
from server.issues.operations import ActionRequest, NewIssue
from server.issues.states import ACTION_LABELS, STATUS_LABELS, Action, Status

_UUID = fields.UUID(required=True)


class LatLonMixin(Schema):
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-90, 90))
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(-180, 180))
    accuracy_m = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=0))

    @validates_schema
    def _both_or_neither(self, data: dict[str, Any], **_: Any) -> None:
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError("lat and lon go together", "lat")


class IssueCreateSchema(LatLonMixin):
    client_id = _UUID
    category = fields.String(required=True, validate=validate.Length(min=1, max=64))
    location_text = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    photo_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    community_id = fields.Integer(load_default=None, allow_none=True)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> NewIssue:
        data["client_id"] = str(data["client_id"])
        data["photo_ids"] = [str(p) for p in data["photo_ids"]]
        return NewIssue(**data)


class ActionSchema(LatLonMixin):
    action = fields.String(required=True, validate=validate.OneOf([a.value for a in Action if a != Action.REPORT]))
    version = fields.Integer(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=2000))
    photo_ids = fields.List(fields.UUID(), load_default=list, validate=validate.Length(max=20))
    community_id = fields.Integer(load_default=None, allow_none=True)
    requested_until = fields.Date(load_default=None, allow_none=True)  # a day: the deadline becomes its end
    acted_at = fields.AwareDateTime(load_default=None, allow_none=True)
    client_id = fields.UUID(load_default=None, allow_none=True)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> ActionRequest:
        if data["requested_until"] is not None:
            data["requested_until"] = current_calendar().end_of_day(data["requested_until"]).astimezone(UTC)
        data["photo_ids"] = [str(p) for p in data["photo_ids"]]
        data["client_id"] = str(data["client_id"]) if data["client_id"] else None
        return ActionRequest(**data)


class IssueListArgsSchema(Schema):
    status = fields.String(load_default=None)  # comma separated
    category = fields.String(load_default=None)
    community_id = fields.Integer(load_default=None)
    overdue = fields.Boolean(load_default=None)
    reporter = fields.String(load_default=None, validate=validate.OneOf(["me"]))
    extension_pending = fields.Boolean(load_default=None)
    bbox = fields.String(load_default=None)  # minLon,minLat,maxLon,maxLat
    near = fields.String(load_default=None)  # lat,lon: sort nearest first
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    sort = fields.String(
        load_default="-created_at", validate=validate.OneOf(["-created_at", "created_at", "deadline", "distance"])
    )
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class NearbyArgsSchema(Schema):
    lat = fields.Float(required=True, validate=validate.Range(-90, 90))
    lon = fields.Float(required=True, validate=validate.Range(-180, 180))
    category = fields.String(load_default=None)
    radius_m = fields.Float(load_default=None, validate=validate.Range(min=1, max=1000))


# ------------------------------------------------------------------ output


class CategoryRefSchema(Schema):
    code = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    group_zh = fields.String()
    group_en = fields.String()
    kind = fields.String()


class CommunityRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)


class ActorSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()


def _label(labels: dict[Any, tuple[str, str]], value: str) -> dict[str, str]:
    zh, en = labels[value]
    return {"zh": zh, "en": en}


class IssueSummarySchema(Schema):
    id = fields.String(attribute="public_id")
    client_id = fields.String()
    status = fields.String()
    status_label = fields.Function(lambda issue: _label(STATUS_LABELS, Status(issue.status)))
    category = fields.Nested(CategoryRefSchema)
    community = fields.Nested(CommunityRefSchema, allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    location_text = fields.String()
    description = fields.String()
    deadline_at = fields.AwareDateTime(allow_none=True)
    rework_count = fields.Integer()
    extension_requested_until = fields.AwareDateTime(allow_none=True)
    reporter = fields.Nested(ActorSchema)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    dispatched_at = fields.AwareDateTime(allow_none=True)
    rectified_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    cancelled_at = fields.AwareDateTime(allow_none=True)
    version = fields.Integer()
    # Filled in by dump_summaries: derived per request, not stored.
    is_overdue = fields.Boolean(dump_only=True)
    thumbnail_url = fields.String(dump_only=True, allow_none=True)
    distance_m = fields.Float(dump_only=True, allow_none=True)


def dump_summary(
    issue: Any, *, now: datetime, thumbnail_url: str | None = None, distance_m: float | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = IssueSummarySchema().dump(issue)
    data["is_overdue"] = issue.is_overdue(now)
    data["thumbnail_url"] = thumbnail_url
    data["distance_m"] = None if distance_m is None else round(distance_m, 1)
    return data


class EventSchema(Schema):
    id = fields.Integer()
    action = fields.String()
    action_label = fields.Function(lambda e: _label(ACTION_LABELS, Action(e.action)))
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    actor = fields.Nested(ActorSchema, allow_none=True)
    note = fields.String()
    data = fields.Dict()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    accuracy_m = fields.Float(allow_none=True)
    acted_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
