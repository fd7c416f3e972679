"""Serving the built web app (web/dist) on the same origin as the API.

- hashed files under /assets/ are immutable: cached for a year;
- index.html, sw.js and the manifest are revalidated on every load, so an
  update reaches installed apps (iOS home-screen apps included);
- any other path that is not a file falls back to index.html (client routes),
  except /api/, which never does: a wrong API URL must be a JSON 404, not HTML.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Blueprint, Flask, Response, abort, current_app, send_from_directory

bp = Blueprint("webapp", __name__)
mimetypes.add_type("application/manifest+json", ".webmanifest")

_NO_CACHE = {"index.html", "sw.js", "manifest.webmanifest", "registerSW.js"}
_NEVER_FALLBACK = ("api/", "open311/", "healthz", "readyz")


def dist_dir() -> Path:
    return Path(current_app.config["WEB_DIST_DIR"])


@bp.get("/")
@bp.get("/<path:path>")
def serve(path: str = "") -> Response:
    if path.startswith(_NEVER_FALLBACK):
        abort(404)
    root = dist_dir()
    if not (root / "index.html").is_file():
        return _not_built()
    target = root / path
    if path and target.is_file() and target.resolve().is_relative_to(root.resolve()):
        return _with_cache_headers(send_from_directory(root, path), path)
    if path.startswith("assets/"):
        abort(404)  # a missing hashed asset is a real 404, not the app shell
    return _with_cache_headers(send_from_directory(root, "index.html"), "index.html")


def _with_cache_headers(response: Response, path: str) -> Response:
    # Read the (small) file now instead of streaming it: compression then works on
    # whole bytes and the file is closed with the response, never left to the GC.
    response.direct_passthrough = False
    response.make_sequence()
    name = path.rsplit("/", 1)[-1]
    if path.startswith("assets/"):
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    elif name in _NO_CACHE:
        response.headers["Cache-Control"] = "no-cache"
    else:
        response.headers["Cache-Control"] = "public, max-age=3600"
    if name == "sw.js":
        response.headers["Service-Worker-Allowed"] = "/"
    return response


def _not_built() -> Response:
    html = (
        "<!doctype html><meta charset=utf-8><title>巡查</title>"
        "<p>前端尚未构建：请运行 <code>make run</code>。API 位于 <a href='/api/v1/openapi.json'>/api/v1</a>。</p>"
    )
    return Response(html, status=503, mimetype="text/html")


def register_webapp(app: Flask) -> None:
    from server import ROOT

    app.config.setdefault("WEB_DIST_DIR", str(ROOT / "web" / "dist"))
    app.register_blueprint(bp)
