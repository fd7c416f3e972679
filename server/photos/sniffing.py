"""What an uploaded file really is: the type from its bytes, and whether its structure is whole.

Never trusts the file name or the Content-Type. Pillow and libheif decode some
broken files without complaint (a JPEG whose scan data is cut, a truncated HEIC
painted green), so the structure is checked here before decoding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


class PhotoRejected(Exception):
    """The upload is not a photo we can keep; ``reason`` says why, for programs."""

    reason = "rejected"


class UnsupportedType(PhotoRejected):
    reason = "unsupported_type"


class FileTooLarge(PhotoRejected):
    reason = "file_too_large"


class TooManyPixels(PhotoRejected):
    reason = "too_many_pixels"


class CorruptImage(PhotoRejected):
    reason = "corrupt_image"


@dataclass(frozen=True)
class ImageType:
    pillow_format: str
    content_type: str
    extension: str


JPEG = ImageType("JPEG", "image/jpeg", "jpg")
PNG = ImageType("PNG", "image/png", "png")
WEBP = ImageType("WEBP", "image/webp", "webp")
HEIC = ImageType("HEIF", "image/heic", "heic")
HEIF = ImageType("HEIF", "image/heif", "heif")


# -- what is it? ---------------------------------------------------------------------------

_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})


def sniff_type(data: bytes) -> ImageType:
    """The type from the first bytes; the file name and the Content-Type header are never trusted."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data[4:8] == b"ftyp":
        return _sniff_heif(data)
    raise UnsupportedType("not a JPEG, PNG, WebP or HEIC/HEIF file")


def _sniff_heif(data: bytes) -> ImageType:
    box_size = int.from_bytes(data[:4], "big")
    header = data[8 : min(box_size, 256)]
    major = header[:4]
    compatible = {header[i : i + 4] for i in range(8, len(header) - 3, 4)}
    if major in _HEIC_BRANDS or (major in _HEIF_BRANDS and compatible & _HEIC_BRANDS):
        return HEIC
    if major in _HEIF_BRANDS and b"avif" not in compatible:
        return HEIF
    raise UnsupportedType(f"ISO media brand {major!r} is not HEIC/HEIF")


# -- is it whole? --------------------------------------------------------------------------

_SOS, _EOI = 0xDA, 0xD9
_RST = range(0xD0, 0xD8)
_SEGMENT_MARKERS = frozenset([*range(0xC0, 0xD0), *range(0xDA, 0xE0), *range(0xE0, 0xF0), 0xFE])
_AFTER_SCAN_MARKERS = frozenset([0xC4, 0xCC, 0xDA, 0xDB, 0xDC, 0xDD, 0xD9, 0xFE, *range(0xE0, 0xF0)])
# Inside entropy-coded data 0xFF is followed by a 0x00 stuffing byte unless it starts a marker.
_MARKER_IN_SCAN = re.compile(rb"\xff(?=[^\x00])")


def check_jpeg_structure(data: bytes) -> None:
    """Walk the JPEG's segments up to EOI; refuse damaged scans and missing ends.

    libjpeg only *warns* about corrupt entropy data ("found marker 0x9f instead
    of RST4") and Pillow discards those warnings, decoding the damage into grey
    smears. Stray markers inside a scan and a file that stops before EOI are the
    visible signs of such damage; trailing data after EOI is normal (phones
    append extra images there).
    """
    pos = 2  # after SOI
    while True:
        marker, pos = _read_marker(data, pos)
        if marker == _EOI:
            return
        if marker not in _SEGMENT_MARKERS:
            raise CorruptImage(f"unexpected JPEG marker 0x{marker:02x}")
        if pos + 2 > len(data):
            raise CorruptImage("JPEG ends inside a segment header")
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise CorruptImage("JPEG segment runs past the end of the file")
        pos += length
        if marker == _SOS:
            pos = _skip_scan(data, pos)


def _read_marker(data: bytes, pos: int) -> tuple[int, int]:
    # Like libjpeg, tolerate stray bytes *between* segments; they lose no image data.
    start = data.find(b"\xff", pos)
    while 0 <= start < len(data) - 1 and data[start + 1] == 0xFF:
        start += 1
    if start < 0 or start >= len(data) - 1:
        raise CorruptImage("JPEG ends before its end-of-image marker")
    return data[start + 1], start + 2


def _skip_scan(data: bytes, pos: int) -> int:
    """The position of the marker that ends the scan starting at ``pos``."""
    expected_restart = 0
    while match := _MARKER_IN_SCAN.search(data, pos):
        start = pos = match.start()
        while pos < len(data) and data[pos] == 0xFF:  # fill bytes before the marker
            pos += 1
        if pos == len(data):
            break
        marker = data[pos]
        if marker not in _RST:
            if marker not in _AFTER_SCAN_MARKERS:
                raise CorruptImage(f"JPEG scan data broken by marker 0x{marker:02x}")
            return start
        if marker - 0xD0 != expected_restart:
            raise CorruptImage("JPEG restart markers out of sequence")
        expected_restart = (expected_restart + 1) % 8
    raise CorruptImage("JPEG ends inside its image data")


def check_heif_structure(data: bytes) -> None:
    """Every top-level ISO media box must fit in the file.

    libheif decodes a truncated HEIC without an error, painting the missing
    tiles green; a box that claims more bytes than remain is how truncation shows.
    """
    pos = 0
    while pos < len(data):
        if pos + 8 > len(data):
            raise CorruptImage("HEIF ends inside a box header")
        size, header = int.from_bytes(data[pos : pos + 4], "big"), 8
        if size == 1:  # a 64-bit size follows the type
            if pos + 16 > len(data):
                raise CorruptImage("HEIF ends inside a box header")
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0:  # "to the end of the file"
            size = len(data) - pos
        if size < header or pos + size > len(data):
            raise CorruptImage(f"HEIF box {data[pos + 4 : pos + 8]!r} runs past the end of the file")
        pos += size
