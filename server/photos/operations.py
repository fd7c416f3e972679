"""The rules for photos: who may upload, idempotent uploads, attaching to issues, signed URLs.

Storage and database never disagree for long: objects are written only after the
image is processed, before the row is inserted, and deleted again if the request
fails; an object replaced later (the display copy, when the watermark is drawn)
is deleted only after the commit. What a crash leaves behind, ``flask photos
sweep`` finds.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from server.auth.models import Role, User
from server.db import utcnow
from server.errors import Conflict, NotFound, RoleNotAllowed, TooLarge, UnsupportedMedia, ValidationFailed
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue, IssueEvent
from server.photos import processing
from server.photos.display import DISPLAY_NAME, PREVIEW_NAME, watermark_display
from server.photos.evidence import check_after_photos
from server.photos.models import Photo, PhotoKind
from server.photos.processing import ProcessedPhoto
from server.photos.storage import get_storage
from server.transaction import on_rollback

UPLOADER_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR, Role.COMMUNITY_STAFF})


class CorruptPhoto(ValidationFailed):
    code = "corrupt_photo"
    message_zh = "照片文件已损坏或不完整，请重新拍摄或选择照片"
    message_en = "The photo file is damaged or incomplete; take or choose it again"


class TooManyPixels(TooLarge):
    code = "too_many_pixels"
    message_zh = "照片像素过多，请缩小后重新上传"
    message_en = "The photo has too many pixels; shrink it and upload again"


class PhotoTooLarge(TooLarge):
    code = "photo_too_large"
    message_zh = "照片文件太大，请缩小后重新上传"
    message_en = "The photo file is too large; shrink it and upload again"


class ClientIdTaken(Conflict):
    code = "client_id_taken"
    message_zh = "该照片编号已被其他用户使用"
    message_en = "This client_id is already used by another user"


class PhotosUnusable(ValidationFailed):
    code = "invalid_photos"
    message_zh = "照片无效或已被使用，请重新上传"
    message_en = "Some photos are unknown, not yours, of the wrong kind or already used"


def ensure_may_upload(user: User) -> None:
    if user.role not in UPLOADER_ROLES:
        raise RoleNotAllowed()


# -- upload --------------------------------------------------------------------------------


def create_photo(
    uploader: User,
    data: bytes,
    *,
    kind: str,
    client_id: str | None,
    device_fix: dict[str, Any] | None = None,
    client_exif: dict[str, Any] | None = None,
) -> tuple[Photo, bool]:
    """Check, store and record an uploaded photo; ``(photo, created_now)``.

    A ``client_id`` already used by this uploader returns that photo untouched
    (the phone retried after losing our answer); used by anyone else it is a 409.
    """
    ensure_may_upload(uploader)
    kind = _photo_kind(kind)
    client_id = _canonical_uuid(client_id)
    if client_id is not None and (existing := _photo_for_client_id(client_id, uploader)) is not None:
        return existing, False
    received_at = utcnow()  # the server's receive time: evidence against the phone's clock
    processed = _process(data)
    photo = _new_photo(uploader, processed, kind=kind, client_id=client_id, received_at=received_at)
    _apply_device_fix(photo, device_fix or {})
    _apply_client_exif(photo, client_exif or {})
    _store(photo, data, processed)
    return _insert(photo, uploader)


def _photo_kind(kind: str) -> PhotoKind:
    try:
        return PhotoKind(kind)
    except ValueError:
        raise ValidationFailed(details={"kind": [f"must be one of {[k.value for k in PhotoKind]}"]}) from None


def _canonical_uuid(client_id: str | None) -> str | None:
    if client_id is None:
        return None
    try:
        return str(uuid.UUID(str(client_id)))
    except ValueError:
        raise ValidationFailed(details={"client_id": ["not a valid UUID"]}) from None


def _photo_for_client_id(client_id: str, uploader: User) -> Photo | None:
    photo = db.session.scalar(select(Photo).where(Photo.client_id == client_id))
    if photo is not None and photo.uploader_id != uploader.id:
        raise ClientIdTaken(details={"client_id": client_id})
    return photo


def _process(data: bytes) -> ProcessedPhoto:
    """Run the image pipeline with this deployment's limits; its refusals become API errors."""
    config = current_app.config
    try:
        return processing.process_photo(
            data,
            max_bytes=config["PHOTO_MAX_BYTES"],
            max_pixels=config["PHOTO_MAX_PIXELS"],
            local_tz=ZoneInfo(config["XUNCHA_TIMEZONE"]),
        )
    except processing.UnsupportedType as exc:
        raise UnsupportedMedia(details={"reason": str(exc)}) from exc
    except processing.FileTooLarge as exc:
        raise PhotoTooLarge(details={"max_bytes": config["PHOTO_MAX_BYTES"]}) from exc
    except processing.TooManyPixels as exc:
        raise TooManyPixels(details={"max_pixels": config["PHOTO_MAX_PIXELS"], "reason": str(exc)}) from exc
    except processing.CorruptImage as exc:
        raise CorruptPhoto(details={"reason": str(exc)}) from exc


