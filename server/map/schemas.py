"""What the map endpoint takes, and the GeoJSON it gives back."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from server.issues.states import STATUS_LABELS, Status
from server.map.clusters import Cluster
from server.map.geo import BBox

_BBOX_HELP = "expected minLon,minLat,maxLon,maxLat (WGS-84, west < east, south < north)"


class BBoxField(fields.String):
    """``minLon,minLat,maxLon,maxLat`` in WGS-84; a box across the antimeridian is refused."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> BBox:  # type: ignore[override]
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in text.split(","))
        except ValueError:
            raise ValidationError(_BBOX_HELP) from None
        numbers = (min_lon, min_lat, max_lon, max_lat)
        if not all(math.isfinite(v) for v in numbers):
            raise ValidationError(_BBOX_HELP)
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise ValidationError(_BBOX_HELP)
        return numbers


class MapArgsSchema(Schema):
    bbox = BBoxField(
        required=True,
        metadata={"description": "minLon,minLat,maxLon,maxLat (WGS-84)", "example": "112.59,26.85,112.62,26.88"},
    )
    zoom = fields.Float(load_default=None, validate=validate.Range(0, 22))  # Leaflet's; fractional is floored
    status = fields.String(load_default=None)  # comma separated; default: the open ones
    category = fields.String(load_default=None)  # comma separated codes
    community_id = fields.Integer(load_default=None)
    overdue = fields.Boolean(load_default=None)


def issue_feature(row: Any, now: datetime, thumbnail_url: str | None) -> dict[str, Any]:
    """One issue (a row of queries.SINGLE_COLUMNS) as a GeoJSON Point feature."""
    zh, en = STATUS_LABELS[Status(row.status)]
    return {
        "type": "Feature",
        "id": row.public_id,
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": {
            "cluster": False,
            "id": row.public_id,
            "status": row.status,
            "status_label": {"zh": zh, "en": en},
            "category": {"code": row.category_code, "name_zh": row.category_name_zh, "name_en": row.category_name_en},
            "is_overdue": is_overdue(row, now),
            "deadline_at": row.deadline_at.isoformat() if row.deadline_at else None,
            "community": {"id": row.community_id, "name": row.community_name} if row.community_id else None,
            "location_text": row.location_text,
            "thumbnail_url": thumbnail_url,
        },
    }


def is_overdue(row: Any, now: datetime) -> bool:
    """As Issue.is_overdue: still assigned after the deadline."""
    return bool(row.status == Status.ASSIGNED and row.deadline_at is not None and row.deadline_at < now)


def cluster_feature(cluster: Cluster) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": f"{cluster.level}/{cluster.cell}",
        "geometry": {"type": "Point", "coordinates": [round(cluster.lon, 7), round(cluster.lat, 7)]},
        "properties": {
            "cluster": True,
            "count": cluster.count,
            "overdue_count": cluster.overdue,
            # The grid cell: fitting the map to it zooms in far enough to split the cluster.
            "bbox": [round(v, 7) for v in cluster.bbox],
        },
    }
