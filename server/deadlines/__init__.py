from flask import Blueprint

bp = Blueprint("deadlines", __name__, url_prefix="/api/v1")
