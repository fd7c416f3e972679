"""Marshmallow schemas for rankings and exports: query arguments in, figures out."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from server.issues.states import Status

_STATUSES = [s.value for s in Status]


class PeriodArgsSchema(Schema):
    """``from``/``to``: local dates (XUNCHA_TIMEZONE), both included; default the last 7 days."""

    first = fields.Date(data_key="from", load_default=None)
    last = fields.Date(data_key="to", load_default=None)


class TrendArgsSchema(Schema):
    weeks = fields.Integer(load_default=8, validate=validate.Range(min=1, max=52))
    community_id = fields.Integer(load_default=None)
    # The last week is the one holding this local date (default: the current week; a later date counts as today).
    last = fields.Date(data_key="to", load_default=None)


class IssueFilterArgsSchema(PeriodArgsSchema):
    """The issue list's filters; ``from``/``to`` select by 发现时间 (when reported)."""

    status = fields.String(load_default=None)  # comma separated
    category = fields.String(load_default=None)  # comma separated codes
    community_id = fields.Integer(load_default=None)
    overdue = fields.Boolean(load_default=None)


class ExcelArgsSchema(IssueFilterArgsSchema):
    thumbnails = fields.Boolean(load_default=False)


class NoticesArgsSchema(Schema):
    community_id = fields.Integer(required=True)
    status = fields.String(load_default=Status.ASSIGNED.value)


class BulletinArgsSchema(PeriodArgsSchema):
    format = fields.String(load_default="txt", validate=validate.OneOf(["txt", "md", "docx"]))
    community_id = fields.Integer(load_default=None)


# ------------------------------------------------------------------ output


class UnitRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    kind = fields.String()


class FiguresSchema(Schema):
    found = fields.Integer(metadata={"description": "issues reported in the period"})
    rectified = fields.Integer(metadata={"description": "issues with a rectify event in the period"})
    closed = fields.Integer(metadata={"description": "issues with a verify event in the period"})
    due = fields.Integer(metadata={"description": "issues whose deadline in force fell due in the period"})
    on_time = fields.Integer(metadata={"description": "due issues (not extended) rectified by the deadline"})
    extended = fields.Integer(metadata={"description": "due issues whose deadline came from an approved extension"})
    rectifications = fields.Integer(metadata={"description": "rectify events in the period"})
    rejections = fields.Integer(metadata={"description": "reject (rework) events in the period"})
    overdue = fields.Integer(metadata={"description": "overdue at the end of the period (now if not ended)"})
    rectification_rate = fields.Float(allow_none=True, metadata={"description": "整改率 = closed ÷ due"})
    on_time_rate = fields.Float(allow_none=True, metadata={"description": "按期整改率 = on_time ÷ (due − extended)"})
    rework_rate = fields.Float(allow_none=True, metadata={"description": "返工率 = rejections ÷ rectifications"})
    median_hours_to_rectify = fields.Float(allow_none=True)


class LeagueRowSchema(FiguresSchema):
    unit = fields.Nested(UnitRefSchema)
    rank = fields.Integer()
    previous_rank = fields.Integer(metadata={"description": "rank in the period of equal length just before"})


class TotalsSchema(FiguresSchema):
    unassigned_found = fields.Integer(metadata={"description": "found but never dispatched to a community"})


class PeriodSchema(Schema):
    first = fields.Date(data_key="from")
    last = fields.Date(data_key="to")


class LeagueSchema(Schema):
    period = fields.Nested(PeriodSchema)
    previous = fields.Nested(PeriodSchema)
    as_of = fields.AwareDateTime()
    rows = fields.List(fields.Nested(LeagueRowSchema))
    totals = fields.Nested(TotalsSchema)


class TrendWeekSchema(Schema):
    week = fields.String(metadata={"description": "ISO week, e.g. 2026-W05"})
    first = fields.String(data_key="from")
    last = fields.String(data_key="to")
    found = fields.Integer()
    closed = fields.Integer()


class TrendSchema(Schema):
    weeks = fields.List(fields.Nested(TrendWeekSchema))


def dump_trend(weeks: list[dict[str, Any]]) -> dict[str, Any]:
    return TrendSchema().dump({"weeks": weeks})
