from __future__ import annotations

from marshmallow import Schema, fields, validate

from server.deadlines.units import DeadlineUnit


class CategorySchema(Schema):
    code = fields.String()
    group_code = fields.String()
    group_zh = fields.String()
    group_en = fields.String()
    name_zh = fields.String()
    name_en = fields.String()
    kind = fields.String()
    deadline_unit = fields.String()
    deadline_amount = fields.Integer()
    is_active = fields.Boolean()


class CategoryRuleSchema(Schema):
    unit = fields.Enum(DeadlineUnit, by_value=True, load_default=None)
    amount = fields.Integer(load_default=None, validate=validate.Range(min=1, max=10_000))
    is_active = fields.Boolean(load_default=None)
