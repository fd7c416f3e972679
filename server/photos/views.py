"""HTTP handlers for photos: upload, metadata with signed URLs, and the signed file route."""

from __future__ import annotations

import hashlib
import time
from typing import Any

from flask import Response, abort, current_app, jsonify, request
from werkzeug.datastructures import FileStorage

from server.auth.session import require_user
from server.errors import ValidationFailed
from server.photos import bp
from server.photos.operations import PhotoTooLarge, create_photo, ensure_may_upload, get_visible_photo
from server.photos.schemas import PhotoSchema, UploadPhotoSchema
from server.photos.storage import get_storage
from server.photos.storage.local import LocalStorage
from server.schemas import load

_DEVICE_FIELDS = ("device_lat", "device_lon", "device_accuracy_m", "device_fix_at")
_CLIENT_EXIF_FIELDS = ("exif_taken_at", "exif_lat", "exif_lon")


@bp.post("/photos")
def upload() -> tuple[Response, int]:
    """Upload a photo.
    ---
    post:
      summary: Upload a photo (multipart; idempotent on client_id)
      description: >
        The type is sniffed from the bytes (JPEG, PNG, WebP, HEIC/HEIF). The original
        is kept as sent, with its SHA-256 and a perceptual hash; an upright display copy
        (long edge 1600) and a thumbnail (320), both JPEG without metadata, are made.
        The display copy gets its watermark (time, place, category, who) when the photo
        is attached to an issue. EXIF time and GPS come from the file; the exif_* fields
        are used only when the file has none.
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                client_id: {type: string, format: uuid}
                kind: {type: string, enum: [before, after], default: before}
                device_lat: {type: number}
                device_lon: {type: number}
                device_accuracy_m: {type: number}
                device_fix_at: {type: string, format: date-time}
                exif_taken_at: {type: string, format: date-time}
                exif_lat: {type: number}
                exif_lon: {type: number}
      responses:
        201:
          content:
            application/json:
              schema: PhotoSchema
        200: {description: this client_id was already used by you; the original photo}
        401: {description: not logged in}
        403: {description: your role may not upload photos}
        409: {description: the client_id belongs to someone else}
        413: {description: file too large, or too many pixels}
        415: {description: not a JPEG, PNG, WebP or HEIC/HEIF image}
        422: {description: damaged or incomplete file, or invalid fields}
        503: {description: the photo store is unreachable; nothing was kept, keep the photo and retry}
    """
    user = require_user()
    ensure_may_upload(user)  # before reading a large body for nothing
    fields = load(UploadPhotoSchema(), request.form.to_dict())
    photo, created = create_photo(
        user,
        _read_upload(request.files.get("file")),
        kind=fields["kind"],
        client_id=str(fields["client_id"]) if fields["client_id"] else None,
        device_fix=_pick(fields, _DEVICE_FIELDS),
        client_exif=_pick(fields, _CLIENT_EXIF_FIELDS),
    )
    return jsonify(PhotoSchema().dump(photo)), 201 if created else 200


def _read_upload(file: FileStorage | None) -> bytes:
    if file is None:
        raise ValidationFailed("请选择要上传的照片", "No file uploaded", details={"file": ["required"]})
    limit = current_app.config["PHOTO_MAX_BYTES"]
    data = file.stream.read(limit + 1)  # one byte more tells "too large" without reading it all
    if len(data) > limit:
        raise PhotoTooLarge(details={"max_bytes": limit})
    return data


def _pick(fields: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: fields[name] for name in names if fields.get(name) is not None}


@bp.get("/photos/<uuid:public_id>")
def show(public_id: Any) -> Response:
    """A photo's metadata and fresh signed URLs.
    ---
    get:
      summary: Photo metadata with short-lived signed URLs (display, thumb, original)
      responses:
        200:
          content:
            application/json:
              schema: PhotoSchema
        401: {description: not logged in}
        404: {description: no such photo, or not visible to you}
    """
    user = require_user()
    return jsonify(PhotoSchema().dump(get_visible_photo(user, str(public_id))))


@bp.get("/files/<path:key>")
def serve_file(key: str) -> Response:
    """A stored file through a signed, expiring link (local storage only)."""
    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        abort(404)
    expires = _int_arg("exp")
    if expires is None or not storage.verify(key, expires, request.args.get("sig", "")):
        abort(404)  # tampered and expired links look like missing files: nothing to probe
    try:
        data = storage.get(key)  # read whole (≤ PHOTO_MAX_BYTES): no file handle outlives the request
    except KeyError:
        abort(404)
    response = Response(data, mimetype=storage.content_type(key))
    response.set_etag(hashlib.sha256(key.encode()).hexdigest())  # a key's content never changes
    # Never cached longer than the link is valid, and never by a shared cache.
    response.headers["Cache-Control"] = f"private, max-age={max(0, expires - int(time.time()))}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.make_conditional(request)  # 304 for a matching If-None-Match
    return response


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None
