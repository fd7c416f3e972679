"""The display copy's life: a preview at upload, watermarked (水印) when attached to an issue.

The display copy is made at upload, before the issue exists; the watermark needs
the issue (category, place) and so is drawn when the photo is attached, from the
stored preview into a new ``display.jpg``, in the attaching request. The preview
then goes after the commit. Nothing is ever overwritten, so a failed request
leaves the row pointing at an untouched preview, and a retry draws the watermark
once, from it again. The original is never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from sqlalchemy import event

from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.photos.models import Photo, PhotoKind
from server.photos.storage import get_storage
from server.photos.watermark import draw_watermark
from server.transaction import after_commit, on_rollback

# The display copy as made at upload, while a watermarked one is still to come.
PREVIEW_NAME = "preview.jpg"
DISPLAY_NAME = "display.jpg"


def watermark_display(photo: Photo, issue: Issue) -> None:
    """Draw the watermark from the upload's preview into a new display object.

    A new key, never an overwrite: if the request fails, the row still points at the
    untouched preview and a retry starts from it again (no watermark drawn twice);
    once committed, the preview is deleted (or swept, if that delete fails).
    """
    preview_key = photo.display_key
    if not preview_key.endswith("/" + PREVIEW_NAME):
        return  # uploaded while the watermark was off: its display copy stays as it is
    storage = get_storage()
    try:
        preview = storage.get(preview_key)
    except KeyError:
        current_app.logger.error("photo %s: preview %s is missing; no watermark", photo.public_id, preview_key)
        return
    font = current_app.config["PHOTO_WATERMARK_FONT"]
    marked = draw_watermark(preview, watermark_lines(photo, issue), font_path=font)
    display_key = preview_key.removesuffix(PREVIEW_NAME) + DISPLAY_NAME
    on_rollback(lambda: storage.delete(display_key))
    storage.put(display_key, marked, "image/jpeg")
    photo.display_key = display_key
    _after_commit(lambda: storage.delete(preview_key))


def watermark_lines(photo: Photo, issue: Issue) -> list[str]:
    """What the watermark says: when, where, what, who."""
    zone = ZoneInfo(current_app.config["XUNCHA_TIMEZONE"])
    # The capture time when the phone gave one, else the server's receive time, labelled as such.
    captured = photo.taken_at or photo.device_fix_at
    label, moment = ("拍摄", captured) if captured else ("上传", photo.created_at)
    lat, lon = _photo_place(photo, issue)
    coordinates = f"{lat:.5f}, {lon:.5f}" if lat is not None and lon is not None else ""
    kind = "整改前" if photo.kind == PhotoKind.BEFORE else "整改后"
    uploader = db.session.get(User, photo.uploader_id)  # the actor: already in the session
    lines = [
        f"{label} {moment.astimezone(zone):%Y-%m-%d %H:%M}",
        issue.location_text.strip(),
        coordinates,
        f"{issue.category.name_zh} · {kind}",
        f"拍摄人 {uploader.display_name}" if uploader else "",
    ]
    return [line for line in lines if line]


def _photo_place(photo: Photo, issue: Issue) -> tuple[float | None, float | None]:
    """The phone's own fix first (the reliable source), then EXIF GPS, then the issue's place."""
    for lat, lon in ((photo.device_lat, photo.device_lon), (photo.exif_lat, photo.exif_lon), (issue.lat, issue.lon)):
        if lat is not None and lon is not None:
            return lat, lon
    return None, None


def _after_commit(callback: Callable[[], None]) -> None:
    """After the commit of this request, or — outside a request (seeding, CLI) — of the session."""
    if has_request_context():
        after_commit(callback)
        return

    def run(_session: Any) -> None:
        try:
            callback()
        except Exception:  # the sweep catches what is left; never fail a committed transaction
            current_app.logger.exception("after-commit cleanup failed")

    event.listen(db.session(), "after_commit", run, once=True)
