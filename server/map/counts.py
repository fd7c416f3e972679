"""Keeping ``map_cells`` and ``map_dues`` equal to what the issues table says, in the same transaction.

The counts follow the database rows, not the operations: a session listener
reads the affected issues' rows before and after each flush that touches them
and applies the difference as upserts on the same connection. So every path
that writes an issue through the ORM (create, every workflow action, the demo
seed's ageing, an Open311 request) keeps the counts right, a rolled-back
savepoint or request takes its count changes with it, and several web
processes share one committed truth. Bulk SQL that bypasses the ORM (the
benchmark seed) calls ``rebuild`` afterwards.

Upserts of one flush go out sorted by key, so concurrent writers take the row
locks of shared coarse cells in the same order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Integer,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, UOWTransaction

from server.issues.models import Issue
from server.issues.states import OPEN_STATUSES, Status
from server.map.geo import KEY_ZOOM, geokey, shifted
from server.map.models import ALL_CATEGORIES, NO_COMMUNITY, PAST_HOUR, MapCell, MapDue

# Levels of the cluster grid kept as counts: Leaflet zooms 6 to 15 with 64 px cells.
MIN_LEVEL = 8
MAX_LEVEL = 17
LEVELS = range(MIN_LEVEL, MAX_LEVEL + 1)
HOUR = 3_600  # deadlines are counted per UTC hour

_COUNTED_COLUMNS = ("lat", "lon", "geokey", "status", "deadline_at", "community_id", "category_id")
_RELATIONSHIPS = ("community", "category")
_PENDING = "map_counts_pending"
issues: Table = Issue.metadata.tables["issues"]
cells_table: Table = MapCell.metadata.tables["map_cells"]
dues_table: Table = MapDue.metadata.tables["map_dues"]


def due_hour(deadline: datetime) -> int:
    """The UTC hour number (hours since 1970-01-01T00:00Z) of a deadline."""
    return math.floor(deadline.timestamp() / HOUR)


@dataclass(frozen=True)
class Counted:
    """What the counts know of one issue row."""

    geokey: int | None
    lat: float | None
    lon: float | None
    status: str
    deadline_at: datetime | None
    community_id: int | None
    category_id: int


_ROW = tuple(
    issues.c[name] for name in ("id", "geokey", "lat", "lon", "status", "deadline_at", "community_id", "category_id")
)


def _states(connection: Connection, ids: Iterable[int]) -> dict[int, Counted]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    rows = connection.execute(select(*_ROW).where(issues.c.id.in_(ids)))
    return {row[0]: Counted(*row[1:]) for row in rows}


# ----------------------------------------------------------------------- deltas


class Deltas:
    """Changes to the count rows, summed per key: (count, sum_lat, sum_lon)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, ...], list[float]] = {}
        self.dues: dict[tuple[Any, ...], list[float]] = {}

    def add(self, state: Counted | None, sign: int) -> None:
        if state is None or state.geokey is None or state.status not in OPEN_STATUSES:
            return
        community = state.community_id or NO_COMMUNITY
        hour = due_hour(state.deadline_at) if state.status == Status.ASSIGNED and state.deadline_at else None
        for level in LEVELS:
            cell = state.geokey >> (2 * (KEY_ZOOM - level))
            for category in (state.category_id, ALL_CATEGORIES):
                _bump(self.cells, (level, category, cell, community, state.status), sign, state)
                if hour is not None:
                    _bump(self.dues, (level, hour, category, cell, community), sign, state)

    def rows(self, table: str) -> list[dict[str, Any]]:
        source, names = (
            (self.cells, ("level", "category_id", "cell", "community_id", "status"))
            if table == "cells"
            else (self.dues, ("level", "due_hour", "category_id", "cell", "community_id"))
        )
        return [
            dict(zip(names, key, strict=True)) | {"count": int(v[0]), "sum_lat": v[1], "sum_lon": v[2]}
            for key, v in sorted(source.items())
            if any(v)
        ]


def _bump(target: dict[tuple[Any, ...], list[float]], key: tuple[Any, ...], sign: int, state: Counted) -> None:
    assert state.lat is not None
    assert state.lon is not None
    value = target.setdefault(key, [0, 0.0, 0.0])
    value[0] += sign
    value[1] += sign * state.lat
    value[2] += sign * state.lon


def apply_deltas(connection: Connection, deltas: Deltas) -> None:
    for table, rows in ((cells_table, deltas.rows("cells")), (dues_table, deltas.rows("dues"))):
        if rows:
            connection.execute(_upsert(connection, table), rows)


