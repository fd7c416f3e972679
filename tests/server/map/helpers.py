"""The maintained counts, read back and compared with a rebuild from the issues."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.db import utcnow
from server.extensions import db
from server.map import counts
from server.map.models import PAST_HOUR, MapCell, MapDue


def stored_counts() -> dict[str, dict[tuple[Any, ...], tuple[int, float, float]]]:
    """Every non-empty count row, past due hours folded together as a compaction would."""
    this_hour = counts.due_hour(utcnow())
    cells: dict[tuple[Any, ...], list[float]] = {}
    for row in db.session.execute(select(MapCell.__table__)):
        _fold(cells, (row.level, row.category_id, row.cell, row.community_id, row.status), row)
    dues: dict[tuple[Any, ...], list[float]] = {}
    for row in db.session.execute(select(MapDue.__table__)):
        hour = PAST_HOUR if row.due_hour < this_hour else row.due_hour
        _fold(dues, (row.level, hour, row.category_id, row.cell, row.community_id), row)
    return {"cells": _rounded(cells), "dues": _rounded(dues)}


def _fold(target: dict[tuple[Any, ...], list[float]], key: tuple[Any, ...], row: Any) -> None:
    value = target.setdefault(key, [0, 0.0, 0.0])
    value[0] += row.count
    value[1] += row.sum_lat
    value[2] += row.sum_lon


def _rounded(rows: dict[tuple[Any, ...], list[float]]) -> dict[tuple[Any, ...], tuple[int, float, float]]:
    return {k: (int(v[0]), round(v[1], 6), round(v[2], 6)) for k, v in rows.items() if v[0]}


def assert_counts_match_issues() -> dict[str, Any]:
    """The counts kept up to date so far equal a rebuild from the issues table."""
    kept = stored_counts()
    counts.rebuild(db.session.connection(), counts.due_hour(utcnow()))
    rebuilt = stored_counts()
    for table in ("cells", "dues"):
        missing = {k: v for k, v in rebuilt[table].items() if kept[table].get(k) != v}
        extra = {k: v for k, v in kept[table].items() if rebuilt[table].get(k) != v}
        assert extra == missing, f"{table}: kept {extra} but a rebuild gives {missing}"
    return rebuilt
