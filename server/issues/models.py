"""An issue (问题) found on inspection, and its append-only event log (留痕)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Float, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.auth.models import User
from server.categories.models import Category
from server.db import UTCDateTime, one_of, utcnow
from server.extensions import BaseModel
from server.issues.states import OPEN_STATUSES, Action, Status
from server.orgs.models import OrgUnit

# Invariants tying columns to the status, enforced by the database itself.
_STATUS_INVARIANTS = {
    "closed_at_iff_closed": "(status = 'closed') = (closed_at IS NOT NULL)",
    "cancelled_at_iff_cancelled": "(status = 'cancelled') = (cancelled_at IS NOT NULL)",
    "rectified_at_iff_rectified": "(status = 'rectified') = (rectified_at IS NOT NULL)",
    "dispatched_has_deadline": (
        "status NOT IN ('assigned', 'rectified', 'closed') OR (deadline_at IS NOT NULL AND community_id IS NOT NULL)"
    ),
    "extension_only_when_assigned": "extension_requested_until IS NULL OR status = 'assigned'",
    "valid_latitude": "lat IS NULL OR (lat BETWEEN -90 AND 90)",
    "valid_longitude": "lon IS NULL OR (lon BETWEEN -180 AND 180)",
    "lat_lon_together": "(lat IS NULL) = (lon IS NULL)",
    "non_negative_rework": "rework_count >= 0",
}


_MAP_COLUMNS = ("geokey", "status", "category_id", "community_id", "deadline_at", "lat", "lon", "reporter_id", "id")
# Written as server/map/queries.py writes its statuses, so that both databases see the index applies.
_OPEN = text(f"status IN ({', '.join(repr(s.value) for s in OPEN_STATUSES)})")


class Issue(BaseModel):
    __tablename__ = "issues"
    __table_args__ = (
        CheckConstraint(one_of("status", Status), name="valid_status"),
        *(CheckConstraint(sql, name=name) for name, sql in _STATUS_INVARIANTS.items()),
        Index("ix_issues_status_deadline", "status", "deadline_at"),
        Index("ix_issues_lat_lon", "lat", "lon"),
        # The map's viewport index (server/map/): key ranges first, then what the map filters, sums
        # and selects on, so that a viewport is read from the index alone (index-only on PostgreSQL).
        Index("ix_issues_geokey", *_MAP_COLUMNS),
        # The same for the open issues only, which the map shows by default: half the entries to read.
        Index("ix_issues_geokey_open", *_MAP_COLUMNS, postgresql_where=_OPEN, sqlite_where=_OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    # The client's UUID: an idempotency key, so a retried submission is one issue.
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True)
    community_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    # The map's Z-order key of the point (server/map/geo.py), kept by server/map/counts.py on flush.
    geokey: Mapped[int | None] = mapped_column(BigInteger)
    location_text: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=Status.REPORTED)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rework_count: Mapped[int] = mapped_column(default=0)
    extension_requested_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rectified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Optimistic locking: SQLAlchemy adds "AND version = :old" to every UPDATE.
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[Category] = relationship(lazy="joined")
    community: Mapped[OrgUnit | None] = relationship(lazy="joined")
    reporter: Mapped[User] = relationship(lazy="joined")
    events: Mapped[list[IssueEvent]] = relationship(
        back_populates="issue", order_by="IssueEvent.id", lazy="raise_on_sql"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it once, at mapping)

    def is_overdue(self, now: datetime) -> bool:
        """Overdue is derived, never stored: still assigned after the deadline."""
        return self.status == Status.ASSIGNED and self.deadline_at is not None and self.deadline_at < now

    def __repr__(self) -> str:
        return f"<Issue {self.id} {self.status} {self.public_id}>"


class IssueEvent(BaseModel):
    """One transition or note on an issue. Rows are only ever inserted."""

    __tablename__ = "issue_events"
    __table_args__ = (CheckConstraint(one_of("action", Action), name="valid_action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # None: the system
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    # Facts of this transition: deadline before/after, requested date, reason code …
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    accuracy_m: Mapped[float | None] = mapped_column(Float)
    # When the person acted (an offline action is sent later than it happened).
    acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    issue: Mapped[Issue] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<IssueEvent {self.id} issue={self.issue_id} {self.action} {self.from_status}->{self.to_status}>"
