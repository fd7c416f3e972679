"""The org tree: 市 → 区 → 街道 → 社区 → 网格."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import UTCDateTime, one_of, utcnow
from server.extensions import BaseModel


class OrgKind(StrEnum):
    CITY = "city"
    DISTRICT = "district"
    STREET = "street"
    COMMUNITY = "community"
    GRID = "grid"


class OrgUnit(BaseModel):
    __tablename__ = "org_units"
    __table_args__ = (CheckConstraint(one_of("kind", OrgKind), name="valid_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(100))
    # Materialised path of ids ("/1/4/9/"): a subtree is one indexed LIKE query.
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON geometry, WGS-84
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    def __repr__(self) -> str:
        return f"<OrgUnit {self.id} {self.kind} {self.code}>"
