from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields


class CommunitySchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    kind = fields.String()
    parent = fields.Method("_parent")
    centroid = fields.Method("_centroid")
    boundary = fields.Dict(allow_none=True)

    def _parent(self, unit: Any) -> dict[str, Any] | None:
        p = unit.parent
        return {"id": p.id, "code": p.code, "name": p.name, "kind": p.kind} if p else None

    def _centroid(self, unit: Any) -> dict[str, float] | None:
        if unit.centroid_lat is None or unit.centroid_lon is None:
            return None
        return {"lat": unit.centroid_lat, "lon": unit.centroid_lon}
