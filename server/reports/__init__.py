"""Rankings (同台PK), figures and the campaign's documents: 一览表, 整改通知单, 督查通报."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/api/v1")
