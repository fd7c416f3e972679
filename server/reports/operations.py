"""Producing the campaign's documents for a user: what goes in, read once, rendered by excel/pdf/bulletin.

Every document lists only issues in ``visible_issues(user)``: community staff get
their own community's, street staff their street's, city roles the city's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app

from server.auth.models import User
from server.errors import NotFound, ValidationFailed
from server.extensions import db
from server.issues.access import get_visible_issue, visible_issues
from server.issues.models import Issue
from server.photos.models import Photo, PhotoKind
from server.photos.operations import photos_for_issues
from server.photos.storage import get_storage
from server.reports import bulletin as bulletins
from server.reports.excel import SheetRow, build_workbook
from server.reports.fonts import cjk_font
from server.reports.listing import (
    filtered_issues,
    notice_number,
    progress_texts,
    responsible_units,
    split_statuses,
    status_text,
)
from server.reports.pdf import Notice, render_notices
from server.reports.periods import Period, local_today, to_local

MAX_THUMBNAIL_ROWS = 500
MAX_NOTICES = 200


@dataclass(frozen=True)
class Document:
    data: bytes
    filename: str
    mimetype: str


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def issuer() -> str:
    return str(current_app.config["XUNCHA_ISSUER"])


# ------------------------------------------------------------------ Excel


def export_issue_list(user: User, args: dict[str, Any], period: Period | None, now: datetime) -> Document:
    """《督查限时整改一览表》 of the filtered issues."""
    issues = filtered_issues(user, args, now, period)
    thumbnails = bool(args.get("thumbnails"))
    if thumbnails and len(issues) > MAX_THUMBNAIL_ROWS:
        raise ValidationFailed(
            f"带照片导出最多 {MAX_THUMBNAIL_ROWS} 条，请缩小筛选范围或不带照片导出",
            f"At most {MAX_THUMBNAIL_ROWS} rows with thumbnails",
            code="too_many_rows",
        )
    rows = _sheet_rows(issues, now, thumbnails=thumbnails)
    subtitle = period.label() if period else f"截至 {to_local(now):%Y-%m-%d %H:%M}"
    data = build_workbook(rows, subtitle, thumbnails=thumbnails)
    return Document(data, f"督查限时整改一览表_{local_today(now):%Y%m%d}.xlsx", XLSX)


def _sheet_rows(issues: list[Issue], now: datetime, *, thumbnails: bool) -> list[SheetRow]:
    ids = [i.id for i in issues]
    progress = progress_texts(ids)
    units = responsible_units(issues)
    photos = photos_for_issues(ids) if thumbnails else {}
    return [
        SheetRow(
            community=issue.community.name if issue.community else "（待派发）",
            location=issue.location_text,
            description=issue.description,
            category=issue.category.name_zh,
            found_at=issue.created_at,
            deadline_at=issue.deadline_at,
            responsible=units.get(issue.community_id or 0, ""),
            status=status_text(issue, now),
            progress=progress[issue.id],
            is_overdue=issue.is_overdue(now),
            thumbnail=_first_image(photos.get(issue.id, []), thumb=True) if thumbnails else None,
        )
        for issue in issues
    ]


def _first_image(photos: list[Photo], *, thumb: bool) -> bytes | None:
    images = _images([p for p in photos if p.kind == PhotoKind.BEFORE] or photos, thumb=thumb, limit=1)
    return images[0] if images else None


def _images(photos: list[Photo], *, thumb: bool, limit: int) -> list[bytes]:
    """The stored JPEGs of the first ``limit`` photos; a missing object is skipped, not fatal."""
    storage = get_storage()
    found = []
    for photo in photos[:limit]:
        try:
            found.append(storage.get(photo.thumb_key if thumb else photo.display_key))
        except KeyError:
            current_app.logger.warning("photo object missing: %s", photo.public_id)
    return found


# ------------------------------------------------------------------ PDF notices


def notice_for_issue(user: User, public_id: str, now: datetime) -> Document:
    issue = get_visible_issue(user, public_id)
    return Document(_render([issue], now), f"整改通知单_{notice_number(issue)}.pdf", "application/pdf")


def notices_for_community(user: User, community_id: int, status: str, now: datetime) -> Document:
    """One notice per issue of a community in the given statuses (default: assigned)."""
    query = visible_issues(user).where(Issue.community_id == community_id)
    if statuses := split_statuses(status):
        query = query.where(Issue.status.in_(statuses))
    issues = list(db.session.scalars(query.order_by(Issue.deadline_at, Issue.id).limit(MAX_NOTICES + 1)))
    if not issues:
        raise NotFound("没有符合条件的问题，或您无权查看", "No matching issues", code="no_issues")
    if len(issues) > MAX_NOTICES:
        raise ValidationFailed(f"一次最多生成 {MAX_NOTICES} 份通知单，请缩小范围", code="too_many_rows")
    name = issues[0].community.name if issues[0].community else "社区"
    return Document(_render(issues, now), f"整改通知单_{name}_{local_today(now):%Y%m%d}.pdf", "application/pdf")


def _render(issues: list[Issue], now: datetime) -> bytes:
    font = cjk_font()  # before any work: a missing font is a 503 with a clear message
    units = responsible_units(issues)
    photos = photos_for_issues([i.id for i in issues])
    notices = [
        Notice(
            number=notice_number(issue),
            addressee=units.get(issue.community_id or 0, ""),
            category=issue.category.name_zh,
            location=issue.location_text,
            description=issue.description,
            found_at=issue.created_at,
            deadline_at=issue.deadline_at,
            status=status_text(issue, now),
            photos=_images([p for p in photos[issue.id] if p.kind == PhotoKind.BEFORE], thumb=False, limit=2),
        )
        for issue in issues
    ]
    return render_notices(notices, font=font, issuer=issuer(), issued_on=local_today(now))


# ------------------------------------------------------------------ 督查通报


def bulletin_document(user: User, period: Period, now: datetime, fmt: str, community_id: int | None) -> Document:
    bulletin = bulletins.build_bulletin(user, period, now, issuer=issuer(), community_id=community_id)
    name = f"督查通报_{period.first:%Y%m%d}-{period.last:%Y%m%d}"
    if fmt == "md":
        return Document(bulletins.render_markdown(bulletin).encode(), f"{name}.md", "text/markdown")
    if fmt == "docx":
        return Document(bulletins.render_docx(bulletin), f"{name}.docx", DOCX)
    return Document(bulletins.render_text(bulletin).encode(), f"{name}.txt", "text/plain")
