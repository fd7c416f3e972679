"""Clusters of a viewport from the maintained counts, without a GROUP BY over the issues.

For the grid level of the zoom, per cell the viewport touches:

- ``count`` and the centre of mass: the sums of ``map_cells`` rows of the
  cell's level (or a finer stored level, shifted) in the user's scope;
- ``overdue``: derived, as everywhere (assigned and the deadline passed), and
  right at any moment without a write: the ``map_dues`` rows of every hour
  before the current one (after compaction, one row per cell, community and
  category), plus the issues due earlier in the current hour, counted exactly from the
  issues through the (status, deadline_at) index;
- the user's issues the counts do not hold (``Scope.uncounted``), added one by one.

Which cases are fast: every zoom up to 15 (levels up to MAX_LEVEL), any mix of
open statuses, categories, a community and overdue, for every role. Closed or
cancelled issues, and zooms above 15 (where a viewport holds few issues), use
``queries.cells_by_group_by``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, func, literal_column, or_, select, union_all

from server.extensions import db
from server.issues.models import Issue
from server.issues.states import OPEN_STATUSES, Status
from server.map.counts import HOUR, MAX_LEVEL, MIN_LEVEL, due_hour
from server.map.geo import KEY_ZOOM, BBox, TileRect, cell_bounds, cover, shifted
from server.map.models import ALL_CATEGORIES, PAST_HOUR, MapCell, MapDue
from server.map.queries import CELL_RANGES, MapFilters, cells_by_group_by, issue_criteria, issue_points, key_ranges
from server.map.scope import Scope

_cells = MapCell.__table__.c
_dues = MapDue.__table__.c
# What a row of the one statement counts.
_TOTAL = 0
_OVERDUE = 1


@dataclass
class Cell:
    count: int = 0
    sum_lat: float = 0.0
    sum_lon: float = 0.0
    overdue: int = 0
    overdue_lat: float = 0.0
    overdue_lon: float = 0.0


@dataclass
class Cluster:
    level: int
    cell: int
    count: int
    overdue: int
    lat: float
    lon: float

    @property
    def bbox(self) -> BBox:
        return cell_bounds(self.cell, self.level)


@dataclass
class Grid:
    level: int
    rect: TileRect
    cells: dict[int, Cell] = field(default_factory=dict)

    def add(self, rows: Any, *, overdue_only: bool = False) -> None:
        cells = self.cells
        for cell, count, sum_lat, sum_lon in rows:
            into = cells.get(cell)
            if into is None:
                into = cells[cell] = Cell()
            if overdue_only:
                into.overdue += count
                into.overdue_lat += sum_lat
                into.overdue_lon += sum_lon
            else:
                into.count += count
                into.sum_lat += sum_lat
                into.sum_lon += sum_lon

    def add_totals(self, rows: Any) -> None:
        """Rows of (cell, count, overdue, sum_lat, sum_lon, overdue sum_lat, overdue sum_lon)."""
        for cell, count, overdue, sum_lat, sum_lon, overdue_lat, overdue_lon in rows:
            self.add([(cell, count, sum_lat, sum_lon)])
            self.add([(cell, overdue, overdue_lat, overdue_lon)], overdue_only=True)

    def add_issues(self, points: Any, now: datetime) -> None:
        shift = 2 * (KEY_ZOOM - self.level)
        for key, lat, lon, status, deadline_at in points:
            late = status == Status.ASSIGNED and deadline_at is not None and deadline_at < now
            self.add_totals([(key >> shift, 1, int(late), lat, lon, lat if late else 0.0, lon if late else 0.0)])

    def clusters(self, overdue: bool | None) -> list[Cluster]:
        """The cells inside the viewport with issues, as ``overdue`` filters them."""
        found = []
        for key, c in sorted(self.cells.items()):
            if overdue is True:
                count, late, lat, lon = c.overdue, c.overdue, c.overdue_lat, c.overdue_lon
            elif overdue is False:
                count, late, lat, lon = c.count - c.overdue, 0, c.sum_lat - c.overdue_lat, c.sum_lon - c.overdue_lon
            else:
                count, late, lat, lon = c.count, c.overdue, c.sum_lat, c.sum_lon
            if count > 0 and self.rect.holds(key):
                found.append(Cluster(self.level, key, count, late, lat / count, lon / count))
        return found


def counts_can_answer(filters: MapFilters, level: int) -> bool:
    return level <= MAX_LEVEL and all(s in OPEN_STATUSES for s in filters.statuses)


def grid_from_counts(scope: Scope, filters: MapFilters, bbox: BBox, level: int, now: datetime) -> Grid:
    read = max(level, MIN_LEVEL)  # below the coarsest stored level, sum its cells
    ranges = cover(bbox, read, CELL_RANGES)
    grid = Grid(level, TileRect.of(bbox, level))
    every = replace(filters, overdue=None)  # the grid applies the overdue filter itself
    parts = []  # one statement, one round trip: (kind, cell, count, sum_lat, sum_lon)
    if filters.overdue is not True:
        parts += _cell_counts(scope, filters, read, level, ranges)
    if Status.ASSIGNED in filters.statuses:  # only assigned issues can be overdue
        parts += _past_dues(scope, every, read, level, ranges, now)
        parts.append(_due_this_hour(scope, every, read, level, ranges, now))
    if parts:
        rows = db.session.execute(union_all(*parts)).all()
        grid.add([row[1:] for row in rows if row[0] == _TOTAL])
        grid.add([row[1:] for row in rows if row[0] == _OVERDUE], overdue_only=True)
    if (uncounted := scope.uncounted()) is not None:
        query = uncounted.where(key_ranges(ranges, read), *issue_criteria(every, now))
        grid.add_issues(issue_points(query), now)
    return grid


def grid_by_group_by(scope: Scope, filters: MapFilters, bbox: BBox, level: int, now: datetime) -> Grid:
    grid = Grid(level, TileRect.of(bbox, level))
    grid.add_totals(cells_by_group_by(scope, filters, bbox, level, now))
    return grid


# ------------------------------------------------------------------ the reads


def _common(table: Any, scope: Scope, filters: MapFilters) -> list[ColumnElement[bool]]:
    criteria = [scope.rows(table.community_id)]
    if filters.community_id is not None:
        criteria.append(table.community_id == filters.community_id)
    return criteria


def _category(table: Any, filters: MapFilters) -> ColumnElement[bool]:
    if filters.category_ids is None:
        return table.category_id == ALL_CATEGORIES
    return table.category_id.in_(filters.category_ids)


def _sums(table: Any, read: int, level: int) -> tuple[Any, ...]:
    """cell, count, sum_lat, sum_lon; the kind of row is put first by the callers."""
    cell = shifted(table.cell, 2 * (read - level))
    return cell, func.sum(table.count), func.sum(table.sum_lat), func.sum(table.sum_lon)


def _kind(kind: int) -> Any:
    return literal_column(str(kind), Integer).label("kind")


def _per_range(
    kind: int, table: Any, ranges: list[tuple[int, int]], read: int, level: int, criteria: list[ColumnElement[bool]]
) -> list[Any]:
    """One GROUP BY per key range, to UNION ALL: each is a seek and a walk in primary-key order.

    (One query with the ranges OR-ed together makes SQLite collect and sort the
    rows first, two to three times slower.) A cell split over two ranges comes
    back twice; the grid adds the parts.
    """
    columns = _sums(table, read, level)
    return [
        select(_kind(kind), *columns).where(table.cell.between(low, high), *criteria).group_by(columns[0])
        for low, high in ranges
    ]


def _cell_counts(scope: Scope, filters: MapFilters, read: int, level: int, ranges: list[tuple[int, int]]) -> list[Any]:
    statuses = [s for s in filters.statuses if s in OPEN_STATUSES]
    criteria = [_cells.level == read, _category(_cells, filters), _cells.status.in_(statuses)]
    return _per_range(_TOTAL, _cells, ranges, read, level, criteria + _common(_cells, scope, filters))


def _past_dues(
    scope: Scope, filters: MapFilters, read: int, level: int, ranges: list[tuple[int, int]], now: datetime
) -> list[Any]:
    """Assigned issues due in an hour before this one: overdue for certain."""
    common = [_dues.level == read, _category(_dues, filters), *_common(_dues, scope, filters)]
    folded = _per_range(_OVERDUE, _dues, ranges, read, level, [_dues.due_hour == PAST_HOUR, *common])
    # Hours not folded by a compaction yet: few rows if compaction runs hourly, right either way.
    in_view = or_(*(_dues.cell.between(low, high) for low, high in ranges))
    columns = _sums(_dues, read, level)
    recent = (
        select(_kind(_OVERDUE), *columns)
        .where(_dues.due_hour > PAST_HOUR, _dues.due_hour < due_hour(now), in_view, *common)
        .group_by(columns[0])
    )
    return [*folded, recent]


def _due_this_hour(
    scope: Scope, filters: MapFilters, read: int, level: int, ranges: list[tuple[int, int]], now: datetime
) -> Any:
    """Assigned issues whose deadline passed earlier in this hour, exactly, from the issues."""
    start = datetime.fromtimestamp(due_hour(now) * HOUR, UTC)
    cell = shifted(Issue.geokey, 2 * (KEY_ZOOM - level))
    return (
        scope.issues()
        .with_only_columns(_kind(_OVERDUE), cell, func.count(), func.sum(Issue.lat), func.sum(Issue.lon))
        .where(
            scope.counted(),
            Issue.status == Status.ASSIGNED,
            Issue.deadline_at >= start,
            Issue.deadline_at < now,
            key_ranges(ranges, read),
            *issue_criteria(filters, now),
        )
        .group_by(cell)
        .order_by(None)
    )
