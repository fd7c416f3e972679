"""People who log in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db import UTCDateTime, one_of, utcnow
from server.extensions import BaseModel
from server.orgs.models import OrgUnit


class Role(StrEnum):
    INSPECTOR = "inspector"  # 巡查员
    COMMUNITY_STAFF = "community_staff"  # 社区工作人员
    STREET_STAFF = "street_staff"  # 街道工作人员
    SUPERVISOR = "supervisor"  # 督查组长 / 创建办
    ADMIN = "admin"


class User(BaseModel):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(one_of("role", Role), name="valid_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org_unit: Mapped[OrgUnit] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username} {self.role}>"
