"""The supervisor's map: the issues of a viewport, single when few, clustered on a grid when dense.

The grid is the Web-Mercator tile grid, ``MAP_CLUSTER_CELL_PX`` pixels a cell
at the requested zoom, so clusters stay put while the map pans and split in
four at each zoom step. Single issues are sent when the viewport's grid cells
hold at most ``MAP_CLUSTER_THRESHOLD`` matching issues.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from server.auth.models import User
from server.categories.models import Category
from server.errors import ValidationFailed
from server.extensions import db
from server.issues.states import OPEN_STATUSES, Status
from server.map.clusters import Cluster, counts_can_answer, grid_by_group_by, grid_from_counts
from server.map.counts import compact, due_hour
from server.map.geo import BBox, zoom_for
from server.map.queries import MapFilters, count_in_viewport, single_issues
from server.map.schemas import cluster_feature, is_overdue, issue_feature
from server.map.scope import Scope, scope_of
from server.photos.models import Photo
from server.photos.operations import photo_urls, photos_for_issues

# The largest viewport served at its own zoom, in screen pixels a side (a 4K screen).
MAX_VIEW_PX = 4096


@dataclass(frozen=True)
class MapView:
    bbox: BBox
    zoom: int
    filters: MapFilters


def map_view(args: dict[str, Any]) -> MapView:
    """Check and resolve the query arguments (unknown statuses are refused; unknown categories match nothing)."""
    statuses: tuple[str, ...] = OPEN_STATUSES
    if args.get("status"):
        asked = [s.strip() for s in args["status"].split(",") if s.strip()]
        if unknown := [s for s in asked if s not in Status._value2member_map_]:
            raise ValidationFailed(details={"status": [f"unknown status: {', '.join(unknown)}"]})
        statuses = tuple(dict.fromkeys(asked))
    category_ids = None
    if args.get("category"):
        codes = [c.strip() for c in args["category"].split(",") if c.strip()]
        category_ids = tuple(db.session.scalars(select(Category.id).where(Category.code.in_(codes))))
    # No wider than MAX_VIEW_PX at the zoom asked: a whole city at street zoom would be a GROUP BY of it all.
    widest = zoom_for(args["bbox"], MAX_VIEW_PX)
    zoom = min(math.floor(args["zoom"]), widest) if args.get("zoom") is not None else zoom_for(args["bbox"])
    filters = MapFilters(statuses, category_ids, args.get("community_id"), args.get("overdue"))
    return MapView(args["bbox"], zoom, filters)


def grid_level(zoom: int) -> int:
    """The tile zoom of the cluster grid: cells of MAP_CLUSTER_CELL_PX on 256 px tiles."""
    cell_px = current_app.config["MAP_CLUSTER_CELL_PX"]
    return zoom + round(math.log2(256 / cell_px))


def map_issues(user: User, view: MapView, now: datetime) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the issues ``user`` may see in the view."""
    threshold = current_app.config["MAP_CLUSTER_THRESHOLD"]
    level = grid_level(view.zoom)
    scope = scope_of(user)
    if counts_can_answer(view.filters, level):
        clusters = grid_from_counts(scope, view.filters, view.bbox, level, now).clusters(view.filters.overdue)
        if sum(c.count for c in clusters) > threshold:
            return _clusters(clusters, view, level, "counts")
        return _singles(single_issues(scope, view.filters, view.bbox, now, threshold + 1), view, level, now)
    if count_in_viewport(scope, view.filters, view.bbox, now, threshold + 1) <= threshold:
        return _singles(single_issues(scope, view.filters, view.bbox, now, threshold + 1), view, level, now)
    return _clusters(_group_by(scope, view, level, now), view, level, "group_by")


def _group_by(scope: Scope, view: MapView, level: int, now: datetime) -> list[Cluster]:
    return grid_by_group_by(scope, view.filters, view.bbox, level, now).clusters(view.filters.overdue)


def _clusters(clusters: list[Cluster], view: MapView, level: int, source: str) -> dict[str, Any]:
    meta = _meta(view, level, "clusters", sum(c.count for c in clusters), sum(c.overdue for c in clusters))
    return {
        "type": "FeatureCollection",
        "features": [cluster_feature(c) for c in clusters],
        "meta": meta | {"source": source},
    }


def _singles(issues: list[Any], view: MapView, level: int, now: datetime) -> dict[str, Any]:
    photos = photos_for_issues([i.id for i in issues])
    features = [issue_feature(i, now, _thumbnail(photos[i.id])) for i in issues]
    meta = _meta(view, level, "issues", len(issues), sum(1 for i in issues if is_overdue(i, now)))
    return {"type": "FeatureCollection", "features": features, "meta": meta}


def _meta(view: MapView, level: int, mode: str, total: int, overdue: int) -> dict[str, Any]:
    return {
        "mode": mode,
        "zoom": view.zoom,
        "grid_level": level,
        "total": total,
        "overdue": overdue,
        "threshold": current_app.config["MAP_CLUSTER_THRESHOLD"],
    }


def _thumbnail(photos: list[Photo]) -> str | None:
    before = [p for p in photos if p.kind == "before"] or photos
    return photo_urls(before[0])["thumb"] if before else None


def compact_counts(now: datetime) -> int:
    """The counts' hourly housekeeping, for the scheduler's tick; cheap when no hour has ended."""
    folded = compact(db.session.connection(), due_hour(now))
    db.session.commit()
    return folded