def _new_photo(
    uploader: User, processed: ProcessedPhoto, *, kind: PhotoKind, client_id: str | None, received_at: datetime
) -> Photo:
    public_id = str(uuid.uuid4())
    # Humane keys: an operator can find a photo by month and id in any bucket browser.
    prefix = f"photos/{received_at:%Y/%m}/{public_id}"
    # With the watermark on, the upload's copy is a preview: the watermark needs the
    # issue (category, place), and is drawn when the photo is attached to one.
    display_name = PREVIEW_NAME if current_app.config["PHOTO_WATERMARK"] else DISPLAY_NAME
    return Photo(
        public_id=public_id,
        client_id=client_id,
        uploader_id=uploader.id,
        kind=kind.value,
        content_type=processed.image_type.content_type,
        original_key=f"{prefix}/original.{processed.image_type.extension}",
        display_key=f"{prefix}/{display_name}",
        thumb_key=f"{prefix}/thumb.jpg",
        sha256=processed.sha256,
        phash=processed.phash,
        size_bytes=processed.size_bytes,
        width=processed.width,
        height=processed.height,
        taken_at=processed.taken_at,
        exif_lat=processed.exif_lat,
        exif_lon=processed.exif_lon,
        created_at=received_at,
    )


def _apply_device_fix(photo: Photo, fix: dict[str, Any]) -> None:
    photo.device_lat = fix.get("device_lat")
    photo.device_lon = fix.get("device_lon")
    photo.device_accuracy_m = fix.get("device_accuracy_m")
    photo.device_fix_at = fix.get("device_fix_at")


def _apply_client_exif(photo: Photo, exif: dict[str, Any]) -> None:
    """What the phone read from the file before shrinking it; the file's own EXIF wins."""
    if photo.taken_at is None and exif.get("exif_taken_at") is not None:
        photo.taken_at = _as_utc(exif["exif_taken_at"])
    if photo.exif_lat is None and exif.get("exif_lat") is not None and exif.get("exif_lon") is not None:
        photo.exif_lat, photo.exif_lon = exif["exif_lat"], exif["exif_lon"]


def _as_utc(moment: datetime) -> datetime:
    # EXIF times are local wall-clock times: a naive one is in the deployment's zone.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(current_app.config["XUNCHA_TIMEZONE"]))
    return moment.astimezone(UTC)


def _store(photo: Photo, original: bytes, processed: ProcessedPhoto) -> None:
    """Write the three objects; if the request then fails, they are deleted again."""
    storage = get_storage()
    keys = (photo.original_key, photo.display_key, photo.thumb_key)
    on_rollback(lambda: _delete_objects(keys))  # registered first: one failed put cleans the others
    storage.put_many(
        [
            (photo.original_key, original, photo.content_type),  # the bytes as sent, untouched
            (photo.display_key, processed.display, "image/jpeg"),
            (photo.thumb_key, processed.thumb, "image/jpeg"),
        ]
    )


def _delete_objects(keys: tuple[str, ...]) -> None:
    get_storage().delete_many(keys)


def _insert(photo: Photo, uploader: User) -> tuple[Photo, bool]:
    """Insert the row; a concurrent upload with the same client_id wins and we return its photo."""
    try:
        with db.session.begin_nested():
            db.session.add(photo)
    except IntegrityError:
        if photo.client_id is None:
            raise
        _delete_objects((photo.original_key, photo.display_key, photo.thumb_key))
        existing = _photo_for_client_id(photo.client_id, uploader)
        if existing is None:
            raise
        return existing, False
    return photo, True


# -- reading -------------------------------------------------------------------------------


