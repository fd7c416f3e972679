"""Is an "after" photo real evidence of the fix? Named warnings for the verifying inspector.

Communities under pressure sometimes send an old photo, the "before" photo again,
or a photo from somewhere else (弄虚作假). Each check below names one such sign.
They are warnings, never a block: an indoor photo has no GPS, a phone clock can
be wrong, and the inspector decides.

The findings are computed once, when the photo is attached by the rectify event,
and stored on the photo as codes with their facts; the texts are rendered when
shown, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from geopy.distance import geodesic
from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import TRANSITIONS, Action
from server.photos.models import Photo, PhotoKind
from server.photos.processing import phash_distance

TAKEN_BEFORE_DISPATCH = "taken_before_dispatch"
FAR_FROM_ISSUE = "far_from_issue"
DUPLICATE_BYTES = "duplicate_bytes"
SAME_AS_BEFORE_PHOTO = "same_as_before_photo"
DEVICE_CLOCK_SKEW = "device_clock_skew"

# code → (Chinese, English), formatted with the warning's details.
TEXTS: dict[str, tuple[str, str]] = {
    TAKEN_BEFORE_DISPATCH: (
        "拍摄时间 {taken_at} 早于问题派发时间 {dispatched_at}，可能不是整改后拍摄的照片",
        "Taken at {taken_at}, before the issue was dispatched at {dispatched_at}: it may not show the fix",
    ),
    FAR_FROM_ISSUE: (
        "拍摄位置距问题地点约 {distance_m} 米（{source_zh}），超过 {limit_m} 米",
        "Taken about {distance_m} m from the issue ({source_en}), more than {limit_m} m",
    ),
    DUPLICATE_BYTES: (
        "与系统中较早上传的一张照片完全相同（同一文件）",
        "Byte for byte the same file as an earlier photo in the system",
    ),
    SAME_AS_BEFORE_PHOTO: (
        "与该问题的整改前照片看起来相同（相似度差异 {distance}/64），可能是同一张照片",
        "Looks the same as a before photo of this issue (hash distance {distance}/64): possibly the same photo",
    ),
    DEVICE_CLOCK_SKEW: (
        "设备记录的时间（{source_zh}）比服务器接收时间{direction_zh}约 {minutes} 分钟，"
        "设备时钟可能不准，或照片并非现场即时上传",
        "The device's time ({source_en}) is about {minutes} min {direction_en} the server's receive time: "
        "a wrong clock, or a photo not sent from the scene",
    ),
}

_SOURCES = {"exif": ("照片 GPS", "photo GPS"), "device": ("手机定位", "phone location")}
_TIME_SOURCES = {"device_fix_at": ("定位时间", "location fix time"), "taken_at": ("拍摄时间", "time taken")}


@dataclass(frozen=True)
class EvidenceRules:
    max_distance_m: float
    phash_max_distance: int
    max_clock_ahead: timedelta
    max_clock_behind: timedelta

    @property
    def clock_tolerance(self) -> timedelta:
        """How far a phone's clock may be off before its times mean anything: as far as it may run ahead."""
        return self.max_clock_ahead

    @classmethod
    def from_config(cls) -> EvidenceRules:
        config = current_app.config
        return cls(
            max_distance_m=config["EVIDENCE_MAX_DISTANCE_M"],
            phash_max_distance=config["EVIDENCE_PHASH_MAX_DISTANCE"],
            max_clock_ahead=timedelta(seconds=config["EVIDENCE_MAX_CLOCK_AHEAD_S"]),
            max_clock_behind=timedelta(seconds=config["EVIDENCE_MAX_CLOCK_BEHIND_S"]),
        )


Finding = dict[str, Any]  # {"code": …, "details": {…}}, as stored in photos.evidence_warnings


def check_after_photos(issue: Issue, photos: Iterable[Photo]) -> None:
    """Run every check on each newly attached "after" photo and store what it found."""
    rules = EvidenceRules.from_config()
    before = _before_hashes(issue)
    for photo in photos:
        photo.evidence_warnings = find_problems(photo, issue, rules, before)


def find_problems(photo: Photo, issue: Issue, rules: EvidenceRules, before: list[tuple[str, str]]) -> list[Finding]:
    checks: list[Callable[[], Finding | None]] = [
        lambda: _taken_before_dispatch(photo, issue, rules),
        lambda: _far_from_issue(photo, issue, rules),
        lambda: _duplicate_bytes(photo),
        lambda: _same_as_before_photo(photo, before, rules),
        lambda: _device_clock_skew(photo, rules),
    ]
    return [finding for check in checks if (finding := check()) is not None]


def _finding(code: str, **details: Any) -> Finding:
    return {"code": code, "details": details}


def _taken_before_dispatch(photo: Photo, issue: Issue, rules: EvidenceRules) -> Finding | None:
    """EXIF time before the dispatch, by more than a phone clock drifts (EXIF also drops the seconds' fraction)."""
    dispatched_at = issue.dispatched_at or issue.created_at
    if photo.taken_at is None or dispatched_at is None or photo.taken_at + rules.clock_tolerance >= dispatched_at:
        return None
    return _finding(TAKEN_BEFORE_DISPATCH, taken_at=photo.taken_at.isoformat(), dispatched_at=dispatched_at.isoformat())


