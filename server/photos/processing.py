"""Checking an uploaded photo and making its derivatives: bytes in, a ProcessedPhoto out.

Pure image work, no Flask and no database, so it can run in a worker as well as
in a request. Everything here treats the bytes as hostile: the type is sniffed
from the content, the pixel count is checked before decoding, the file is
decoded completely, and junk metadata never refuses an otherwise good photo.

Fast, because a phone is waiting (see bench/photos.py for the figures):

- a JPEG is decoded at the smallest DCT scale (1/2, 1/4, 1/8) that still covers
  the display size, straight to YCbCr when no colour profile needs converting
  (the JPEG encoder takes YCbCr as it is: two colour conversions saved);
- other formats are box-reduced by an integer factor before the real resize;
- the resize and the turn upright run in two horizontal bands on two cores
  (Pillow releases the GIL there), while the structure check and SHA-256 run
  beside the decode;
- the thumbnail is made from the display image, and each output is encoded once.
"""

from __future__ import annotations

import hashlib
import struct
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, tzinfo
from io import BytesIO

import imagehash
import pillow_heif
from PIL import Image, ImageCms

from server.photos.exif import gps_coordinates, orientation_of, read_exif, taken_at
from server.photos.sniffing import (
    HEIC,
    HEIF,
    JPEG,
    CorruptImage,
    FileTooLarge,
    ImageType,
    PhotoRejected,
    TooManyPixels,
    UnsupportedType,
    check_heif_structure,
    check_jpeg_structure,
    sniff_type,
)

__all__ = ["CorruptImage", "FileTooLarge", "PhotoRejected", "ProcessedPhoto", "TooManyPixels", "UnsupportedType"]

# HEIC/HEIF through pillow-heif; only the primary image is wanted, never its
# thumbnails, depth maps or auxiliary images.
pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)

# Pillow only *warns* up to twice MAX_IMAGE_PIXELS; a warning that is merely
# logged would let a decompression bomb through, so it is an error here (the
# pixel check in _open_image is a second line of defence if filters change).
warnings.simplefilter("error", Image.DecompressionBombWarning)

DISPLAY_LONG_EDGE = 1600
THUMB_LONG_EDGE = 320
JPEG_QUALITY = 82
# Bilinear (Pillow's, with proper antialiasing): the display step is small (≤ 2×
# after the DCT scaling or reduce()), where it looks like bicubic at two thirds of the cost.
_RESAMPLE = Image.Resampling.BILINEAR
# Below this many output pixels a second thread costs more than it saves.
_PARALLEL_MIN_PIXELS = 400_000

# Two workers: this machine class has two cores; work is queued, never nested, so it cannot deadlock.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="photo")


@dataclass(frozen=True)
class ProcessedPhoto:
    image_type: ImageType
    sha256: str
    size_bytes: int
    width: int  # upright, of the original
    height: int
    taken_at: datetime | None  # UTC-aware
    exif_lat: float | None
    exif_lon: float | None
    phash: str  # 64-bit perceptual hash of the upright thumbnail, 16 hex digits
    display: bytes  # JPEG, upright, no metadata
    thumb: bytes


def process_photo(data: bytes, *, max_bytes: int, max_pixels: int, local_tz: tzinfo) -> ProcessedPhoto:
    """Check ``data`` and make its derivatives; raise a PhotoRejected subclass if it is no good."""
    if len(data) > max_bytes:
        raise FileTooLarge(f"{len(data)} bytes > {max_bytes}")
    image_type = sniff_type(data)
    integrity = _POOL.submit(_check_and_hash, data, image_type)  # beside the decode
    try:
        img = _open_image(data, image_type, max_pixels)
        exif = read_exif(img)
        orientation = orientation_of(exif)
        width, height = _upright_size(img.size, orientation)
        display = _make_display(img, orientation)
    except PhotoRejected:
        integrity.result()  # a broken structure is the better reason: it names the damage
        raise
    sha256 = integrity.result()
    thumb = _make_thumb(display)
    lat, lon = gps_coordinates(exif)
    return ProcessedPhoto(
        image_type=image_type,
        sha256=sha256,
        size_bytes=len(data),
        width=width,
        height=height,
        taken_at=taken_at(exif, local_tz),
        exif_lat=lat,
        exif_lon=lon,
        phash=perceptual_hash(thumb),
        display=encode_jpeg(display),
        thumb=encode_jpeg(thumb),
    )


