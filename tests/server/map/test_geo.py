"""The grid: Z-order keys, tile bounds, and viewport covers that never miss a point."""

from __future__ import annotations

import itertools
import random

import pytest

from server.map import geo


def test_interleave_round_trip() -> None:
    rnd = random.Random(1)
    for _ in range(500):
        x, y = rnd.getrandbits(geo.KEY_ZOOM), rnd.getrandbits(geo.KEY_ZOOM)
        assert geo.deinterleave(geo.interleave(x, y)) == (x, y)


def test_a_coarser_cell_is_a_prefix_of_the_key() -> None:
    lat, lon = 26.8600, 112.6000
    key = geo.geokey(lat, lon)
    for zoom in range(0, geo.KEY_ZOOM + 1):
        assert geo.deinterleave(geo.cell_of(key, zoom)) == geo.tile_xy(lat, lon, zoom)
    assert key < 2**53  # exact in JSON and JavaScript


def test_tile_bounds_hold_the_point() -> None:
    lat, lon = 26.8600, 112.6000
    for zoom in (8, 14, 17, 22):
        min_lon, min_lat, max_lon, max_lat = geo.tile_bounds(*geo.tile_xy(lat, lon, zoom), zoom)
        assert min_lon <= lon < max_lon
        assert min_lat < lat <= max_lat


@pytest.mark.parametrize("level", [10, 14, 17, geo.KEY_ZOOM])
@pytest.mark.parametrize("budget", [1, 4, 16, 32])
def test_cover_holds_every_point_of_the_box(level: int, budget: int) -> None:
    rnd = random.Random(level * 100 + budget)
    for _ in range(40):
        lon, lat = 112.6 + rnd.uniform(-0.2, 0.2), 26.9 + rnd.uniform(-0.2, 0.2)
        size = rnd.choice([0.0005, 0.01, 0.1])
        bbox = (lon, lat, lon + size * rnd.random(), lat + size * rnd.random())
        ranges = geo.cover(bbox, level, budget)
        assert len(ranges) <= max(budget, 4)
        assert all(low <= high for low, high in ranges)
        assert all(a[1] + 1 < b[0] for a, b in itertools.pairwise(ranges))  # sorted, merged
        for _ in range(50):
            plon, plat = rnd.uniform(bbox[0], bbox[2]), rnd.uniform(bbox[1], bbox[3])
            cell = geo.cell_of(geo.geokey(plat, plon), level)
            assert any(low <= cell <= high for low, high in ranges)


def test_cover_stays_close_to_the_box() -> None:
    """A 1 km box: the ranges a viewport query reads cover little more than the box."""
    bbox = (112.600, 26.900, 112.610, 26.909)
    rect = geo.TileRect.of(bbox, 18)
    covered = sum(high - low + 1 for low, high in geo.cover(bbox, 18, 16))
    assert covered <= 2 * rect.size


def test_tile_rect_holds() -> None:
    bbox = (112.59, 26.85, 112.62, 26.875)
    rect = geo.TileRect.of(bbox, 15)
    inside = geo.cell_of(geo.geokey(26.86, 112.60), 15)
    outside = geo.cell_of(geo.geokey(26.95, 112.70), 15)
    assert rect.holds(inside)
    assert not rect.holds(outside)


def test_zoom_for_a_box() -> None:
    city = (112.45, 26.76, 112.75, 27.04)  # about 30 km
    assert geo.zoom_for(city, 1024) in (11, 12)
    assert geo.zoom_for(city, 4096) == geo.zoom_for(city, 1024) + 2
    assert geo.zoom_for((112.6, 26.9, 112.6, 26.9)) == 22
