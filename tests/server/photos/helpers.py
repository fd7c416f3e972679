"""Test photos made in memory, and the shared samples by folder."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "testdata" / "exif-samples"


def samples(folder: str) -> list[str]:
    """The sample files under ``folder`` (relative to the samples root), for parametrize."""
    paths = (SAMPLES / folder).rglob("*")
    return sorted(str(p.relative_to(SAMPLES)) for p in paths if p.is_file() and p.name != "README")


def open_image(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    img.load()
    return img


def jpeg_with_metadata(size: tuple[int, int] = (800, 600), orientation: int = 1) -> bytes:
    """A JPEG carrying EXIF (with GPS and orientation), XMP, an ICC profile and a comment."""
    from PIL import ExifTags, ImageCms

    img = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "TestPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (26.0, 53.0, 24.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 34.0, 12.0)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:03:01 09:30:00"
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", exif=exif, icc_profile=icc, xmp=b"<x:xmpmeta>secret place</x:xmpmeta>", comment=b"secret")
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height`` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return len(payload).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 2, 0, 0, 0])
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_with_alpha(size: tuple[int, int] = (300, 200)) -> bytes:
    img = Image.new("RGBA", size, (255, 0, 0, 0))
    img.paste((0, 0, 255, 255), (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    img.save(buffer, "PNG")
    return buffer.getvalue()


def encoded(img: Image.Image, format: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format, **params)
    return buffer.getvalue()


@dataclass
class HttpResponse:
    """What a test needs of a response, whether from the test client or from real HTTP."""

    status_code: int
    data: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def mimetype(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip()

    def get_json(self) -> Any:
        import json

        return json.loads(self.data)

    def __enter__(self) -> HttpResponse:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None


def fetch_url(client: Any, url: str) -> HttpResponse:
    """GET a photo link with no login: app links (local storage) through the Flask test client,
    absolute links (presigned S3 URLs) over real HTTP, since the store itself must answer."""
    if url.startswith(("http://", "https://")):
        import requests

        answer = requests.get(url, timeout=10)
        return HttpResponse(answer.status_code, answer.content, dict(answer.headers))
    response = client.get(url)
    try:
        return HttpResponse(response.status_code, response.get_data(), dict(response.headers))
    finally:
        response.close()  # release the file the route streamed from


def cache_lifetime(response: HttpResponse) -> float:
    """How long a cache may keep ``response``: its max-age, else Expires minus the server's Date."""
    from email.utils import parsedate_to_datetime

    cache_control = response.headers.get("Cache-Control", "")
    if "max-age=" in cache_control:
        return int(cache_control.split("max-age=")[1].split(",")[0])
    expires = parsedate_to_datetime(response.headers["Expires"])
    date = parsedate_to_datetime(response.headers["Date"])
    return (expires - date).total_seconds()