def perceptual_hash(img: Image.Image) -> str:
    """imagehash's pHash (DCT of a 32×32 grey copy): survives re-encoding and resizing."""
    return str(imagehash.phash(img))


def phash_distance(a: str, b: str) -> int:
    """How many of the 64 bits differ."""
    return (int(a, 16) ^ int(b, 16)).bit_count()


# -- checking ------------------------------------------------------------------------------


def _check_and_hash(data: bytes, image_type: ImageType) -> str:
    """Refuse a damaged structure (Pillow and libheif decode some quietly); the SHA-256 of the bytes as sent."""
    if image_type is JPEG:
        check_jpeg_structure(data)
    elif image_type in (HEIC, HEIF):
        check_heif_structure(data)
    return hashlib.sha256(data).hexdigest()


# -- decoding ------------------------------------------------------------------------------

# What Pillow's decoders raise on hostile or damaged input. Warning: a decoder
# warning raised as an error (under ``-W error``) has already aborted the decode.
_DECODER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError, struct.error, Warning)


def _open_image(data: bytes, image_type: ImageType, max_pixels: int) -> Image.Image:
    """Open (headers only) with the one plugin the sniffed type allows; check the pixel count."""
    try:
        img = Image.open(BytesIO(data), formats=[image_type.pillow_format])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels(str(exc)) from exc
    except _DECODER_ERRORS as exc:  # includes UnidentifiedImageError
        raise CorruptImage(str(exc)) from exc
    width, height = img.size
    if width < 1 or height < 1 or width * height > min(max_pixels, Image.MAX_IMAGE_PIXELS or max_pixels):
        raise TooManyPixels(f"{width}×{height} pixels")
    return img


def _make_display(img: Image.Image, orientation: int) -> Image.Image:
    """Decode completely (a damaged file fails here), shrink, convert to sRGB, turn upright."""
    target = _fit(img.size, DISPLAY_LONG_EDGE)
    icc = _foreign_profile(img.info.get("icc_profile"))
    # JPEG only: libjpeg scales by 1/2, 1/4 or 1/8 while decoding (much faster, far
    # less memory), the largest that still covers the target; every scan is still
    # read, so truncation is still caught. YCbCr unless a profile must be applied.
    img.draft("RGB" if icc else "YCbCr", target)
    _decode(img)
    img = _normalize_mode(img)
    img = _reduce(img, target)
    img = _shrink_upright(img, target, _TRANSPOSE.get(orientation))
    if icc:
        return _to_srgb(img, icc)
    return img if img.mode in ("RGB", "YCbCr") else img.convert("RGB")  # grey and CMYK: colour JPEGs for all


def _decode(img: Image.Image) -> None:
    try:
        img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels(str(exc)) from exc
    except _DECODER_ERRORS as exc:
        raise CorruptImage(str(exc)) from exc


def _fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """``size`` scaled down so its long edge is ``long_edge``; never scaled up."""
    width, height = size
    scale = long_edge / max(width, height)
    if scale >= 1:
        return width, height
    return max(1, round(width * scale)), max(1, round(height * scale))


