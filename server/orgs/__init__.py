from flask import Blueprint

bp = Blueprint("orgs", __name__, url_prefix="/api/v1")
