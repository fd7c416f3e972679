"""map: issue geokeys and maintained per-cell counts of open issues

The supervisor's map (issue #6) clusters a whole city without a GROUP BY over
the issues:

- issues.geokey: the Z-order (Morton) key of the point's Web-Mercator tile at
  zoom 26; a viewport is a few key ranges, and the cell of any coarser zoom is
  ``geokey >> 2 * (26 - zoom)``. Its index also holds the columns the map
  filters and sums on, so a viewport is read from the index alone.
- map_cells: per grid level (tile zooms 8-17), category (and 0 = all of them),
  cell, community (0 = none) and open status: the count of open issues and the
  sums of their coordinates (centre of mass).
- map_dues: the same for assigned issues per UTC hour of their deadline (0 = any
  hour before the last compaction), so the overdue count per cell needs no
  write when time passes.

Existing issues get their geokeys and counts here. The geokey arithmetic is
repeated below on purpose: a migration must not import application code.

Revision ID: 0b1f79fa917b
Revises: 110d59521855
Create Date: 2026-11-22 22:26:15.000000+00:00

"""
import math
from datetime import UTC

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0b1f79fa917b'
down_revision = '110d59521855'
branch_labels = None
depends_on = None

KEY_ZOOM = 26
LEVELS = range(8, 18)
OPEN = ("reported", "assigned", "rectified")
MAP_COLUMNS = ["geokey", "status", "category_id", "community_id", "deadline_at", "lat", "lon", "reporter_id", "id"]
OPEN_ONLY = sa.text("status IN ('reported', 'assigned', 'rectified')")  # the partial index's rows


def upgrade():
    with op.batch_alter_table("issues") as batch_op:
        batch_op.add_column(sa.Column("geokey", sa.BigInteger(), nullable=True))
        batch_op.create_index(batch_op.f("ix_issues_geokey"), MAP_COLUMNS, unique=False)
        batch_op.create_index(
            batch_op.f("ix_issues_geokey_open"), MAP_COLUMNS, unique=False, postgresql_where=OPEN_ONLY, sqlite_where=OPEN_ONLY
        )
    op.create_table(
        "map_cells",
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("cell", sa.BigInteger(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sum_lat", sa.Float(), nullable=False),
        sa.Column("sum_lon", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("level", "category_id", "cell", "community_id", "status", name=op.f("pk_map_cells")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "map_dues",
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("due_hour", sa.Integer(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("cell", sa.BigInteger(), nullable=False),
        sa.Column("community_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("sum_lat", sa.Float(), nullable=False),
        sa.Column("sum_lon", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint(
            "level", "due_hour", "category_id", "cell", "community_id", name=op.f("pk_map_dues")
        ),
        sqlite_with_rowid=False,
    )
    _backfill(op.get_bind())


def downgrade():
    op.drop_table("map_dues")
    op.drop_table("map_cells")
    with op.batch_alter_table("issues") as batch_op:
        batch_op.drop_index(batch_op.f("ix_issues_geokey_open"))
        batch_op.drop_index(batch_op.f("ix_issues_geokey"))
        batch_op.drop_column("geokey")


# ------------------------------------------------------------------ backfill


def _geokey(lat, lon):
    n = 1 << KEY_ZOOM
    lat = min(max(lat, -85.05112878), 85.05112878)
    s = math.sin(math.radians(lat))
    x = min(max(int((lon + 180.0) / 360.0 * n), 0), n - 1)
    y = min(max(int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n), 0), n - 1)
    key = 0
    for bit in range(KEY_ZOOM):
        key |= ((x >> bit) & 1) << (2 * bit) | ((y >> bit) & 1) << (2 * bit + 1)
    return key


def _backfill(bind):
    issues = sa.table(
        "issues",
        sa.column("id", sa.Integer),
        sa.column("lat", sa.Float),
        sa.column("lon", sa.Float),
        sa.column("geokey", sa.BigInteger),
        sa.column("status", sa.String),
        sa.column("deadline_at", sa.DateTime(timezone=True)),
        sa.column("community_id", sa.Integer),
        sa.column("category_id", sa.Integer),
    )
    located = bind.execute(
        sa.select(issues.c.id, issues.c.lat, issues.c.lon).where(issues.c.lat.is_not(None), issues.c.lon.is_not(None))
    ).all()
    if not located:
        return
    keys = {row.id: _geokey(row.lat, row.lon) for row in located}
    bind.execute(
        issues.update().where(issues.c.id == sa.bindparam("b_id")).values(geokey=sa.bindparam("b_key")),
        [{"b_id": i, "b_key": k} for i, k in keys.items()],
    )
    cells, dues = {}, {}
    rows = bind.execute(
        sa.select(issues).where(issues.c.status.in_(OPEN), issues.c.lat.is_not(None), issues.c.lon.is_not(None))
    )
    for row in rows:
        key, community = keys[row.id], row.community_id or 0
        hour = None
        if row.status == "assigned" and row.deadline_at is not None:
            deadline = row.deadline_at if row.deadline_at.tzinfo else row.deadline_at.replace(tzinfo=UTC)
            hour = math.floor(deadline.timestamp() / 3600)
        for level in LEVELS:
            cell = key >> (2 * (KEY_ZOOM - level))
            for category in (row.category_id, 0):  # its own, and all categories (0)
                _add(cells, (level, category, cell, community, row.status), row)
                if hour is not None:
                    _add(dues, (level, hour, category, cell, community), row)
    names = {
        "map_cells": ("level", "category_id", "cell", "community_id", "status"),
        "map_dues": ("level", "due_hour", "category_id", "cell", "community_id"),
    }
    for table, source in (("map_cells", cells), ("map_dues", dues)):
        if source:
            columns = [sa.column(n) for n in (*names[table], "count", "sum_lat", "sum_lon")]
            rows = [dict(zip(names[table], k)) | {"count": v[0], "sum_lat": v[1], "sum_lon": v[2]} for k, v in source.items()]
            bind.execute(sa.table(table, *columns).insert(), rows)


def _add(target, key, row):
    value = target.setdefault(key, [0, 0.0, 0.0])
    value[0] += 1
    value[1] += row.lat
    value[2] += row.lon