def _far_from_issue(photo: Photo, issue: Issue, rules: EvidenceRules) -> Finding | None:
    """The farther of the photo's two locations (EXIF GPS, the phone's own fix), if beyond the limit."""
    if issue.lat is None or issue.lon is None:
        return None  # paperwork findings have no place
    places = (("exif", photo.exif_lat, photo.exif_lon), ("device", photo.device_lat, photo.device_lon))
    distances = {
        source: geodesic((lat, lon), (issue.lat, issue.lon)).meters
        for source, lat, lon in places
        if lat is not None and lon is not None
    }
    far = {source: d for source, d in distances.items() if d > rules.max_distance_m}
    if not far:
        return None
    source = max(far, key=far.__getitem__)
    return _finding(
        FAR_FROM_ISSUE,
        distance_m=round(far[source]),
        source=source,
        limit_m=round(rules.max_distance_m),
        accuracy_m=photo.device_accuracy_m if source == "device" else None,
    )


def _duplicate_bytes(photo: Photo) -> Finding | None:
    earlier = db.session.execute(
        select(Photo.public_id, Photo.created_at)
        .where(Photo.sha256 == photo.sha256, Photo.id < photo.id)
        .order_by(Photo.id)
        .limit(1)
    ).first()
    if earlier is None:
        return None
    return _finding(DUPLICATE_BYTES, photo_id=earlier.public_id, uploaded_at=earlier.created_at.isoformat())


def _before_hashes(issue: Issue) -> list[tuple[str, str]]:
    """(public id, pHash) of the issue's before photos (report and same_problem events)."""
    rows = db.session.execute(
        select(Photo.public_id, Photo.phash).where(
            Photo.issue_id == issue.id, Photo.kind == PhotoKind.BEFORE, Photo.phash.is_not(None)
        )
    )
    return [(public_id, phash) for public_id, phash in rows if phash is not None]


def _same_as_before_photo(photo: Photo, before: list[tuple[str, str]], rules: EvidenceRules) -> Finding | None:
    if photo.phash is None or not before:
        return None
    distance, public_id = min((phash_distance(photo.phash, phash), public_id) for public_id, phash in before)
    if distance > rules.phash_max_distance:
        return None
    return _finding(SAME_AS_BEFORE_PHOTO, photo_id=public_id, distance=distance)


def _device_clock_skew(photo: Photo, rules: EvidenceRules) -> Finding | None:
    """The device's own times against the server's receive time (created_at), the worst one."""
    received = photo.created_at
    worst: tuple[timedelta, str] | None = None
    for source in ("device_fix_at", "taken_at"):
        moment: datetime | None = getattr(photo, source)
        if moment is None:
            continue
        offset = moment - received  # > 0: the device is ahead
        too_far = offset > rules.max_clock_ahead or -offset > rules.max_clock_behind
        if too_far and (worst is None or abs(offset) > abs(worst[0])):
            worst = (offset, source)
    if worst is None:
        return None
    offset, source = worst
    return _finding(
        DEVICE_CLOCK_SKEW,
        source=source,
        direction="ahead" if offset > timedelta(0) else "behind",
        seconds=round(offset.total_seconds()),
    )


# -- showing them --------------------------------------------------------------------------


def may_see_evidence(user: User) -> bool:
    """Those who verify (not the community being checked: they would learn to dodge the checks)."""
    return user.role in TRANSITIONS[Action.VERIFY].roles


def render(finding: Finding, *, english: bool) -> dict[str, Any]:
    """A stored finding as the API shows it: code, message in the reader's language, details."""
    code, details = finding["code"], dict(finding.get("details") or {})
    zh, en = TEXTS.get(code, ("照片可能存在问题", "Something may be wrong with this photo"))
    try:
        message = (en if english else zh).format(**_text_values(details))
    except (KeyError, ValueError):  # facts from an older version of a check: the plain text still helps
        message = (en if english else zh).split("{", 1)[0].rstrip("（( ")
    return {"code": code, "message": message, "details": details}


def _text_values(details: dict[str, Any]) -> dict[str, Any]:
    values = dict(details)
    zone = ZoneInfo(current_app.config["XUNCHA_TIMEZONE"])
    for name in ("taken_at", "dispatched_at"):
        if isinstance(values.get(name), str):
            values[name] = datetime.fromisoformat(values[name]).astimezone(zone).strftime("%Y-%m-%d %H:%M")
    if (source := values.get("source")) in _SOURCES:
        values["source_zh"], values["source_en"] = _SOURCES[source]
    elif source in _TIME_SOURCES:
        values["source_zh"], values["source_en"] = _TIME_SOURCES[source]
    if "seconds" in values:
        values["minutes"] = round(abs(values["seconds"]) / 60)
        ahead = values.get("direction") == "ahead"
        values["direction_zh"], values["direction_en"] = ("快", "ahead of") if ahead else ("慢", "behind")
    return values


def warnings_for_detail(photos: Iterable[Photo], *, english: bool) -> tuple[dict[str, list[Any]], dict[int, list[Any]]]:
    """The rendered warnings of an issue's photos: by photo public id, and by event id (with the photo id)."""
    by_photo: dict[str, list[Any]] = {}
    by_event: dict[int, list[Any]] = {}
    for photo in photos:
        if photo.evidence_warnings is None:
            continue
        rendered = [render(finding, english=english) for finding in photo.evidence_warnings]
        by_photo[photo.public_id] = rendered
        if photo.event_id is not None:
            by_event.setdefault(photo.event_id, []).extend({"photo_id": photo.public_id, **w} for w in rendered)
    return by_photo, by_event
