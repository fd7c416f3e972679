"""Open311 GeoReport v2 at /open311/v2/: standard civic-issue clients read and file problems."""

from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