def get_visible_photo(user: User, public_id: str) -> Photo:
    """A photo its uploader may always see, others only through an issue they can see; else 404."""
    visible_issue_ids = visible_issues(user).with_only_columns(Issue.id)
    photo = db.session.scalar(
        select(Photo).where(
            Photo.public_id == public_id,
            or_(Photo.uploader_id == user.id, Photo.issue_id.in_(visible_issue_ids)),
        )
    )
    if photo is None:
        raise NotFound("找不到该照片，或您无权查看", "Photo not found")
    return photo


def photo_urls(photo: Photo) -> dict[str, str]:
    """Fresh signed URLs; they expire after PHOTO_URL_TTL_SECONDS."""
    storage = get_storage()
    ttl = current_app.config["PHOTO_URL_TTL_SECONDS"]
    return {
        "display": storage.url(photo.display_key, ttl, "image/jpeg"),
        "thumb": storage.url(photo.thumb_key, ttl, "image/jpeg"),
        "original": storage.url(photo.original_key, ttl, photo.content_type),
    }


def photos_for_issues(issue_ids: list[int]) -> dict[int, list[Photo]]:
    """The photos of many issues in one query, in upload order; every asked id has a list."""
    result: dict[int, list[Photo]] = {issue_id: [] for issue_id in issue_ids}
    if not issue_ids:
        return result
    for photo in db.session.scalars(select(Photo).where(Photo.issue_id.in_(issue_ids)).order_by(Photo.id)):
        result[photo.issue_id].append(photo)  # type: ignore[index]  # issue_id is set: filtered on it
    return result


# -- attaching -----------------------------------------------------------------------------


def attach_photos(
    public_ids: list[str], *, actor: User, kind: PhotoKind, issue: Issue, event: IssueEvent
) -> list[Photo]:
    """Attach the actor's unused uploads of ``kind`` to ``issue`` via ``event``, in the given order.

    Every id must exist, be the actor's own upload, be of the right kind and not be
    attached yet; otherwise nothing is attached and a 422 names each bad id.
    """
    if not public_ids:
        return []
    if issue.id is None or event.id is None:
        db.session.flush()
    if event.issue_id != issue.id:
        raise ValueError(f"{event!r} does not belong to {issue!r}")
    public_ids = [_canonical_id(public_id) for public_id in public_ids]
    photos = {p.public_id: p for p in db.session.scalars(select(Photo).where(Photo.public_id.in_(public_ids)))}
    problems = _attach_problems(public_ids, photos, actor=actor, kind=kind)
    if problems:
        raise PhotosUnusable(details={"photos": problems})
    _claim(list(photos.values()), issue=issue, event=event)
    attached = [photos[public_id] for public_id in public_ids]
    if current_app.config["PHOTO_WATERMARK"]:
        for photo in attached:
            watermark_display(photo, issue)
    if kind is PhotoKind.AFTER:
        check_after_photos(issue, attached)
    return attached


def _canonical_id(public_id: Any) -> str:
    """Photo ids as stored (lower-case UUID text), whether given as UUID objects or any-case strings."""
    try:
        return str(uuid.UUID(str(public_id)))
    except ValueError:
        return str(public_id)  # reported as not_found


def _attach_problems(
    public_ids: list[str], photos: dict[str, Photo], *, actor: User, kind: PhotoKind
) -> dict[str, str]:
    """Each bad id with why; someone else's photo reads as unknown, so ids leak nothing."""
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for public_id in public_ids:
        photo = photos.get(public_id)
        if public_id in seen:
            problems[public_id] = "duplicate"
        elif photo is None or photo.uploader_id != actor.id:
            problems[public_id] = "not_found"
        elif photo.kind != kind:
            problems[public_id] = "wrong_kind"
        elif photo.issue_id is not None:
            problems[public_id] = "already_used"
        seen.add(public_id)
    return problems


def _claim(photos: list[Photo], *, issue: Issue, event: IssueEvent) -> None:
    """Set issue and event in one conditional UPDATE, so two requests cannot both claim a photo."""
    result = db.session.execute(
        update(Photo)
        .where(Photo.id.in_([p.id for p in photos]), Photo.issue_id.is_(None))
        .values(issue_id=issue.id, event_id=event.id)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(photos):  # type: ignore[attr-defined]
        raise PhotosUnusable(details={"photos": {p.public_id: "already_used" for p in photos}})
    for photo in photos:
        # The rows are updated; make the loaded objects say so without another UPDATE or SELECT.
        set_committed_value(photo, "issue_id", issue.id)
        set_committed_value(photo, "event_id", event.id)
