"""Web-Mercator tiles and their Z-order (Morton) keys: the grid the map is indexed and clustered on.

An issue's ``geokey`` interleaves the bits of the x and y of the tile that holds it
at zoom ``KEY_ZOOM`` (about 0.5 m across here): a geohash in integer form, built
on the same tiles Leaflet draws. Two properties make it useful:

- the tile that holds a point at any coarser zoom ``z`` is ``geokey >> 2 * (KEY_ZOOM - z)``,
  so one integer column gives every level of the cluster grid;
- every tile is one contiguous range of keys, so a viewport is a handful of
  ``BETWEEN`` ranges on a plain B-tree index (``cover``).

Coordinates are WGS-84 as stored; Web Mercator is only the grid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal_column

KEY_ZOOM = 26  # 2 x 26 bits: below 2**53, exact in JSON and in a float
MAX_LAT = 85.05112878  # Web Mercator's limit

BBox = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat


def tile_xy(lat: float, lon: float, zoom: int) -> tuple[int, int]:
    """The tile (x, y) that holds a point at ``zoom``; y grows southwards as in Leaflet."""
    n = 1 << zoom
    lat = min(max(lat, -MAX_LAT), MAX_LAT)
    x = int((lon + 180.0) / 360.0 * n)
    s = math.sin(math.radians(lat))
    y = int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def _spread(v: int) -> int:
    """Put the bits of a 32-bit number on the even bit positions."""
    v &= 0xFFFFFFFF
    v = (v | (v << 16)) & 0x0000FFFF0000FFFF
    v = (v | (v << 8)) & 0x00FF00FF00FF00FF
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v << 2)) & 0x3333333333333333
    return (v | (v << 1)) & 0x5555555555555555


def _compact(v: int) -> int:
    """The inverse of ``_spread``: the even bits, packed."""
    v &= 0x5555555555555555
    v = (v | (v >> 1)) & 0x3333333333333333
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FF
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFF
    return (v | (v >> 16)) & 0xFFFFFFFF


def interleave(x: int, y: int) -> int:
    return _spread(x) | (_spread(y) << 1)


def deinterleave(key: int) -> tuple[int, int]:
    return _compact(key), _compact(key >> 1)


def geokey(lat: float, lon: float) -> int:
    return interleave(*tile_xy(lat, lon, KEY_ZOOM))


def cell_of(key: int, level: int) -> int:
    """The level-``level`` cell holding a ``KEY_ZOOM`` key."""
    return key >> (2 * (KEY_ZOOM - level))


def shifted(column: Any, bits: int) -> Any:
    """SQL for ``column >> bits``, the shift written as a literal (PostgreSQL has bigint >> integer only,
    and a GROUP BY must repeat the very same expression)."""
    return column.op(">>")(literal_column(str(int(bits)))) if bits else column


def tile_bounds(x: int, y: int, zoom: int) -> BBox:
    n = 1 << zoom

    def lat(row: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def cell_bounds(cell: int, level: int) -> BBox:
    return tile_bounds(*deinterleave(cell), level)


@dataclass(frozen=True)
class TileRect:
    """The tiles at ``zoom`` that a bounding box touches, inclusive."""

    zoom: int
    x0: int
    y0: int
    x1: int
    y1: int

    @classmethod
    def of(cls, bbox: BBox, zoom: int) -> TileRect:
        min_lon, min_lat, max_lon, max_lat = bbox
        x0, y0 = tile_xy(max_lat, min_lon, zoom)  # north-west corner: smallest x and y
        x1, y1 = tile_xy(min_lat, max_lon, zoom)
        return cls(zoom, x0, y0, x1, y1)

    def holds(self, cell: int) -> bool:
        x, y = deinterleave(cell)
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    @property
    def size(self) -> int:
        return (self.x1 - self.x0 + 1) * (self.y1 - self.y0 + 1)


def cover(bbox: BBox, level: int, max_ranges: int = 16) -> list[tuple[int, int]]:
    """Inclusive ranges of level-``level`` keys that hold every point of ``bbox``.

    Quadtree cells are split, coarsest first, while they straddle the edge of
    the box and the budget of ``max_ranges`` allows; what is left whole makes
    the cover a little larger than the box, never smaller. Callers filter
    exactly (lat/lon, or ``TileRect.holds``) afterwards.
    """
    rect = TileRect.of(bbox, level)
    start = next(
        s
        for s in range(level, -1, -1)
        if (rect.x1 >> (level - s)) - (rect.x0 >> (level - s)) <= 1
        and (rect.y1 >> (level - s)) - (rect.y0 >> (level - s)) <= 1
    )  # the finest zoom at which the box fits in 2x2 cells
    pending = [
        (start, x, y)
        for x in range(rect.x0 >> (level - start), (rect.x1 >> (level - start)) + 1)
        for y in range(rect.y0 >> (level - start), (rect.y1 >> (level - start)) + 1)
    ]
    done: list[tuple[int, int, int]] = []
    while pending:
        zoom, x, y = pending.pop(0)  # breadth first: coarse cells are split before fine ones
        shift = level - zoom
        inside = rect.x0 <= x << shift and (x + 1) << shift <= rect.x1 + 1
        inside = inside and rect.y0 <= y << shift and (y + 1) << shift <= rect.y1 + 1
        children = [] if inside or zoom == level else _children_in(rect, zoom, x, y)
        if children and len(done) + len(pending) + len(children) <= max_ranges:
            pending.extend(children)
        else:
            done.append((zoom, x, y))
    ranges = sorted(_key_range(zoom, x, y, level) for zoom, x, y in done)
    return _merge(ranges)


def _children_in(rect: TileRect, zoom: int, x: int, y: int) -> list[tuple[int, int, int]]:
    shift = rect.zoom - zoom - 1
    out = []
    for cx in (2 * x, 2 * x + 1):
        for cy in (2 * y, 2 * y + 1):
            overlaps_x = (cx + 1) << shift > rect.x0 and cx << shift <= rect.x1
            overlaps_y = (cy + 1) << shift > rect.y0 and cy << shift <= rect.y1
            if overlaps_x and overlaps_y:
                out.append((zoom + 1, cx, cy))
    return out


def _key_range(zoom: int, x: int, y: int, level: int) -> tuple[int, int]:
    shift = 2 * (level - zoom)
    low = interleave(x, y) << shift
    return low, low + (1 << shift) - 1


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for low, high in ranges:
        if merged and low <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def zoom_for(bbox: BBox, width_px: int = 1024) -> int:
    """The highest Leaflet zoom at which ``bbox`` is less than ``width_px`` pixels across and high."""
    zoom = 22
    while zoom > 0:
        rect = TileRect.of(bbox, zoom + 8)  # pixels: tiles of 256 = 2**8
        if rect.x1 - rect.x0 < width_px and rect.y1 - rect.y0 < width_px:
            break
        zoom -= 1
    return zoom
