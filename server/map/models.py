"""Maintained per-cell counts of open issues, for clustering a whole city without a GROUP BY.

Every open issue (reported, assigned, rectified) with a location is counted at
each level of the cluster grid, in the row of its cell, community, category and
status, and again in the row of ``ALL_CATEGORIES``; assigned issues are counted
the same way in ``map_dues`` by the UTC hour of their deadline. The rows change
in the same transaction as the issue (``counts.py``), so every web process reads
the same, committed truth; ``flask map rebuild`` recomputes them from the issues.

``community_id`` 0 stands for "not routed to any community" (a primary key
column cannot be NULL); neither table holds foreign keys, as both are derived.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import BaseModel

NO_COMMUNITY = 0
# Every issue is counted twice per level: under its category, and under this one,
# the sum over all categories, which the unfiltered map reads (16 times fewer rows).
ALL_CATEGORIES = 0
# Deadlines in an hour before the last compaction share this hour (see counts.compact).
PAST_HOUR = 0


class MapCell(BaseModel):
    """How many open issues of one community, category and status lie in one grid cell.

    The key reads level, category, cell: a viewport is one seek per key range
    within the category asked for (or ALL_CATEGORIES).
    """

    __tablename__ = "map_cells"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (the rows live in primary-key order)

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)  # the tile zoom of the cell
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # or ALL_CATEGORIES
    cell: Mapped[int] = mapped_column(BigInteger, primary_key=True)  # geokey >> 2 * (KEY_ZOOM - level)
    community_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    sum_lat: Mapped[float] = mapped_column(Float)  # centre of mass = sum / count
    sum_lon: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        return f"<MapCell {self.level}/{self.cell} k{self.category_id} c{self.community_id} {self.status}={self.count}>"


class MapDue(BaseModel):
    """How many assigned issues of one community and category in one cell fall due in one UTC hour.

    The hour comes before the cell in the key: the overdue count reads only the
    past hours (after compaction, one) and never a future deadline.
    """

    __tablename__ = "map_dues"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012  (the rows live in primary-key order)

    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    due_hour: Mapped[int] = mapped_column(Integer, primary_key=True)  # hours since 1970-01-01T00:00Z, or PAST_HOUR
    category_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # or ALL_CATEGORIES
    cell: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    community_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    sum_lat: Mapped[float] = mapped_column(Float)
    sum_lon: Mapped[float] = mapped_column(Float)

    def __repr__(self) -> str:
        where = f"{self.level}/{self.cell} hour {self.due_hour}"
        return f"<MapDue {where} k{self.category_id} c{self.community_id}={self.count}>"
