"""POST /api/v1/photos, GET /api/v1/photos/<id> and the signed file route."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from sqlalchemy import func, select

from server.extensions import db
from server.photos.models import Photo
from server.photos.storage.local import LocalStorage
from tests.server.photos.helpers import cache_lifetime, jpeg_with_metadata, open_image, png_declaring, samples

Upload = Callable[..., Any]


def photo_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Photo)) or 0


# -- who may upload ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("inspector", 201),
        ("supervisor", 201),
        ("staff_jinlong", 201),
        ("street_baishazhou", 403),
        ("admin", 403),
    ],
)
def test_who_may_upload(
    login: Callable[[str], Any], upload: Upload, small_jpeg: Callable[..., bytes], username: str, status: int
) -> None:
    response = upload(login(username), small_jpeg())
    assert response.status_code == status, response.get_json()
    if status == 403:
        assert response.get_json()["error"]["code"] == "role_not_allowed"


def test_upload_needs_a_login(client: Any, upload: Upload, small_jpeg: Callable[..., bytes]) -> None:
    response = upload(client, small_jpeg())
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_upload_needs_the_csrf_token(inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes]) -> None:
    inspector.csrf = "wrong"
    assert upload(inspector, small_jpeg()).status_code == 403


# -- a good upload ---------------------------------------------------------------------------


def test_upload_records_the_facts_and_stores_three_objects(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], stored_files: Callable[[], set[str]]
) -> None:
    data = photo_bytes("jpg/gps/DSCN0010.jpg")
    before = stored_files()
    response = upload(
        inspector,
        data,
        filename="whatever.png",  # names and Content-Type are never trusted
        kind="after",
        device_lat="26.8951",
        device_lon="112.5702",
        device_accuracy_m="12.5",
        device_fix_at="2026-03-01T01:30:00Z",
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()

    assert body["kind"] == "after"
    assert body["content_type"] == "image/jpeg"
    assert (body["width"], body["height"]) == (640, 480)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["size_bytes"] == len(data)
    assert body["taken_at"] == "2008-10-22T08:28:39+00:00"  # 16:28:39 in Asia/Shanghai
    assert body["exif_lat"] == pytest.approx(43.4674483, abs=1e-6)
    assert body["exif_lon"] == pytest.approx(11.8851267, abs=1e-6)
    assert (body["device_lat"], body["device_lon"], body["device_accuracy_m"]) == (26.8951, 112.5702, 12.5)
    assert body["device_fix_at"] == "2026-03-01T01:30:00+00:00"
    assert set(body["urls"]) == {"display", "thumb", "original"}

    new = stored_files() - before
    photo = db.session.scalar(select(Photo).where(Photo.public_id == body["id"]))
    assert photo is not None
    assert new == {photo.original_key, photo.display_key, photo.thumb_key}
    month = photo.created_at.strftime("%Y/%m")
    assert photo.original_key == f"photos/{month}/{photo.public_id}/original.jpg"
    # Not attached yet: the display copy is a preview until the watermark is drawn (test_watermark.py).
    assert photo.display_key == f"photos/{month}/{photo.public_id}/preview.jpg"
    assert photo.thumb_key == f"photos/{month}/{photo.public_id}/thumb.jpg"
    assert photo.phash is not None
    assert len(photo.phash) == 16


def test_kind_defaults_to_before(inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes]) -> None:
    assert upload(inspector, small_jpeg()).get_json()["kind"] == "before"


def test_client_exif_is_used_only_when_the_file_has_none(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], photo_bytes: Callable[[str], bytes]
) -> None:
    client_exif = {"exif_taken_at": "2026-03-01T09:30:00", "exif_lat": "26.9", "exif_lon": "112.6"}
    # The phone's canvas stripped the EXIF: what it read before shrinking is kept.
    bare = upload(inspector, small_jpeg(), **client_exif).get_json()
    assert bare["taken_at"] == "2026-03-01T01:30:00+00:00"  # naive EXIF time: Asia/Shanghai
    assert (bare["exif_lat"], bare["exif_lon"]) == (26.9, 112.6)
    # The file has its own EXIF: it wins.
    own = upload(inspector, photo_bytes("jpg/gps/DSCN0010.jpg"), **client_exif).get_json()
    assert own["taken_at"] == "2008-10-22T08:28:39+00:00"
    assert own["exif_lat"] == pytest.approx(43.467, abs=0.001)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "during"},
        {"client_id": "not-a-uuid"},
        {"device_lat": "95", "device_lon": "112"},
        {"device_lat": "26.9"},  # without its longitude
        {"device_fix_at": "2026-03-01T09:30:00"},  # a fix time must say its zone
        {"exif_lat": "abc", "exif_lon": "112"},
        {"surprise": "field"},
    ],
)
def test_bad_fields_are_refused(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    stored_files: Callable[[], set[str]],
    fields: dict[str, str],
) -> None:
    before = stored_files()
    response = upload(inspector, small_jpeg(), **fields)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed"
    assert stored_files() == before


def test_missing_file_is_refused(inspector: Any) -> None:
    response = inspector.post("/api/v1/photos", data={"kind": "before"}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert response.get_json()["error"]["details"] == {"file": ["required"]}


@pytest.mark.parametrize("relative", samples("heic"))
def test_heic_is_accepted(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], fetch: Callable[[str], Any], relative: str
) -> None:
    data = photo_bytes(relative)
    response = upload(inspector, data, filename="IMG.HEIC")
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["content_type"] == "image/heic"
    original = fetch(body["urls"]["original"])
    assert original.headers["Content-Type"] == "image/heic"
    assert original.data == data
    display = fetch(body["urls"]["display"])
    assert display.headers["Content-Type"] == "image/jpeg"
    assert max(open_image(display.data).size) == 1600


# -- idempotency -----------------------------------------------------------------------------


def test_repeated_client_id_returns_the_original_photo(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], stored_files: Callable[[], set[str]]
) -> None:
    client_id = str(uuid.uuid4())
    first = upload(inspector, small_jpeg(), client_id=client_id)
    assert first.status_code == 201
    files = stored_files()
    count = photo_count()

    again = upload(inspector, small_jpeg(), client_id=client_id.upper())  # the same UUID, spelled otherwise
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert stored_files() == files
    assert photo_count() == count


def test_client_id_of_another_user_conflicts(
    inspector: Any, staff_jinlong: Any, upload: Upload, small_jpeg: Callable[..., bytes]
) -> None:
    client_id = str(uuid.uuid4())
    assert upload(inspector, small_jpeg(), client_id=client_id).status_code == 201
    response = upload(staff_jinlong, small_jpeg(), client_id=client_id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "client_id_taken"


def test_concurrent_upload_with_the_same_client_id_returns_the_winner(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    stored_files: Callable[[], set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from server.photos import operations

    client_id = str(uuid.uuid4())
    first = upload(inspector, small_jpeg(), client_id=client_id).get_json()
    files = stored_files()
    # The second request's early look-up misses (the first had not committed yet) …
    real_lookup = operations._photo_for_client_id
    calls: list[str] = []

    def late_lookup(client_id: str, uploader: Any) -> Photo | None:
        calls.append(client_id)
        return None if len(calls) == 1 else real_lookup(client_id, uploader)

    monkeypatch.setattr(operations, "_photo_for_client_id", late_lookup)
    response = upload(inspector, small_jpeg(), client_id=client_id)
    # … so its insert hits the unique constraint: it answers with the winner and keeps no files.
    assert response.status_code == 200
    assert response.get_json()["id"] == first["id"]
    assert stored_files() == files


# -- refusals leave nothing behind -------------------------------------------------------------


def _refused(client: Any, upload: Upload, data: bytes, stored_files: Callable[[], set[str]]) -> Any:
    files, count = stored_files(), photo_count()
    response = upload(client, data)
    assert stored_files() == files
    assert photo_count() == count
    return response


def test_corrupted_jpeg_is_refused_with_a_clear_message(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], stored_files: Callable[[], set[str]]
) -> None:
    response = _refused(inspector, upload, photo_bytes("jpg/corrupted.jpg"), stored_files)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "corrupt_photo"
    assert "照片文件已损坏或不完整" in error["message"]


def test_truncated_upload_is_refused(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], stored_files: Callable[[], set[str]]
) -> None:
    data = photo_bytes("jpg/mobile/jolla.jpg")
    response = _refused(inspector, upload, data[: len(data) // 2], stored_files)
    assert response.status_code == 422


@pytest.mark.parametrize("relative", samples("jpg/invalid"))
def test_invalid_folder_is_handled_cleanly(
    inspector: Any,
    upload: Upload,
    photo_bytes: Callable[[str], bytes],
    stored_files: Callable[[], set[str]],
    relative: str,
) -> None:
    """These files have broken EXIF/XMP but whole image data: accepted, or refused with a 4xx and nothing stored."""
    files, count = stored_files(), photo_count()
    response = upload(inspector, photo_bytes(relative))
    if response.status_code == 201:
        assert len(stored_files() - files) == 3
    else:
        assert 400 <= response.status_code < 500
        assert (stored_files(), photo_count()) == (files, count)


@pytest.mark.parametrize(
    "data",
    [b"just some text\n" * 20, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"],
    ids=["text", "pdf"],
)
def test_non_images_are_unsupported(
    inspector: Any, upload: Upload, stored_files: Callable[[], set[str]], data: bytes
) -> None:
    response = _refused(inspector, upload, data, stored_files)
    assert response.status_code == 415
    assert response.get_json()["error"]["code"] == "unsupported_media_type"


def test_too_large_is_refused(
    app: Flask,
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    stored_files: Callable[[], set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = small_jpeg()
    monkeypatch.setitem(app.config, "PHOTO_MAX_BYTES", len(data) - 1)
    response = _refused(inspector, upload, data, stored_files)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "photo_too_large"


def test_body_over_max_content_length_is_a_json_413(
    app: Flask, inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1000)
    response = upload(inspector, small_jpeg())
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"


def test_decompression_bomb_is_refused(inspector: Any, upload: Upload, stored_files: Callable[[], set[str]]) -> None:
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 200
    response = _refused(inspector, upload, bomb, stored_files)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_many_pixels"


def test_storage_is_cleaned_when_the_database_part_fails(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    stored_files: Callable[[], set[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from server.photos import operations

    def failing_insert(photo: Photo, uploader: Any) -> Any:
        raise RuntimeError("database went away")

    monkeypatch.setattr(operations, "_insert", failing_insert)
    files = stored_files()
    response = upload(inspector, small_jpeg())
    assert response.status_code == 500
    assert stored_files() == files


# -- odd EXIF ----------------------------------------------------------------------------------


@pytest.mark.parametrize("relative", samples("jpg/tests"))
def test_odd_exif_is_accepted_or_refused_cleanly(
    inspector: Any, upload: Upload, photo_bytes: Callable[[str], bytes], relative: str
) -> None:
    response = upload(inspector, photo_bytes(relative))
    assert response.status_code in (201, 413, 415, 422), response.get_json()


# -- reading a photo and its files -------------------------------------------------------------


def test_metadata_and_fresh_urls_for_the_uploader(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], fetch: Callable[[str], Any]
) -> None:
    created = upload(inspector, small_jpeg()).get_json()
    response = inspector.get(f"/api/v1/photos/{created['id']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == created["id"]
    assert fetch(body["urls"]["thumb"]).status_code == 200


def test_unattached_photo_is_private_to_its_uploader(
    inspector: Any, supervisor: Any, staff_jinlong: Any, upload: Upload, small_jpeg: Callable[..., bytes]
) -> None:
    photo_id = upload(inspector, small_jpeg()).get_json()["id"]
    assert supervisor.get(f"/api/v1/photos/{photo_id}").status_code == 404
    assert staff_jinlong.get(f"/api/v1/photos/{photo_id}").status_code == 404


def test_unknown_photo_is_404(inspector: Any) -> None:
    assert inspector.get(f"/api/v1/photos/{uuid.uuid4()}").status_code == 404
    assert inspector.get("/api/v1/photos/not-a-uuid").status_code == 404


def test_reading_needs_a_login(client: Any) -> None:
    assert client.get(f"/api/v1/photos/{uuid.uuid4()}").status_code == 401


def test_files_have_their_own_types_and_the_original_is_untouched(
    inspector: Any, upload: Upload, fetch: Callable[[str], Any], app: Flask
) -> None:
    from tests.server.photos.helpers import png_with_alpha

    data = png_with_alpha()
    body = upload(inspector, data, filename="x.jpg").get_json()
    original = fetch(body["urls"]["original"])
    assert original.status_code == 200
    assert original.headers["Content-Type"] == "image/png"
    assert original.data == data
    assert hashlib.sha256(original.data).hexdigest() == body["sha256"]
    for name in ("display", "thumb"):
        response = fetch(body["urls"][name])
        assert response.headers["Content-Type"] == "image/jpeg"
        assert "private" in response.headers["Cache-Control"]
        # Never cached longer than the link is valid.
        assert 0 < cache_lifetime(response) <= app.config["PHOTO_URL_TTL_SECONDS"]


def test_derivatives_served_carry_no_exif(inspector: Any, upload: Upload, fetch: Callable[[str], Any]) -> None:
    data = jpeg_with_metadata(orientation=6)
    body = upload(inspector, data).get_json()
    assert body["exif_lat"] is not None
    for name in ("display", "thumb"):
        served = fetch(body["urls"][name]).data
        assert b"Exif\x00\x00" not in served
        assert dict(open_image(served).getexif()) == {}
    assert fetch(body["urls"]["original"]).data == data  # the original keeps everything


def _signed_parts(url: str) -> tuple[str, int, str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    key = parts.path.removeprefix("/api/v1/files/")
    return key, int(query["exp"][0]), query["sig"][0]


def test_tampered_signed_urls_are_404(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    fetch: Callable[[str], Any],
    local_storage: LocalStorage,
) -> None:
    body = upload(inspector, small_jpeg()).get_json()
    key, expires, signature = _signed_parts(body["urls"]["display"])
    other_key, _, _ = _signed_parts(body["urls"]["original"])
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert fetch(f"/api/v1/files/{key}?exp={expires}&sig={signature}").status_code == 200
    for url in (
        f"/api/v1/files/{key}?exp={expires}&sig={flipped}",
        f"/api/v1/files/{key}?exp={expires + 3600}&sig={signature}",  # a longer life, same signature
        f"/api/v1/files/{other_key}?exp={expires}&sig={signature}",  # another file, same signature
        f"/api/v1/files/{key}?exp={expires}",
        f"/api/v1/files/{key}?exp=soon&sig={signature}",
        f"/api/v1/files/{key}",
    ):
        response = fetch(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["code"] == "not_found"


def test_expired_signed_url_is_404(
    inspector: Any,
    upload: Upload,
    small_jpeg: Callable[..., bytes],
    fetch: Callable[[str], Any],
    local_storage: LocalStorage,
) -> None:
    body = upload(inspector, small_jpeg()).get_json()
    key, _, _ = _signed_parts(body["urls"]["display"])
    past = 1_000_000_000
    assert fetch(f"/api/v1/files/{key}?exp={past}&sig={local_storage.signature(key, past)}").status_code == 404


def test_unchanged_file_is_not_sent_again(
    inspector: Any, upload: Upload, small_jpeg: Callable[..., bytes], client: Any, local_storage: LocalStorage
) -> None:
    url = upload(inspector, small_jpeg()).get_json()["urls"]["thumb"]
    etag = client.get(url).headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_path_traversal_is_404(fetch: Callable[[str], Any], local_storage: LocalStorage) -> None:
    key = "../secret_key"
    expires = 4_000_000_000
    assert fetch(f"/api/v1/files/{key}?exp={expires}&sig={local_storage.signature(key, expires)}").status_code == 404
