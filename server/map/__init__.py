from flask import Blueprint

bp = Blueprint("map", __name__, url_prefix="/api/v1")

from server.map.counts import track_issue_changes

# The per-cell counts follow every ORM write of an issue, in its transaction.
track_issue_changes()
