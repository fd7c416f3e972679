"""Admin-entered calendar days, for years the chinese-calendar package does not know yet."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import UTCDateTime, utcnow
from server.extensions import BaseModel


class CalendarOverride(BaseModel):
    """One day whose working status differs from the package (or from Mon–Fri).

    ``is_workday`` False marks a public holiday; True marks a 调休 make-up day
    on a weekend.
    """

    __tablename__ = "calendar_overrides"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    is_workday: Mapped[bool]
    note: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarOverride {self.day} {'workday' if self.is_workday else 'holiday'}>"
