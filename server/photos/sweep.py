"""Storage and database agree: no object without its row, no row without its objects.

Uploads store their objects before the row is committed and delete them again if
the request fails; a crash or an unreachable store in between can still leave an
orphan. The sweep finds them — objects under ``photos/`` that no row owns — and
deletes those older than a grace period (younger ones may belong to an upload
that is committing right now). Rows whose objects are missing are reported, never
deleted: a photo row is evidence, and a person must look.

Work goes month by month (keys are ``photos/YYYY/MM/<uuid>/…`` and listings come
in key order), so memory stays bounded however large the bucket grows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from sqlalchemy import func, select

from server.db import utcnow
from server.extensions import db
from server.photos.models import Photo
from server.photos.storage import Storage, StoredObject

ROOT = "photos/"
_MONTH_PREFIX = len("photos/YYYY/MM/")


@dataclass(frozen=True)
class MissingObject:
    photo_id: str  # the row's public id
    key: str


@dataclass
class SweepReport:
    checked: int = 0  # objects listed
    orphans: list[StoredObject] = field(default_factory=list)  # old enough: deleted (or would be)
    young_orphans: list[StoredObject] = field(default_factory=list)  # kept: maybe an upload in flight
    missing: list[MissingObject] = field(default_factory=list)
    deleted: int = 0


def sweep_photos(storage: Storage, *, older_than: timedelta, dry_run: bool, now: datetime | None = None) -> SweepReport:
    """Compare the store with the photo rows; delete old orphans unless ``dry_run``."""
    cutoff = (now or utcnow()) - older_than
    report = SweepReport()
    seen: set[str] = set()
    for prefix, group in groupby(storage.objects(ROOT), key=lambda obj: obj.key[:_MONTH_PREFIX]):
        seen.add(prefix)
        _sweep_month(prefix, list(group), cutoff, report)
    for prefix in _row_prefixes() - seen:  # months with rows but no objects at all
        _sweep_month(prefix, [], cutoff, report)
    if not dry_run and report.orphans:
        storage.delete_many(obj.key for obj in report.orphans)
        report.deleted = len(report.orphans)
    return report


def _sweep_month(prefix: str, listed: list[StoredObject], cutoff: datetime, report: SweepReport) -> None:
    # Listed first, rows second: an upload that commits in between shows as a young orphan, never as missing.
    owners = _owners(prefix)
    keys = {obj.key for obj in listed}
    report.checked += len(listed)
    for obj in listed:
        if obj.key not in owners:
            (report.orphans if obj.modified_at < cutoff else report.young_orphans).append(obj)
    report.missing.extend(MissingObject(owners[key], key) for key in sorted(owners.keys() - keys))


def _owners(prefix: str) -> dict[str, str]:
    """Every key owned by a row under ``prefix``, with the row's public id."""
    rows = db.session.execute(
        select(Photo.public_id, Photo.original_key, Photo.display_key, Photo.thumb_key).where(
            Photo.original_key.startswith(prefix, autoescape=True)
        )
    )
    return {key: public_id for public_id, *keys in rows for key in keys}


def _row_prefixes() -> set[str]:
    prefix = func.substr(Photo.original_key, 1, _MONTH_PREFIX)
    return set(db.session.scalars(select(prefix).distinct()))


def describe(report: SweepReport, *, dry_run: bool, older_than: timedelta, now: datetime) -> Iterator[str]:
    """The report as lines for a person (the CLI prints them)."""
    verb = "to delete (dry run)" if dry_run else "deleted"
    for obj in report.orphans:
        yield f"orphan   {obj.key}  ({_age(now, obj.modified_at)} old): {verb}"
    for obj in report.young_orphans:
        yield f"orphan   {obj.key}  ({_age(now, obj.modified_at)} old): kept, younger than {_hours(older_than)}"
    for missing in report.missing:
        yield f"missing  {missing.key}  (photo {missing.photo_id})"
    yield (
        f"{report.checked} objects checked; {len(report.orphans)} orphans {verb}, "
        f"{len(report.young_orphans)} young orphans kept; {len(report.missing)} objects missing"
    )


def _age(now: datetime, then: datetime) -> str:
    return _hours(now - then)


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.1f} h"
