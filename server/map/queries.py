"""Map queries on the issues table: single issues in a viewport, and the bounded GROUP BY.

Both start from ``visible_issues(user)`` (through ``Scope.issues``) and find the
viewport with key ranges on ``ix_issues_geokey``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Select, and_, bindparam, case, func, or_, select, true, union_all
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import BindParameter

from server.categories.models import Category
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import OPEN_STATUSES, Status
from server.map.geo import KEY_ZOOM, BBox, cover, shifted
from server.map.scope import Scope
from server.orgs.models import OrgUnit

# Key ranges per viewport: more ranges fit the box closer; each is one index seek.
SINGLE_RANGES = 8
CELL_RANGES = 8


@dataclass(frozen=True)
class MapFilters:
    statuses: tuple[str, ...] = OPEN_STATUSES
    category_ids: tuple[int, ...] | None = None  # None: every category
    community_id: int | None = None
    overdue: bool | None = None


def overdue_at(now: datetime) -> ColumnElement[bool]:
    """Overdue is derived, never stored: still assigned after the deadline (as Issue.is_overdue)."""
    return and_(Issue.status == Status.ASSIGNED, Issue.deadline_at < now)


def issue_criteria(filters: MapFilters, now: datetime) -> list[ColumnElement[bool]]:
    # The statuses are written into the SQL (checked values of an enum, never the client's text), so
    # that PostgreSQL and SQLite can see that ix_issues_geokey_open holds every row asked for.
    statuses: BindParameter[list[str]] = bindparam(
        "map_statuses", list(filters.statuses), expanding=True, literal_execute=True, unique=True
    )
    criteria: list[ColumnElement[bool]] = [Issue.status.in_(statuses)]
    if filters.category_ids is not None:
        criteria.append(Issue.category_id.in_(filters.category_ids))
    if filters.community_id is not None:
        criteria.append(Issue.community_id == filters.community_id)
    if filters.overdue is not None:
        criteria.append(overdue_at(now) if filters.overdue else ~overdue_at(now))
    return criteria


def key_ranges(ranges: list[tuple[int, int]], level: int) -> ColumnElement[bool]:
    """Issues whose geokey falls in level-``level`` cell ranges."""
    shift = 2 * (KEY_ZOOM - level)
    return or_(*(Issue.geokey.between(low << shift, ((high + 1) << shift) - 1) for low, high in ranges))


def in_box(bbox: BBox) -> ColumnElement[bool]:
    """The exact box test, applied on top of key ranges.

    Written as ``lat + 0`` so that no planner takes the lat/lon index for it
    (SQLite with statistics would, and read a whole 1 km band of the city).
    """
    min_lon, min_lat, max_lon, max_lat = bbox
    return and_((Issue.lat + 0).between(min_lat, max_lat), (Issue.lon + 0).between(min_lon, max_lon))


_COMMUNITY = aliased(OrgUnit, name="community")  # an alias: the scope's subquery on org_units must not correlate
SINGLE_COLUMNS = (
    Issue.id,
    Issue.public_id,
    Issue.lat,
    Issue.lon,
    Issue.status,
    Issue.deadline_at,
    Issue.location_text,
    Category.code.label("category_code"),
    Category.name_zh.label("category_name_zh"),
    Category.name_en.label("category_name_en"),
    _COMMUNITY.id.label("community_id"),
    _COMMUNITY.name.label("community_name"),
)


def in_viewport(query: Any, bbox: BBox, limit: int | None = None) -> Any:
    """``query`` restricted to the box: one range scan of ix_issues_geokey per key range.

    The box test and the filters are read from the index itself (index-only on
    PostgreSQL, which would otherwise combine the ranges in a bitmap and visit
    the table). SQLite runs the ranges as parts of a UNION ALL; PostgreSQL as a
    LATERAL join on the ranges, which it plans once instead of once per part
    (planning eight parts cost more than running them).
    """
    ranges = cover(bbox, KEY_ZOOM, SINGLE_RANGES)
    if db.session.get_bind().dialect.name == "postgresql":
        viewport = _lateral_ranges(query, bbox, ranges)
    else:
        viewport = union_all(*(query.where(Issue.geokey.between(low, high), in_box(bbox)) for low, high in ranges))
    return viewport.limit(limit) if limit is not None else viewport


def _lateral_ranges(query: Any, bbox: BBox, ranges: list[tuple[int, int]]) -> Any:
    keys = postgresql.ARRAY(BigInteger)
    lows = bindparam("range_lows", [low for low, _ in ranges], type_=keys)
    highs = bindparam("range_highs", [high for _, high in ranges], type_=keys)
    r = func.unnest(lows, highs).table_valued("lo", "hi").render_derived(name="r")
    part = query.where(Issue.geokey.between(r.c.lo, r.c.hi), in_box(bbox)).lateral("part")
    return select(*part.c).select_from(r).join(part, true())


def count_in_viewport(scope: Scope, filters: MapFilters, bbox: BBox, now: datetime, limit: int) -> int:
    """How many visible issues are inside the box, counting no further than ``limit`` (from the index alone)."""
    query = scope.issues().with_only_columns(Issue.id).where(*issue_criteria(filters, now)).order_by(None)
    return len(db.session.execute(in_viewport(query, bbox, limit)).all())


def single_issues(scope: Scope, filters: MapFilters, bbox: BBox, now: datetime, limit: int) -> list[Any]:
    """Up to ``limit`` visible issues inside the box, oldest first, as rows of SINGLE_COLUMNS.

    Sorted here, not in SQL: an ORDER BY id with a LIMIT tempts SQLite to walk
    the whole table in id order instead of seeking the key ranges.
    """
    query = (
        scope.issues()
        .with_only_columns(*SINGLE_COLUMNS)
        .join_from(Issue, Category, Category.id == Issue.category_id)
        .outerjoin_from(Issue, _COMMUNITY, _COMMUNITY.id == Issue.community_id)
        .where(*issue_criteria(filters, now))
        .order_by(None)
    )
    return sorted(db.session.execute(in_viewport(query, bbox, limit)).all(), key=lambda row: row.id)


def cells_by_group_by(
    scope: Scope, filters: MapFilters, bbox: BBox, level: int, now: datetime
) -> list[tuple[int, int, int, float, float, float, float]]:
    """(cell, count, overdue, sum_lat, sum_lon, overdue sum_lat, overdue sum_lon) per level-``level`` cell.

    The fallback where the counts cannot answer (fine zooms, closed or cancelled
    issues): its cost grows with the issues in the viewport's cells. One GROUP
    BY per key range, read from the index; a cell split over two ranges comes
    back in parts, which the grid adds.
    """
    cell = shifted(Issue.geokey, 2 * (KEY_ZOOM - level))
    overdue = overdue_at(now)
    shift = 2 * (KEY_ZOOM - level)
    query = (
        scope.issues()
        .with_only_columns(
            cell,
            func.count(),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(Issue.lat),
            func.sum(Issue.lon),
            func.sum(case((overdue, Issue.lat), else_=0.0)),
            func.sum(case((overdue, Issue.lon), else_=0.0)),
        )
        .where(*issue_criteria(filters, now))
    )
    parts = [
        query.where(Issue.geokey.between(low << shift, ((high + 1) << shift) - 1)).group_by(cell).order_by(None)
        for low, high in cover(bbox, level, CELL_RANGES)
    ]
    return [tuple(row) for row in db.session.execute(union_all(*parts)).all()]


def issue_points(query: Select[Any]) -> list[Any]:
    """geokey, lat, lon, status, deadline_at of the issues a query selects."""
    columns = (Issue.geokey, Issue.lat, Issue.lon, Issue.status, Issue.deadline_at)
    return list(db.session.execute(query.with_only_columns(*columns).order_by(None)).all())
