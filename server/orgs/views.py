"""HTTP handlers for the org tree."""

from __future__ import annotations

from flask import Response, jsonify

from server.auth.session import require_user
from server.orgs import bp
from server.orgs.operations import communities_under
from server.orgs.schemas import CommunitySchema


@bp.get("/communities")
def communities() -> Response:
    """The communities in your area.
    ---
    get:
      summary: Communities under your org unit, with centroid and GeoJSON boundary
      responses:
        200: {description: "{items: [community]}"}
    """
    user = require_user()
    return jsonify({"items": CommunitySchema(many=True).dump(communities_under(user.org_unit))})
