"""GET /api/v1/map/config and the provider table: OSM by default, Tianditu with its key, AMap in GCJ-02."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from server.map.tiles import PROVIDERS, MapConfigError, map_config, parse_center

MAP_KEYS = ("MAP_TILES", "MAP_TILE_URL", "TIANDITU_KEY", "MAP_CENTER", "MAP_ZOOM")


@pytest.fixture
def map_settings(app: Flask) -> Iterator[Callable[..., None]]:
    """map_settings(MAP_TILES="amap", …): change the map settings for the rest of the test."""
    before = {key: app.config[key] for key in MAP_KEYS}

    def _set(**values: Any) -> None:
        app.config.update(values)

    yield _set
    app.config.update(before)


def test_default_is_openstreetmap_over_the_demo_city(supervisor: Any) -> None:
    response = supervisor.get("/api/v1/map/config")
    assert response.status_code == 200
    body = response.get_json()
    assert body["provider"] == "osm"
    assert body["datum"] == "wgs84"
    [layer] = body["layers"]
    assert layer["url"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in layer["attribution"]
    assert layer["max_zoom"] == 19
    assert body["center"] == {"lat": 26.88, "lon": 112.59}  # 衡阳, between the three demo communities
    assert body["zoom"] == 12


def test_tianditu_uses_web_mercator_sets_with_the_key(supervisor: Any, map_settings: Callable[..., None]) -> None:
    map_settings(MAP_TILES="tianditu", TIANDITU_KEY="abc123")
    body = supervisor.get("/api/v1/map/config").get_json()
    assert body["datum"] == "wgs84"  # CGCS2000 ≈ WGS-84: no shift
    streets, labels = body["layers"]
    assert "/vec_w/wmts?" in streets["url"]
    assert "TILEMATRIXSET=w" in streets["url"]
    assert "/cva_w/wmts?" in labels["url"]
    assert "LAYER=cva" in labels["url"]
    for layer in (streets, labels):
        assert layer["url"].endswith("&tk=abc123")
        assert "{key}" not in layer["url"]
        assert "_c/" not in layer["url"]
        assert layer["url"].startswith("https://t{s}.tianditu.gov.cn/")
        assert layer["subdomains"] == "01234567"
        assert all(part in layer["url"] for part in ("{z}", "{x}", "{y}"))


def test_amap_tiles_are_gcj02(supervisor: Any, map_settings: Callable[..., None]) -> None:
    map_settings(MAP_TILES="amap")
    body = supervisor.get("/api/v1/map/config").get_json()
    assert body["provider"] == "amap"
    assert body["datum"] == "gcj02"
    assert "autonavi.com" in body["layers"][0]["url"]


def test_tile_url_overrides_the_provider_tiles_but_not_its_datum(
    supervisor: Any, map_settings: Callable[..., None]
) -> None:
    map_settings(
        MAP_TILES="amap", MAP_TILE_URL="https://tiles.example.cn/{z}/{x}/{y}.png", MAP_CENTER="28.2,112.9", MAP_ZOOM=14
    )
    body = supervisor.get("/api/v1/map/config").get_json()
    assert [layer["url"] for layer in body["layers"]] == ["https://tiles.example.cn/{z}/{x}/{y}.png"]
    assert body["datum"] == "gcj02"
    assert body["center"] == {"lat": 28.2, "lon": 112.9}
    assert body["zoom"] == 14


def test_tianditu_without_a_key_is_a_clear_503(supervisor: Any, map_settings: Callable[..., None]) -> None:
    map_settings(MAP_TILES="tianditu", TIANDITU_KEY="")
    response = supervisor.get("/api/v1/map/config")
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "map_misconfigured"
    assert "TIANDITU_KEY" in response.get_json()["error"]["message"]


def test_tianditu_with_its_own_tile_server_needs_no_key(map_settings: Callable[..., None], app: Flask) -> None:
    map_settings(MAP_TILES="tianditu", TIANDITU_KEY="", MAP_TILE_URL="http://10.1.2.3/vec_w/{z}/{x}/{y}")
    assert map_config(app.config)["layers"][0]["url"] == "http://10.1.2.3/vec_w/{z}/{x}/{y}"


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"MAP_TILES": "google"}, "MAP_TILES"),
        ({"MAP_CENTER": "112.6"}, "MAP_CENTER"),
        ({"MAP_CENTER": "126.9,112.6"}, "MAP_CENTER"),
    ],
)
def test_bad_settings_are_named(
    app: Flask, map_settings: Callable[..., None], settings: dict[str, str], problem: str
) -> None:
    map_settings(**settings)
    with pytest.raises(MapConfigError, match=problem):
        map_config(app.config)


def test_every_provider_draws_in_a_datum_the_browser_knows() -> None:
    for provider in PROVIDERS.values():
        assert provider.datum in ("wgs84", "gcj02")
        assert all(layer.url.startswith("https://") for layer in provider.layers)
    assert parse_center("26.88,112.59") == (26.88, 112.59)


def test_needs_a_login(client: Any) -> None:
    assert client.get("/api/v1/map/config").status_code == 401
