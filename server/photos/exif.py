"""Facts from a photo's EXIF: orientation, time taken, GPS.

Phones and cameras write odd values (empty tags, wrong types, huge numbers);
none of them may refuse an otherwise good photo, so every reader here returns
None rather than raise.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from PIL import ExifTags, Image


def read_exif(img: Image.Image) -> Image.Exif | None:
    """The EXIF block, or None; metadata is a bonus, junk in it never refuses a photo."""
    try:
        exif = img.getexif()
        exif.get_ifd(ExifTags.IFD.Exif)  # parse the sub-IFDs now, so their errors land here
        exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # EXIF parsers raise anything on hostile input
        return None
    return exif


def orientation_of(exif: Image.Exif | None) -> int:
    value = exif.get(ExifTags.Base.Orientation) if exif is not None else None
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


_EXIF_DATETIME = re.compile(r"(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})")
_EXIF_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


def taken_at(exif: Image.Exif | None, local_tz: tzinfo) -> datetime | None:
    """DateTimeOriginal as UTC; local wall-clock time in ``local_tz`` unless OffsetTimeOriginal says otherwise."""
    if exif is None:
        return None
    ifd = exif.get_ifd(ExifTags.IFD.Exif)
    local = parse_exif_datetime(ifd.get(ExifTags.Base.DateTimeOriginal))
    if local is None:
        return None
    zone = parse_exif_offset(ifd.get(ExifTags.Base.OffsetTimeOriginal)) or local_tz
    return local.replace(tzinfo=zone).astimezone(UTC)


def parse_exif_datetime(value: Any) -> datetime | None:
    """``"2021:04:11 15:47:53"`` → a naive datetime; None for blanks, zeros and junk."""
    match = _EXIF_DATETIME.match(_text(value))
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second)  # naive: the caller knows the zone
    except ValueError:  # "0000:00:00 00:00:00", a 13th month …
        return None


def parse_exif_offset(value: Any) -> timezone | None:
    match = _EXIF_OFFSET.fullmatch(_text(value))
    if match is None:
        return None
    sign, hours, minutes = match.groups()
    offset = timedelta(hours=int(hours), minutes=int(minutes))
    if offset > timedelta(hours=14) or int(minutes) >= 60:
        return None
    return timezone(-offset if sign == "-" else offset)


def gps_coordinates(exif: Image.Exif | None) -> tuple[float | None, float | None]:
    """EXIF GPS as decimal degrees (WGS-84), or (None, None) when absent, void or implausible."""
    if exif is None:
        return None, None
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    if _text(gps.get(ExifTags.GPS.GPSStatus)).upper() == "V":  # receiver said: no valid fix
        return None, None
    lat = _coordinate(gps.get(ExifTags.GPS.GPSLatitude), gps.get(ExifTags.GPS.GPSLatitudeRef), "N", "S", 90)
    lon = _coordinate(gps.get(ExifTags.GPS.GPSLongitude), gps.get(ExifTags.GPS.GPSLongitudeRef), "E", "W", 180)
    if lat is None or lon is None or (lat == 0 and lon == 0):  # 0,0: a device writing a fix it never had
        return None, None
    return lat, lon


def _coordinate(value: Any, ref: Any, positive: str, negative: str, limit: float) -> float | None:
    """Degrees, minutes, seconds (rationals) and a hemisphere letter → signed decimal degrees."""
    parts = _numbers(value)
    hemisphere = _text(ref).upper()
    if parts is None or not 1 <= len(parts) <= 3 or hemisphere not in (positive, negative):
        return None
    degrees, minutes, seconds = (*parts, 0.0, 0.0)[:3]
    if not (0 <= minutes < 60 and 0 <= seconds < 60 and degrees >= 0):
        return None
    decimal = degrees + minutes / 60 + seconds / 3600
    if decimal > limit:
        return None
    return round(-decimal if hemisphere == negative else decimal, 7)


def _numbers(value: Any) -> tuple[float, ...] | None:
    """A tuple of finite floats from EXIF rationals (IFDRational, (num, den) pairs or plain numbers)."""
    if not isinstance(value, tuple | list):
        value = (value,)
    numbers = []
    for item in value:
        try:
            number = item[0] / item[1] if isinstance(item, tuple) else float(item)
        except (TypeError, ValueError, ZeroDivisionError, IndexError):
            return None
        if not math.isfinite(number):
            return None
        numbers.append(float(number))
    return tuple(numbers)


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return value.strip("\x00 ") if isinstance(value, str) else ""