def _reduce(img: Image.Image, target: tuple[int, int]) -> Image.Image:
    """An integer box reduction first, so the real resize has at most a 2× step left (cheap, and sharp enough)."""
    factor = min(img.width // target[0], img.height // target[1]) // 2
    return img.reduce(factor) if factor >= 2 else img


def _normalize_mode(img: Image.Image) -> Image.Image:
    """RGB, YCbCr, L or CMYK (the modes the next steps understand); transparency onto white."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if img.mode in ("RGB", "YCbCr", "L", "CMYK"):
        return img
    if img.mode.startswith("I;16"):
        # 16-bit grey: Pillow's own conversion would clip everything above 255 to white.
        return img.convert("I").point(lambda value: value / 257).convert("L")
    return img.convert("RGB")


# -- resizing and turning upright, in two bands --------------------------------------------

_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def _shrink_upright(img: Image.Image, target: tuple[int, int], method: Image.Transpose | None) -> Image.Image:
    """Resize to ``target`` and apply the EXIF orientation, exactly once.

    The derivatives carry no Orientation tag, so no browser can apply it a second time.
    """
    width, height = target
    if target == img.size:  # already small enough (a client-shrunk photo): no resampling at all
        return img.transpose(method) if method is not None else img
    if width * height < _PARALLEL_MIN_PIXELS or height < 2:
        return _band(img, target, 0, height, method)
    middle = height // 2
    lower = _POOL.submit(_band, img, target, middle, height, method)
    upper = _band(img, target, 0, middle, method)
    return _join(upper, lower.result(), target, middle, method)


def _band(
    img: Image.Image, target: tuple[int, int], top: int, bottom: int, method: Image.Transpose | None
) -> Image.Image:
    """Output rows ``top``–``bottom`` of the resized image, turned by ``method``."""
    width, height = target
    scale = img.height / height
    box = (0.0, top * scale, float(img.width), bottom * scale)
    # Same filter centres and support as one resize of the whole (the support reaches
    # across the band edge into the neighbouring rows): the bands join without a seam.
    band = img.resize((width, bottom - top), _RESAMPLE, box=box)
    return band.transpose(method) if method is not None else band


def _join(
    upper: Image.Image, lower: Image.Image, target: tuple[int, int], middle: int, method: Image.Transpose | None
) -> Image.Image:
    """Paste the two turned bands where the whole image, turned, would have them."""
    width, height = target
    size = (height, width) if method in _SWAPS_AXES else (width, height)
    out = Image.new(upper.mode, size)
    for band, top, bottom in ((upper, 0, middle), (lower, middle, height)):
        out.paste(band, _band_origin(method, top, bottom, height))
    return out


_SWAPS_AXES = frozenset(
    {Image.Transpose.TRANSPOSE, Image.Transpose.TRANSVERSE, Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270}
)


def _band_origin(method: Image.Transpose | None, top: int, bottom: int, height: int) -> tuple[int, int]:
    """Where rows ``top``–``bottom`` land after ``method``: rows stay rows, or become columns; reversed or not."""
    if method in (None, Image.Transpose.FLIP_LEFT_RIGHT):
        return 0, top
    if method in (Image.Transpose.ROTATE_180, Image.Transpose.FLIP_TOP_BOTTOM):
        return 0, height - bottom
    if method in (Image.Transpose.TRANSPOSE, Image.Transpose.ROTATE_90):
        return top, 0
    return height - bottom, 0  # ROTATE_270, TRANSVERSE


def _upright_size(size: tuple[int, int], orientation: int) -> tuple[int, int]:
    width, height = size
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _make_thumb(display: Image.Image) -> Image.Image:
    """From the display image (already small and upright): box-reduce, then a small resize if any is left."""
    target = _fit(display.size, THUMB_LONG_EDGE)
    factor = min(display.width // target[0], display.height // target[1])
    thumb = display.reduce(factor) if factor >= 2 else display
    return thumb if thumb.size == target else thumb.resize(target, _RESAMPLE)


# -- colour --------------------------------------------------------------------------------

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _foreign_profile(icc: bytes | None) -> ImageCms.ImageCmsProfile | None:
    """The embedded ICC profile if it is not (a variant of) sRGB: only those need converting."""
    if not icc:
        return None
    try:
        profile = ImageCms.ImageCmsProfile(BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return None
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None  # a broken profile: keep the pixels as they are
    return profile


def _to_srgb(img: Image.Image, profile: ImageCms.ImageCmsProfile) -> Image.Image:
    """Plain sRGB pixels: the derivatives carry no profile, so convert rather than drop it
    (an iPhone's Display P3 photo would otherwise look washed out)."""
    try:
        converted = ImageCms.profileToProfile(img, profile, _SRGB, outputMode="RGB")
        if converted is not None:
            return converted
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        pass  # a profile that does not fit the pixels (e.g. an RGB profile on grey): keep them
    return img if img.mode == "RGB" else img.convert("RGB")


# -- encoding ------------------------------------------------------------------------------


def encode_jpeg(img: Image.Image) -> bytes:
    """Baseline JPEG with the standard Huffman tables, no metadata.

    Not progressive (a second, slower pass) and not ``optimize``: on real photos the
    optimised tables save about 2 % of the bytes for up to three times the encoding time.
    """
    img.info = {}  # no EXIF, XMP, ICC or comment: Pillow copies a comment from info otherwise
    buffer = BytesIO()
    img.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue()
