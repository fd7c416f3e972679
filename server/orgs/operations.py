"""The org tree: building it, finding a unit's subtree, routing a point to its community."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from geopy.distance import geodesic
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import select

from server.errors import ValidationFailed
from server.extensions import db
from server.orgs.models import OrgKind, OrgUnit

_CHILD_KINDS = {
    OrgKind.CITY: {OrgKind.DISTRICT, OrgKind.STREET},
    OrgKind.DISTRICT: {OrgKind.STREET},
    OrgKind.STREET: {OrgKind.COMMUNITY},
    OrgKind.COMMUNITY: {OrgKind.GRID},
    OrgKind.GRID: set(),
}


def create_org_unit(
    *,
    code: str,
    name: str,
    kind: OrgKind,
    parent: OrgUnit | None = None,
    name_en: str | None = None,
    boundary: dict[str, Any] | None = None,
) -> OrgUnit:
    if parent is not None and kind not in _CHILD_KINDS[OrgKind(parent.kind)]:
        raise ValidationFailed(f"「{parent.name}」下不能建立该级单位", f"A {kind} cannot sit under a {parent.kind}")
    unit = OrgUnit(code=code, name=name, name_en=name_en, kind=kind, parent=parent)
    db.session.add(unit)
    db.session.flush()  # the id is part of the path
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    set_boundary(unit, boundary)
    return unit


def set_boundary(unit: OrgUnit, boundary: dict[str, Any] | None) -> None:
    """Set a unit's GeoJSON boundary and recompute its centroid from it."""
    if boundary is None:
        unit.boundary = None
        return
    geometry = _geometry(boundary)
    unit.boundary = boundary
    centroid = geometry.representative_point() if not geometry.centroid.within(geometry) else geometry.centroid
    unit.centroid_lat, unit.centroid_lon = round(centroid.y, 7), round(centroid.x, 7)


def _geometry(boundary: dict[str, Any]) -> BaseGeometry:
    try:
        geometry = shape(boundary)
    except Exception as exc:
        raise ValidationFailed("边界不是有效的 GeoJSON 面", "The boundary is not a valid GeoJSON polygon") from exc
    if geometry.geom_type not in {"Polygon", "MultiPolygon"} or not geometry.is_valid or geometry.is_empty:
        raise ValidationFailed("边界不是有效的 GeoJSON 面", "The boundary is not a valid GeoJSON polygon")
    return geometry


def load_tree(node: dict[str, Any], parent: OrgUnit | None = None) -> OrgUnit:
    """Create a unit and its children from a nested dict (see demo/data/hengyang.json)."""
    unit = create_org_unit(
        code=node["code"],
        name=node["name"],
        name_en=node.get("name_en"),
        kind=OrgKind(node["kind"]),
        parent=parent,
        boundary=node.get("boundary"),
    )
    for child in node.get("children", []):
        load_tree(child, unit)
    return unit


def subtree_ids(unit: OrgUnit, kind: OrgKind | None = None) -> list[int]:
    """Ids of ``unit`` and everything under it (optionally of one kind)."""
    query = select(OrgUnit.id).where(OrgUnit.path.startswith(unit.path))
    if kind is not None:
        query = query.where(OrgUnit.kind == kind)
    return list(db.session.scalars(query))


def communities_under(unit: OrgUnit) -> list[OrgUnit]:
    query = (
        select(OrgUnit)
        .where(OrgUnit.path.startswith(unit.path), OrgUnit.kind == OrgKind.COMMUNITY)
        .order_by(OrgUnit.name)
    )
    return list(db.session.scalars(query))


def community_of(unit: OrgUnit) -> OrgUnit | None:
    """The community a unit belongs to: itself, or the community above a grid."""
    while unit is not None and unit.kind != OrgKind.COMMUNITY:
        unit = unit.parent  # type: ignore[assignment]
    return unit


@dataclass(frozen=True)
class Route:
    community: OrgUnit
    how: str  # "boundary" or "nearest"
    distance_m: float | None = None


def route_point(lat: float, lon: float, max_distance_m: float) -> Route | None:
    """The community responsible for a point.

    The community whose boundary contains the point; else the community with the
    nearest centroid, if within ``max_distance_m``; else None (manual dispatch).
    """
    communities = list(db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNITY)))
    point = Point(lon, lat)
    for community in communities:
        if community.boundary and _geometry(community.boundary).covers(point):
            return Route(community, "boundary")
    nearest: Route | None = None
    for community in communities:
        if community.centroid_lat is None or community.centroid_lon is None:
            continue
        distance = geodesic((lat, lon), (community.centroid_lat, community.centroid_lon)).meters
        if distance <= max_distance_m and (nearest is None or distance < (nearest.distance_m or 0)):
            nearest = Route(community, "nearest", round(distance, 1))
    return nearest


def import_boundaries(feature_collection: dict[str, Any]) -> list[OrgUnit]:
    """Set boundaries from a GeoJSON FeatureCollection whose features name a unit by ``code``."""
    if feature_collection.get("type") != "FeatureCollection":
        raise ValidationFailed("需要 GeoJSON FeatureCollection", "Expected a GeoJSON FeatureCollection")
    updated = []
    for index, feature in enumerate(feature_collection.get("features", [])):
        code = (feature.get("properties") or {}).get("code")
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code)) if code else None
        if unit is None:
            raise ValidationFailed(
                f"第 {index + 1} 个要素的 code「{code}」找不到对应单位",
                f"Feature {index + 1}: no org unit with code '{code}'",
            )
        set_boundary(unit, feature.get("geometry"))
        updated.append(unit)
    return updated
