"""Marshmallow schemas for photos: the upload form and the photo as the API shows it."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from server.photos.models import Photo, PhotoKind
from server.photos.operations import photo_urls


class UploadPhotoSchema(Schema):
    """The non-file fields of ``POST /photos`` (multipart form fields, so all strings on the wire)."""

    client_id = fields.UUID(load_default=None)
    kind = fields.String(load_default=PhotoKind.BEFORE.value, validate=validate.OneOf([k.value for k in PhotoKind]))
    # The phone's own fix at capture time (Geolocation API): the real source of the place.
    device_lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    device_lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))
    device_accuracy_m = fields.Float(load_default=None, validate=validate.Range(min=0))
    device_fix_at = fields.AwareDateTime(load_default=None)
    # EXIF the client read before shrinking the photo; used only when the file has none left.
    # A naive time is EXIF's local wall-clock time, placed in XUNCHA_TIMEZONE by the operation.
    exif_taken_at = fields.DateTime(load_default=None)
    exif_lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    exif_lon = fields.Float(load_default=None, validate=validate.Range(-180, 180))

    @pre_load
    def drop_empty_fields(self, data: Any, **_kwargs: Any) -> Any:
        """An empty form field means "not given" (a form cannot send null)."""
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value not in ("", None)}
        return data

    @validates_schema
    def coordinates_in_pairs(self, data: dict[str, Any], **_kwargs: Any) -> None:
        for prefix in ("device", "exif"):
            if (data.get(f"{prefix}_lat") is None) != (data.get(f"{prefix}_lon") is None):
                message = "纬度和经度必须同时提供 (latitude and longitude go together)"
                raise ValidationError(message, field_name=f"{prefix}_lon")


class PhotoSchema(Schema):
    """A photo as clients see it; the URLs are fresh, short-lived and signed."""

    id = fields.String(attribute="public_id")
    kind = fields.String()
    content_type = fields.String()
    width = fields.Integer()
    height = fields.Integer()
    taken_at = fields.AwareDateTime(allow_none=True)
    exif_lat = fields.Float(allow_none=True)
    exif_lon = fields.Float(allow_none=True)
    device_lat = fields.Float(allow_none=True)
    device_lon = fields.Float(allow_none=True)
    device_accuracy_m = fields.Float(allow_none=True)
    device_fix_at = fields.AwareDateTime(allow_none=True)
    sha256 = fields.String()
    size_bytes = fields.Integer()
    created_at = fields.AwareDateTime()
    urls = fields.Method(
        "get_urls", metadata={"type": "object", "description": "signed URLs: display, thumb, original"}
    )

    def get_urls(self, photo: Photo) -> dict[str, str]:
        return photo_urls(photo)
