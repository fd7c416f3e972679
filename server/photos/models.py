"""Photos: the evidence of a problem and of its fix."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.db import UTCDateTime, one_of, utcnow
from server.extensions import BaseModel


class PhotoKind(StrEnum):
    BEFORE = "before"  # the problem, as found
    AFTER = "after"  # the fix, as shown by the community


class Photo(BaseModel):
    __tablename__ = "photos"
    __table_args__ = (
        CheckConstraint(one_of("kind", PhotoKind), name="valid_kind"),
        CheckConstraint("event_id IS NULL OR issue_id IS NOT NULL", name="event_implies_issue"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(36), unique=True)
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Set when the photo is attached to an issue by the event that used it.
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("issues.id"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("issue_events.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    content_type: Mapped[str] = mapped_column(String(64))
    original_key: Mapped[str] = mapped_column(String(255))
    display_key: Mapped[str] = mapped_column(String(255))
    thumb_key: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    # 64-bit perceptual hash (imagehash.phash of the upright thumbnail) as 16 hex digits:
    # re-encoding or resizing barely changes it, so a "before" photo sent again is recognised.
    phash: Mapped[str | None] = mapped_column(String(16))
    size_bytes: Mapped[int]
    width: Mapped[int]  # upright, as displayed
    height: Mapped[int]
    taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # EXIF DateTimeOriginal
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    # The phone's own GPS fix at capture time (phones often strip EXIF GPS).
    device_lat: Mapped[float | None] = mapped_column(Float)
    device_lon: Mapped[float | None] = mapped_column(Float)
    device_accuracy_m: Mapped[float | None] = mapped_column(Float)
    device_fix_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # server receive time
    # What the evidence checks found when an "after" photo was attached: [{"code", "details"}];
    # None: never checked (before photos). Texts are rendered when shown, in the reader's language.
    evidence_warnings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<Photo {self.id} {self.kind} {self.public_id}>"
