"""Storage and database agree: no row without its objects, no object without its row.

Runs on a local directory always and on the real S3 service when one is
configured (``@pytest.mark.s3``, skipped otherwise).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from server.db import utcnow
from server.extensions import db
from server.photos.models import Photo
from server.photos.storage import Storage
from server.photos.storage.local import LocalStorage
from server.photos.sweep import sweep_photos
from tests.server.issues import test_loop
from tests.server.photos.test_storage import unreachable_s3

Upload = Callable[..., Any]
UseStorage = Callable[[Storage], Storage]


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def fresh_store(request: pytest.FixtureRequest, tmp_path: Path, use_storage: UseStorage) -> Storage:
    """An empty store of each kind, used by the app for this test."""
    if request.param == "local":
        return use_storage(LocalStorage(str(tmp_path / "store"), secret_key="test-secret"))
    backend: Storage = request.getfixturevalue("s3_storage")
    return use_storage(backend)


def photo_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo)) or 0


def keys_in(store: Storage) -> set[str]:
    return {obj.key for obj in store.objects("photos/")}


def keys_in_database() -> set[str]:
    rows = db.session.execute(select(Photo.original_key, Photo.display_key, Photo.thumb_key))
    return {key for row in rows for key in row}


# -- failures leave nothing behind -------------------------------------------------------------


def test_unreachable_store_is_a_503_and_no_row(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], use_storage: UseStorage
) -> None:
    use_storage(unreachable_s3())
    count = photo_count()
    response = upload(inspector, small_jpeg())
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "storage_unavailable"
    assert "照片仍保存在手机上" in error["message"]  # the phone keeps it and retries
    assert photo_count() == count


def test_readyz_reports_an_unreachable_store(client: Any, use_storage: UseStorage) -> None:
    use_storage(unreachable_s3())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["error"]["details"]["storage"].startswith("error")


@pytest.mark.s3
def test_readyz_checks_the_bucket(client: Any, use_storage: UseStorage, s3_storage: Storage) -> None:
    use_storage(s3_storage)
    assert client.get("/readyz").get_json()["checks"]["storage"] == "ok"


def test_objects_are_deleted_when_the_database_part_fails(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    fresh_store: Storage,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from server.photos import operations

    def failing_insert(photo: Photo, uploader: Any) -> Any:
        assert len(keys_in(fresh_store)) == 3  # stored before the row, as the row must never lack them …
        raise RuntimeError("database went away")

    monkeypatch.setattr(operations, "_insert", failing_insert)
    assert upload(inspector, small_jpeg()).status_code == 500
    assert keys_in(fresh_store) == set()  # … and gone again with the failed transaction


def test_refused_photos_never_reach_the_store(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], fresh_store: Storage
) -> None:
    assert upload(inspector, photo_bytes("jpg/corrupted.jpg")).status_code == 422
    assert keys_in(fresh_store) == set()


# -- the whole loop: afterwards the store holds exactly what the database knows ---------------


def test_after_the_whole_loop_the_store_holds_exactly_the_known_objects(
    inspector: Any,
    staff_jinlong: Any,
    staff_jinyuan: Any,
    photo_bytes: Callable[[str], bytes],
    small_jpeg: Callable[..., bytes],
    client: Any,
    fresh_store: Storage,
) -> None:
    # The core issue's API loop as it stands (tests/server/issues/test_loop.py), on this store.
    test_loop.test_report_dispatch_rectify_reject_rectify_verify(
        inspector, staff_jinlong, staff_jinyuan, photo_bytes, small_jpeg, client
    )
    known = keys_in_database()
    assert len(known) == 3 * photo_count() == 3 * 4  # before, two after, and one never attached
    assert keys_in(fresh_store) == known
    # Attached photos carry their watermarked display.jpg; the unattached one its preview.
    assert {key.rsplit("/", 1)[1] for key in known} == {"original.jpg", "display.jpg", "preview.jpg", "thumb.jpg"}


# -- the sweep -----------------------------------------------------------------------------------


def _age_local(store: Storage, key: str, hours: float) -> None:
    if isinstance(store, LocalStorage):
        then = time.time() - hours * 3600
        os.utime(store.root / key, (then, then))


def test_sweep_deletes_old_orphans_keeps_young_ones_and_reports_missing_objects(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], fresh_store: Storage
) -> None:
    upload(inspector, small_jpeg())  # a row with its three objects: left alone
    kept = keys_in(fresh_store)
    missing = upload(inspector, small_jpeg((1, 2, 3))).get_json()["id"]
    missing_key = db.session.scalar(select(Photo.thumb_key).where(Photo.public_id == missing))
    assert missing_key is not None
    fresh_store.delete(missing_key)
    fresh_store.put("photos/2026/01/crashed-upload/original.jpg", b"x", "image/jpeg")
    fresh_store.put("photos/stray.txt", b"x", "text/plain")
    # S3 cannot backdate an object: look from two days ahead instead, with a grace of one day.
    now = utcnow() + timedelta(days=2)

    dry = sweep_photos(fresh_store, older_than=timedelta(hours=24), dry_run=True, now=now)
    assert {o.key for o in dry.orphans} == {"photos/2026/01/crashed-upload/original.jpg", "photos/stray.txt"}
    assert dry.deleted == 0
    assert [(m.photo_id, m.key) for m in dry.missing] == [(missing, missing_key)]
    assert "photos/stray.txt" in keys_in(fresh_store)

    young = sweep_photos(fresh_store, older_than=timedelta(days=3), dry_run=False, now=now)
    assert young.deleted == 0
    assert len(young.young_orphans) == 2

    swept = sweep_photos(fresh_store, older_than=timedelta(hours=24), dry_run=False, now=now)
    assert swept.deleted == 2
    assert keys_in(fresh_store) == kept | keys_in_database() - {missing_key}


def test_sweep_command(app: Flask, inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes]) -> None:
    upload(inspector, small_jpeg())
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["photos", "sweep", "--dry-run", "--older-than-hours", "0"])
    assert clean.exit_code == 0, clean.output
    assert "0 objects missing" in clean.output

    photo = db.session.scalars(select(Photo).order_by(Photo.id.desc())).first()
    assert photo is not None
    from server.photos.storage import get_storage

    get_storage().delete(photo.thumb_key)
    broken = runner.invoke(args=["photos", "sweep", "--dry-run"])
    assert broken.exit_code == 1  # rows without their objects need a person
    assert f"missing  {photo.thumb_key}  (photo {photo.public_id})" in broken.output