def _upsert(connection: Connection, table: Any, source: Any = None) -> Any:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    if source is not None:
        statement = statement.from_select([c.name for c in table.columns], source)
    return statement.on_conflict_do_update(
        index_elements=[c.name for c in table.primary_key.columns],
        set_={
            "count": table.c.count + statement.excluded.count,
            "sum_lat": table.c.sum_lat + statement.excluded.sum_lat,
            "sum_lon": table.c.sum_lon + statement.excluded.sum_lon,
        },
    )


# --------------------------------------------------------------- the listener


def track_issue_changes() -> None:
    """Keep the counts in step with every ORM flush that changes an issue (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)


def _touches_counts(issue: Issue) -> bool:
    attrs = inspect(issue).attrs
    return any(attrs[name].history.has_changes() for name in (*_COUNTED_COLUMNS, *_RELATIONSHIPS))


def _moved(issue: Issue) -> bool:
    attrs = inspect(issue).attrs
    return attrs.lat.history.has_changes() or attrs.lon.history.has_changes()


def _before_flush(session: Session, _context: UOWTransaction, _instances: Sequence[Any] | None) -> None:
    new = [obj for obj in session.new if isinstance(obj, Issue)]
    dirty = [obj for obj in session.dirty if isinstance(obj, Issue) and _touches_counts(obj)]
    deleted = [obj for obj in session.deleted if isinstance(obj, Issue)]
    for issue in (*new, *(i for i in dirty if _moved(i))):
        located = issue.lat is not None and issue.lon is not None
        issue.geokey = geokey(issue.lat, issue.lon) if located else None  # type: ignore[arg-type]
    if not (new or dirty or deleted):
        session.info.pop(_PENDING, None)
        return
    known = [obj.id for obj in (*dirty, *deleted) if obj.id is not None]
    before = _states(session.connection(), known)
    session.info[_PENDING] = (new, dirty, before)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    new, dirty, before = pending
    connection = session.connection()
    after = _states(connection, [obj.id for obj in (*new, *dirty)])
    deltas = Deltas()
    for state in before.values():
        deltas.add(state, -1)
    for state in after.values():
        deltas.add(state, +1)
    apply_deltas(connection, deltas)


# ------------------------------------------------------------ rebuild, compact


def fill_geokeys(connection: Connection, batch: int = 20_000) -> int:
    """Set the geokey of located issues that have none (rows written by bulk SQL)."""
    done = 0
    while True:
        rows = connection.execute(
            select(issues.c.id, issues.c.lat, issues.c.lon)
            .where(issues.c.geokey.is_(None), issues.c.lat.is_not(None), issues.c.lon.is_not(None))
            .limit(batch)
        ).all()
        if not rows:
            return done
        connection.execute(
            update(issues).where(issues.c.id == bindparam("b_id")).values(geokey=bindparam("b_key")),
            [{"b_id": row.id, "b_key": geokey(row.lat, row.lon)} for row in rows],
        )
        done += len(rows)


def _due_hour_sql(connection: Connection) -> Any:
    if connection.dialect.name == "postgresql":
        return cast(func.floor(func.extract("epoch", issues.c.deadline_at) / HOUR), Integer)
    return cast(func.strftime("%s", issues.c.deadline_at), Integer) // HOUR


def _finest(connection: Connection, this_hour: int) -> tuple[Any, Any]:
    """SELECTs of the finest level's rows per category, straight from the issues."""
    cell = shifted(issues.c.geokey, 2 * (KEY_ZOOM - MAX_LEVEL))
    community = func.coalesce(issues.c.community_id, literal_column(str(NO_COMMUNITY), Integer))
    sums = (func.count(), func.sum(issues.c.lat), func.sum(issues.c.lon))
    level = literal_column(str(MAX_LEVEL), Integer)
    located = and_(issues.c.geokey.is_not(None), issues.c.status.in_(OPEN_STATUSES))
    category = issues.c.category_id
    cells = (
        select(level, category, cell, community, issues.c.status, *sums)
        .where(located)
        .group_by(category, cell, community, issues.c.status)
    )
    hour = _due_hour_sql(connection)
    # Past hours come folded into one, as after compact().
    past = hour < literal_column(str(this_hour), Integer)
    due = case((past, literal_column(str(PAST_HOUR), Integer)), else_=hour)
    dues = (
        select(level, due, category, cell, community, *sums)
        .where(located, issues.c.status == Status.ASSIGNED, issues.c.deadline_at.is_not(None))
        .group_by(due, category, cell, community)
    )
    return cells, dues


