"""The base maps the supervisor's map can draw on, and the one this deployment uses.

A provider is a list of tile layers (drawn bottom to top) and the datum its
tiles are drawn in. Issues are stored in WGS-84; for a GCJ-02 provider (AMap)
the browser shifts what it draws to GCJ-02 and shifts clicks and viewports
back, so the API only ever sees WGS-84. Tianditu's ``_w`` sets are Web
Mercator in CGCS2000, which is WGS-84 to within centimetres: no shift.

Which provider, which key and where the map starts are configuration
(MAP_TILES, TIANDITU_KEY, MAP_TILE_URL, MAP_CENTER, MAP_ZOOM), never code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from server.errors import ServiceUnavailable

Datum = Literal["wgs84", "gcj02"]


@dataclass(frozen=True)
class TileLayer:
    url: str  # a Leaflet URL template: {s} {z} {x} {y}, and {key} filled in here
    attribution: str
    subdomains: str = ""
    max_zoom: int = 18


@dataclass(frozen=True)
class Provider:
    name: str
    datum: Datum
    layers: tuple[TileLayer, ...]
    needs_key: bool = False


def _tianditu(layer: str) -> str:
    """A Tianditu WMTS layer in the Web-Mercator matrix set ``w`` (``vec_w``, ``cva_w``, ``img_w`` …)."""
    name = layer.removesuffix("_w")
    return (
        f"https://t{{s}}.tianditu.gov.cn/{layer}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        f"&LAYER={name}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
    )


_TIANDITU_CREDIT = "© 天地图 国家地理信息公共服务平台"

PROVIDERS: dict[str, Provider] = {
    "osm": Provider(
        "osm",
        "wgs84",
        (
            TileLayer(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
                max_zoom=19,
            ),
        ),
    ),
    "tianditu": Provider(
        "tianditu",
        "wgs84",
        (
            TileLayer(_tianditu("vec_w"), _TIANDITU_CREDIT, "01234567"),  # streets
            TileLayer(_tianditu("cva_w"), _TIANDITU_CREDIT, "01234567"),  # their Chinese labels
        ),
        needs_key=True,
    ),
    "amap": Provider(
        "amap",
        "gcj02",
        (
            TileLayer(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
                "© 高德地图 AutoNavi",
                "1234",
            ),
        ),
    ),
}


class MapConfigError(ServiceUnavailable):
    """The map settings do not make a usable base map: a deployment error, answered as a 503."""

    code = "map_misconfigured"

    def __init__(self, problem: str) -> None:
        super().__init__(f"地图底图配置有误，请联系管理员：{problem}", f"The base map is misconfigured: {problem}")


def parse_center(value: str) -> tuple[float, float]:
    """``"lat,lon"`` → (lat, lon)."""
    try:
        lat, lon = (float(v) for v in value.split(","))
    except ValueError:
        raise MapConfigError(f'MAP_CENTER must be "lat,lon", not {value!r}') from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise MapConfigError(f"MAP_CENTER out of range: {value!r}")
    return lat, lon


def provider_for(config: dict[str, Any]) -> Provider:
    """The configured provider, its layers replaced by MAP_TILE_URL when set, its key filled in."""
    name = config["MAP_TILES"]
    if name not in PROVIDERS:
        raise MapConfigError(f"MAP_TILES must be one of {', '.join(PROVIDERS)}, not {name!r}")
    provider = PROVIDERS[name]
    override = config.get("MAP_TILE_URL") or ""
    key = config.get("TIANDITU_KEY") or ""
    if override:
        first = provider.layers[0]
        layers: tuple[TileLayer, ...] = (TileLayer(override, first.attribution, first.subdomains, first.max_zoom),)
    elif provider.needs_key and not key:
        raise MapConfigError(f"MAP_TILES={name} needs TIANDITU_KEY (or MAP_TILE_URL)")
    else:
        layers = provider.layers
    filled = tuple(
        TileLayer(lay.url.replace("{key}", key), lay.attribution, lay.subdomains, lay.max_zoom) for lay in layers
    )
    return Provider(provider.name, provider.datum, filled, provider.needs_key)


def map_config(config: dict[str, Any]) -> dict[str, Any]:
    """What the browser needs to draw the base map: the layers, their datum, where to start."""
    provider = provider_for(config)
    lat, lon = parse_center(config["MAP_CENTER"])
    return {
        "provider": provider.name,
        "datum": provider.datum,
        "layers": [
            {"url": lay.url, "attribution": lay.attribution, "subdomains": lay.subdomains, "max_zoom": lay.max_zoom}
            for lay in provider.layers
        ],
        "center": {"lat": lat, "lon": lon},
        "zoom": config["MAP_ZOOM"],
    }
