"""Health checks and the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify
from sqlalchemy import text

from server.errors import error_response
from server.extensions import db
from server.photos.storage import StorageUnavailable, get_storage

bp = Blueprint("api", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """The process is alive (no dependencies checked)."""
    return jsonify({"status": "ok"})


@bp.get("/readyz")
def readyz() -> Response:
    """The database and the photo storage are reachable."""
    checks: dict[str, str] = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # report, don't crash: this endpoint exists to say what is wrong
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        get_storage().check()
        checks["storage"] = "ok"
    except StorageUnavailable as exc:
        checks["storage"] = f"error: {exc}"
    if all(v == "ok" for v in checks.values()):
        return jsonify({"status": "ok", "checks": checks})
    response = error_response(503, "not_ready", "服务未就绪", "Not ready", details=checks)
    return response


@bp.get("/api/v1/openapi.json")
def openapi() -> Response:
    from server.api.openapi import build_spec

    return jsonify(build_spec())