def rebuild(connection: Connection, this_hour: int) -> tuple[int, int]:
    """Recompute both tables from the issues; returns their row counts."""
    _lock(connection)
    fill_geokeys(connection)
    connection.execute(delete(cells_table))
    connection.execute(delete(dues_table))
    cells, dues = _finest(connection, this_hour)
    connection.execute(insert(cells_table).from_select(_names(cells_table), cells))
    connection.execute(insert(dues_table).from_select(_names(dues_table), dues))
    for level in range(MAX_LEVEL - 1, MIN_LEVEL - 1, -1):
        _roll_up(connection, level)
    _all_categories(connection)
    return _row_count(connection, cells_table), _row_count(connection, dues_table)


def _names(table: Any) -> list[str]:
    return [c.name for c in table.columns]


def _sums(table: Any) -> tuple[Any, ...]:
    return func.sum(table.c.count), func.sum(table.c.sum_lat), func.sum(table.c.sum_lon)


def _roll_up(connection: Connection, level: int) -> None:
    """Level ``level`` from the level below it: each cell is the sum of its four children."""
    c, d = cells_table.c, dues_table.c
    parent = shifted(c.cell, 2)
    keys = (c.category_id, parent, c.community_id, c.status)
    source = select(literal_column(str(level), Integer), *keys, *_sums(cells_table)).where(c.level == level + 1)
    connection.execute(insert(cells_table).from_select(_names(cells_table), source.group_by(*keys)))
    parent = shifted(d.cell, 2)
    keys = (d.due_hour, d.category_id, parent, d.community_id)
    source = select(literal_column(str(level), Integer), *keys, *_sums(dues_table)).where(d.level == level + 1)
    connection.execute(insert(dues_table).from_select(_names(dues_table), source.group_by(*keys)))


def _all_categories(connection: Connection) -> None:
    """The ALL_CATEGORIES rows of every level, from the per-category rows."""
    every = literal_column(str(ALL_CATEGORIES), Integer)
    c, d = cells_table.c, dues_table.c
    keys = (c.level, c.cell, c.community_id, c.status)
    source = select(c.level, every, c.cell, c.community_id, c.status, *_sums(cells_table))
    source = source.where(c.category_id != ALL_CATEGORIES).group_by(*keys)
    connection.execute(insert(cells_table).from_select(_names(cells_table), source))
    keys = (d.level, d.due_hour, d.cell, d.community_id)
    source = select(d.level, d.due_hour, every, d.cell, d.community_id, *_sums(dues_table))
    source = source.where(d.category_id != ALL_CATEGORIES).group_by(*keys)
    connection.execute(insert(dues_table).from_select(_names(dues_table), source))


def compact(connection: Connection, this_hour: int) -> int:
    """Fold every past due hour into PAST_HOUR and drop empty rows; returns the rows folded.

    Needed for speed only: the overdue count reads the rows of every past hour,
    so each hour folded is rows fewer to read. Run it hourly (or from a
    scheduler's tick); the counts are right without it. Writers wait for the
    few milliseconds it takes: a change landing between the sum and the delete
    of a past hour would be lost.
    """
    past = and_(dues_table.c.due_hour > PAST_HOUR, dues_table.c.due_hour < this_hour)
    if not _row_count(connection, dues_table, past):
        return 0  # the common case of a minute's tick: no hour has ended since the last run
    _lock(connection, "map_dues")
    folded = _row_count(connection, dues_table, past)
    if folded:
        d = dues_table.c
        keys = (d.level, d.category_id, d.cell, d.community_id)
        source = select(d.level, literal_column(str(PAST_HOUR), Integer), *keys[1:], *_sums(dues_table))
        connection.execute(_upsert(connection, dues_table, source.where(past).group_by(*keys)))
        connection.execute(delete(dues_table).where(past))
    connection.execute(delete(dues_table).where(dues_table.c.count == 0))
    # Safe without the lock: PostgreSQL re-checks count = 0 on a row a writer changed meanwhile.
    connection.execute(delete(cells_table).where(cells_table.c.count == 0))
    return folded


def _lock(connection: Connection, tables: str = "map_cells, map_dues") -> None:
    """Writers of the count tables wait until this transaction ends (SQLite's writers already take turns)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")


def _row_count(connection: Connection, table: Any, where: Any = None) -> int:
    query = select(func.count()).select_from(table)
    if where is not None:
        query = query.where(where)
    return int(connection.scalar(query) or 0)
