from __future__ import annotations

from marshmallow import Schema, fields, validate


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256), load_only=True)


class OrgUnitRefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    kind = fields.String()


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    phone = fields.String(allow_none=True)
    role = fields.String()
    org_unit = fields.Nested(OrgUnitRefSchema)


class SessionSchema(Schema):
    user = fields.Nested(UserSchema)
    csrf_token = fields.String()
