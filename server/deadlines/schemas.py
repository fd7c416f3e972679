from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.deadlines.operations import MAX_NOTE_LENGTH, MAX_OVERRIDE_YEAR, MIN_OVERRIDE_YEAR

_YEARS = validate.Range(min=MIN_OVERRIDE_YEAR, max=MAX_OVERRIDE_YEAR)


class OverrideInSchema(Schema):
    day = fields.Date(required=True)
    is_workday = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=MAX_NOTE_LENGTH))


class OverrideSchema(Schema):
    day = fields.Date()
    is_workday = fields.Boolean()
    note = fields.String()
    created_at = fields.DateTime()


class DaySchema(Schema):
    """The ``<day>`` in a URL."""

    day = fields.Date(required=True)


class OverrideListArgsSchema(Schema):
    year = fields.Integer(validate=_YEARS)


class CoverageSchema(Schema):
    package_years = fields.List(fields.Integer(), metadata={"description": "years the chinesecalendar package knows"})
    override_years = fields.List(fields.Integer(), metadata={"description": "years with admin-entered overrides"})
    covered_years = fields.List(fields.Integer())
    current_year = fields.Integer()
    current_year_covered = fields.Boolean()
    next_year = fields.Integer()
    next_year_covered = fields.Boolean()
