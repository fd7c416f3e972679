"""Synthetic issues in bulk, for benchmarks: ``flask seed-bench --issues N``.

Points fall in a 30 x 30 km box around the demo city (26.9N 112.6E), most of
them around a few dozen hot spots, the rest anywhere. The box is divided into a
grid of benchmark communities (under a district of their own); points inside a
demo community's boundary belong to it. Statuses follow a mix with many
issues still open and a share of them overdue, with timestamps that satisfy
every CHECK of the issues table. Rows go in with the database's bulk path
(COPY on PostgreSQL, executemany on SQLite), not the ORM one by one; the map
counts are rebuilt at the end. No events or photos are written.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import Connection, select

from server.auth.models import User
from server.categories.models import Category, CategoryKind
from server.db import utcnow
from server.extensions import db
from server.issues.states import Status
from server.map.counts import due_hour, rebuild
from server.map.geo import geokey
from server.orgs.models import OrgKind, OrgUnit
from server.orgs.operations import create_org_unit

CENTRE = (26.9, 112.6)  # lat, lon
HALF_SIDE_M = 15_000
_M_PER_DEG_LAT = 111_320.0
# Share of each status; within assigned, the share already overdue.
STATUS_MIX = {
    Status.CLOSED: 0.50,
    Status.CANCELLED: 0.05,
    Status.REPORTED: 0.05,
    Status.ASSIGNED: 0.25,
    Status.RECTIFIED: 0.15,
}
OVERDUE_SHARE = 0.3
GRID = 10  # benchmark communities per side
BATCH = 50_000
COLUMNS = (
    "public_id",
    "client_id",
    "category_id",
    "community_id",
    "reporter_id",
    "lat",
    "lon",
    "accuracy_m",
    "geokey",
    "location_text",
    "description",
    "status",
    "deadline_at",
    "rework_count",
    "extension_requested_until",
    "created_at",
    "updated_at",
    "dispatched_at",
    "rectified_at",
    "closed_at",
    "cancelled_at",
    "version",
)


def box() -> tuple[float, float, float, float]:
    """min_lon, min_lat, max_lon, max_lat of the benchmark city."""
    lat, lon = CENTRE
    dlat = HALF_SIDE_M / _M_PER_DEG_LAT
    dlon = HALF_SIDE_M / (_M_PER_DEG_LAT * np.cos(np.radians(lat)))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


@dataclass
class _World:
    categories: list[int]
    reporters: list[int]
    grid: list[int]  # benchmark community ids, row-major from the south-west
    demo: list[tuple[int, Any]]  # (community id, shapely polygon)


def seed_bench(count: int, seed: int = 6) -> dict[str, float]:
    """Insert ``count`` synthetic issues and rebuild the map counts; returns timings in seconds."""
    world = _world()
    connection = db.session.connection()
    rnd = np.random.default_rng(seed)
    now = utcnow()
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        _insert(connection, list(_rows(world, rnd, min(BATCH, count - start), now, start)))
    inserted = time.perf_counter()
    cells, dues = rebuild(connection, due_hour(now))
    rebuilt = time.perf_counter()
    connection.exec_driver_sql("ANALYZE")
    return {
        "insert_s": inserted - started,
        "rebuild_s": rebuilt - inserted,
        "analyze_s": time.perf_counter() - rebuilt,
        "cells": cells,
        "dues": dues,
    }


def _world() -> _World:
    city = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.CITY).order_by(OrgUnit.id)).first()
    if city is None:
        raise LookupError("no city in the database: run `flask seed-demo` (or seed the reference data) first")
    categories = list(
        db.session.scalars(select(Category.id).where(Category.kind == CategoryKind.SITE).order_by(Category.id))
    )
    reporters = list(db.session.scalars(select(User.id).where(User.role.in_(["inspector", "supervisor"]))))
    if not categories or not reporters:
        raise LookupError("categories and an inspector are needed: seed the reference data first")
    demo = [
        (unit.id, shape(unit.boundary))
        for unit in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNITY))
        if unit.boundary and not unit.code.startswith("bench_")
    ]
    return _World(categories, reporters, _bench_communities(city), demo)


def _bench_communities(city: OrgUnit) -> list[int]:
    """A GRID x GRID set of square communities over the box (made once, reused)."""
    existing = {u.code: u.id for u in db.session.scalars(select(OrgUnit).where(OrgUnit.code.startswith("bench_")))}
    if "bench_district" not in existing:
        district = create_org_unit(code="bench_district", name="基准测试区", kind=OrgKind.DISTRICT, parent=city)
        street = create_org_unit(code="bench_street", name="基准测试街道", kind=OrgKind.STREET, parent=district)
        min_lon, min_lat, max_lon, max_lat = box()
        step_lon, step_lat = (max_lon - min_lon) / GRID, (max_lat - min_lat) / GRID
        for row in range(GRID):
            for col in range(GRID):
                x0, y0 = min_lon + col * step_lon, min_lat + row * step_lat
                ring = [[x0, y0], [x0 + step_lon, y0], [x0 + step_lon, y0 + step_lat], [x0, y0 + step_lat], [x0, y0]]
                unit = create_org_unit(
                    code=f"bench_{row}_{col}",
                    name=f"基准社区{row * GRID + col + 1:03d}",
                    kind=OrgKind.COMMUNITY,
                    parent=street,
                    boundary={"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]},
                )
                existing[unit.code] = unit.id
        db.session.flush()
    return [existing[f"bench_{row}_{col}"] for row in range(GRID) for col in range(GRID)]


def _points(rnd: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """70% around 40 hot spots (0.3-2 km spread), 30% anywhere in the box."""
    min_lon, min_lat, max_lon, max_lat = box()
    spots = np.random.default_rng(2026)  # the same hot spots in every batch
    centres_lon = spots.uniform(min_lon, max_lon, 40)
    centres_lat = spots.uniform(min_lat, max_lat, 40)
    spread = spots.uniform(300, 2000, 40) / _M_PER_DEG_LAT
    pick = rnd.integers(0, 40, n)
    lat = centres_lat[pick] + rnd.normal(0, 1, n) * spread[pick]
    lon = centres_lon[pick] + rnd.normal(0, 1, n) * spread[pick] / np.cos(np.radians(CENTRE[0]))
    anywhere = rnd.random(n) < 0.3
    lat = np.where(anywhere, rnd.uniform(min_lat, max_lat, n), lat).round(6).clip(min_lat, max_lat)
    lon = np.where(anywhere, rnd.uniform(min_lon, max_lon, n), lon).round(6).clip(min_lon, max_lon)
    return lat, lon


def _communities(world: _World, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    min_lon, min_lat, max_lon, max_lat = box()
    col = ((lon - min_lon) / (max_lon - min_lon) * GRID).astype(int).clip(0, GRID - 1)
    row = ((lat - min_lat) / (max_lat - min_lat) * GRID).astype(int).clip(0, GRID - 1)
    result = np.array(world.grid)[row * GRID + col]
    for community_id, polygon in world.demo:
        inside = shapely.contains_xy(polygon, lon, lat)
        result = np.where(inside, community_id, result)
    return result


def _rows(world: _World, rnd: np.random.Generator, n: int, now: datetime, offset: int) -> Iterator[tuple[Any, ...]]:
    lat, lon = _points(rnd, n)
    communities = _communities(world, lat, lon)
    statuses = rnd.choice(list(STATUS_MIX), n, p=list(STATUS_MIX.values()))
    categories = rnd.choice(world.categories, n)
    reporters = rnd.choice(world.reporters, n)
    late = rnd.random(n) < OVERDUE_SHARE
    ages = rnd.uniform(0, 1, (n, 3)).tolist()
    ids = random.Random(int(rnd.integers(1 << 62)))
    for i in range(n):
        times = _times(str(statuses[i]), bool(late[i]), ages[i], now)
        routed = times["deadline_at"] is not None or (statuses[i] == Status.CANCELLED and ages[i][2] < 0.5)
        yield (
            str(uuid.UUID(int=ids.getrandbits(128), version=4)),
            str(uuid.UUID(int=ids.getrandbits(128), version=4)),
            int(categories[i]),
            int(communities[i]) if routed else None,
            int(reporters[i]),
            float(lat[i]),
            float(lon[i]),
            round(5 + 20 * ages[i][2], 1),
            geokey(float(lat[i]), float(lon[i])),
            f"基准点{offset + i + 1}",
            "",
            str(statuses[i]),
            times["deadline_at"],
            1 if statuses[i] == Status.CLOSED and ages[i][2] < 0.1 else 0,
            None,
            times["created_at"],
            times["updated_at"],
            times["dispatched_at"],
            times["rectified_at"],
            times["closed_at"],
            times["cancelled_at"],
            1,
        )


def _times(status: str, late: bool, age: list[float], now: datetime) -> dict[str, datetime | None]:
    """Timestamps that fit the status: open issues are recent, finished ones up to a year old."""
    day = timedelta(days=1)
    t: dict[str, datetime | None] = dict.fromkeys(
        ("deadline_at", "dispatched_at", "rectified_at", "closed_at", "cancelled_at")
    )
    if status == Status.REPORTED:
        created = now - age[0] * 3 * day
    elif status == Status.ASSIGNED:
        if late:  # overdue by an hour to 60 days
            deadline = now - timedelta(hours=1) - age[1] * 60 * day
        else:  # due within the next 30 days
            deadline = now + timedelta(hours=1) + age[1] * 30 * day
        created = min(deadline, now) - (1 + age[0] * 14) * day
        t["deadline_at"], t["dispatched_at"] = deadline, created
    else:
        created = now - (1 + age[0] * 365) * day
        t["dispatched_at"] = created
        t["deadline_at"] = created + (1 + age[1] * 14) * day
        done = created + age[1] * (now - created)
        key = {Status.RECTIFIED: "rectified_at", Status.CLOSED: "closed_at", Status.CANCELLED: "cancelled_at"}[
            Status(status)
        ]
        t[key] = done
        if status == Status.CANCELLED:
            t["deadline_at"] = t["dispatched_at"] = None
    t["created_at"] = created
    t["updated_at"] = max(v for v in t.values() if v is not None)
    return t


def _insert(connection: Connection, rows: list[tuple[Any, ...]]) -> None:
    raw: Any = connection.connection.dbapi_connection
    columns = ", ".join(COLUMNS)
    if connection.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY issues ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    # SQLite keeps UTC datetimes as naive text, the way SQLAlchemy writes them.
    text_rows = [tuple(_sqlite_value(v) for v in row) for row in rows]
    cursor = raw.cursor()
    cursor.executemany(f"INSERT INTO issues ({columns}) VALUES ({', '.join('?' * len(COLUMNS))})", text_rows)
    cursor.close()


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value
