"""Problem categories and their deadline rules (data a supervisor edits, never code)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import one_of
from server.deadlines.units import DeadlineUnit
from server.extensions import BaseModel


class CategoryKind(StrEnum):
    SITE = "site"  # a place: needs a location
    DOCUMENT = "document"  # 软件资料: belongs to a community, no location


class Category(BaseModel):
    __tablename__ = "categories"
    __table_args__ = (
        CheckConstraint(one_of("kind", CategoryKind), name="valid_kind"),
        CheckConstraint(one_of("deadline_unit", DeadlineUnit), name="valid_deadline_unit"),
        CheckConstraint("deadline_amount > 0", name="positive_deadline_amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    group_code: Mapped[str] = mapped_column(String(64))
    group_zh: Mapped[str] = mapped_column(String(64))
    group_en: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16), default=CategoryKind.SITE)
    deadline_unit: Mapped[str] = mapped_column(String(16))
    deadline_amount: Mapped[int]
    sort_order: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Category {self.code} {self.deadline_amount} {self.deadline_unit}>"
