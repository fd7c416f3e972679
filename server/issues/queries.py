"""Finding issues: filters, sorting and paging on top of the visibility scope."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from server.auth.models import User
from server.categories.models import Category
from server.errors import ValidationFailed
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue
from server.issues.states import OPEN_STATUSES, Status

_METRES_PER_DEGREE = 111_320.0


@dataclass
class Page:
    items: list[Issue]
    total: int
    page: int
    per_page: int
    distances: dict[int, float]


def search_issues(user: User, args: dict[str, Any], now: datetime) -> Page:
    query = _filtered(visible_issues(user), user, args, now)
    count = select(func.count()).select_from(query.with_only_columns(Issue.id).order_by(None).subquery())
    total = db.session.scalar(count) or 0
    near = _point(args["near"], "near") if args.get("near") else None
    query = _sorted(query, args["sort"], near)
    offset = (args["page"] - 1) * args["per_page"]
    items = list(db.session.scalars(query.offset(offset).limit(args["per_page"])).unique())
    distances = {i.id: _distance_m(near, i) for i in items if near and i.lat is not None} if near else {}
    return Page(items, total, args["page"], args["per_page"], distances)


def nearby_issues(
    user: User, *, lat: float, lon: float, category: str | None, radius_m: float, closed_since: datetime
) -> list[tuple[Issue, float]]:
    """Open issues, and those closed since ``closed_since``, within ``radius_m`` of a point, nearest first.

    What an inspector should see before reporting a problem that may already be known.
    """
    dlat = radius_m / _METRES_PER_DEGREE
    dlon = radius_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    query = visible_issues(user).where(
        Issue.lat.between(lat - dlat, lat + dlat),
        Issue.lon.between(lon - dlon, lon + dlon),
        or_(
            Issue.status.in_(OPEN_STATUSES),
            (Issue.status == Status.CLOSED) & (Issue.closed_at >= closed_since),
        ),
    )
    if category:
        query = query.where(Issue.category_id.in_(select(Category.id).where(Category.code == category)))
    found = [(issue, _distance_m((lat, lon), issue)) for issue in db.session.scalars(query).unique()]
    return sorted(((i, d) for i, d in found if d <= radius_m), key=lambda pair: pair[1])


def _filtered(query: Select[Issue], user: User, args: dict[str, Any], now: datetime) -> Select[Issue]:
    if args.get("status"):
        statuses = [s.strip() for s in args["status"].split(",") if s.strip()]
        if unknown := [s for s in statuses if s not in Status._value2member_map_]:
            raise ValidationFailed(details={"status": [f"unknown status: {', '.join(unknown)}"]})
        query = query.where(Issue.status.in_(statuses))
    if args.get("category"):
        codes = [c.strip() for c in args["category"].split(",") if c.strip()]
        query = query.where(Issue.category_id.in_(select(Category.id).where(Category.code.in_(codes))))
    if args.get("community_id") is not None:
        query = query.where(Issue.community_id == args["community_id"])
    if args.get("overdue") is not None:
        overdue = (Issue.status == Status.ASSIGNED) & (Issue.deadline_at < now)
        query = query.where(overdue if args["overdue"] else ~overdue)
    if args.get("reporter") == "me":
        query = query.where(Issue.reporter_id == user.id)
    if args.get("extension_pending") is not None:
        pending = Issue.extension_requested_until.is_not(None)
        query = query.where(pending if args["extension_pending"] else ~pending)
    if args.get("bbox"):
        min_lon, min_lat, max_lon, max_lat = _bbox(args["bbox"])
        query = query.where(Issue.lat.between(min_lat, max_lat), Issue.lon.between(min_lon, max_lon))
    if args.get("q"):
        pattern = f"%{args['q'].strip()}%"
        query = query.where(or_(Issue.location_text.ilike(pattern), Issue.description.ilike(pattern)))
    return query


def _sorted(query: Select[Issue], sort: str, near: tuple[float, float] | None) -> Select[Issue]:
    if sort == "distance":
        if near is None:
            raise ValidationFailed(details={"near": ["required when sort=distance"]})
        lat, lon = near
        # Equirectangular distance: exact enough to order points within a city, and
        # plain arithmetic that every database indexes the same way.
        scale = math.cos(math.radians(lat))
        squared = (Issue.lat - lat) * (Issue.lat - lat) + (Issue.lon - lon) * (Issue.lon - lon) * (scale * scale)
        return query.order_by(Issue.lat.is_(None), squared, Issue.id)
    if sort == "deadline":
        return query.order_by(Issue.deadline_at.is_(None), Issue.deadline_at, Issue.id)
    if sort == "created_at":
        return query.order_by(Issue.created_at, Issue.id)
    return query.order_by(Issue.created_at.desc(), Issue.id.desc())


def _distance_m(near: tuple[float, float], issue: Issue) -> float:
    lat, lon = near
    assert issue.lat is not None
    assert issue.lon is not None
    dy = (issue.lat - lat) * _METRES_PER_DEGREE
    dx = (issue.lon - lon) * _METRES_PER_DEGREE * math.cos(math.radians(lat))
    return math.hypot(dx, dy)


def _bbox(value: str) -> tuple[float, float, float, float]:
    try:
        min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
    except ValueError:
        raise ValidationFailed(details={"bbox": ["expected minLon,minLat,maxLon,maxLat"]}) from None
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationFailed(details={"bbox": ["expected minLon,minLat,maxLon,maxLat"]})
    return min_lon, min_lat, max_lon, max_lat


def _point(value: str, name: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise ValidationFailed(details={name: ["expected lat,lon"]}) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValidationFailed(details={name: ["expected lat,lon"]})
    return lat, lon
