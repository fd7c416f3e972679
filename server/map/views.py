"""HTTP handlers for the map: parse, call the operation, answer GeoJSON (and the base map to draw on)."""

from __future__ import annotations

from flask import Response, current_app, jsonify

from server.auth.session import require_user
from server.db import utcnow
from server.map import bp
from server.map.operations import map_issues, map_view
from server.map.schemas import MapArgsSchema
from server.map.tiles import map_config
from server.schemas import load_args


@bp.get("/map/issues")
def issues() -> Response:
    """Issues on the map, clustered when dense.
    ---
    get:
      summary: The visible issues of a viewport as GeoJSON; grid clusters when dense
      description: >
        Single issues (Point features with status, category, is_overdue, deadline,
        community, thumbnail) when the viewport's grid cells hold at most
        MAP_CLUSTER_THRESHOLD matching issues; otherwise one Point feature per grid
        cell at its centre of mass, with count, overdue_count and the cell's bbox.
        Default status filter: reported, assigned, rectified. The grid follows
        Leaflet's tiles (MAP_CLUSTER_CELL_PX pixels a cell at the zoom asked); a
        box wider or higher than 4096 px at that zoom is served at a lower one.
        Coordinates are WGS-84 (convert to GCJ-02 for AMap-style tiles at
        display time).
      parameters:
        - in: query
          schema: MapArgsSchema
      responses:
        200:
          description: "a FeatureCollection with meta {mode: issues|clusters, zoom, grid_level, total, overdue}"
          content:
            application/geo+json: {}
        422: {description: a bad bbox, zoom or status}
    """
    user = require_user()
    collection = map_issues(user, map_view(load_args(MapArgsSchema())), utcnow())
    return current_app.response_class(current_app.json.dumps(collection), mimetype="application/geo+json")


@bp.get("/map/config")
def config() -> Response:
    """The base map of this deployment.
    ---
    get:
      summary: Which tiles the map draws on, in which datum, and where it starts
      description: >
        layers are Leaflet URL templates drawn bottom to top (MAP_TILES: osm, tianditu or
        amap; MAP_TILE_URL replaces them). datum gcj02 means the tiles are shifted (AMap):
        draw WGS-84 points shifted to GCJ-02 and shift viewports back before asking
        /map/issues. center (MAP_CENTER) and zoom (MAP_ZOOM) are where the map opens.
      responses:
        200:
          description: >
            {provider, datum: wgs84|gcj02, layers: [{url, attribution, subdomains, max_zoom}],
            center: {lat, lon}, zoom}
        401: {description: not logged in}
        503: {description: the map settings are wrong (say, tianditu without TIANDITU_KEY)}
    """
    require_user()
    return jsonify(map_config(current_app.config))
