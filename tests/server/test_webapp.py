"""The built PWA is served at / with the right cache rules; /api/ never falls back to it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def dist(app: Any, tmp_path: Path) -> Any:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>巡查</title><div id=app></div>")
    (tmp_path / "sw.js").write_text("self.addEventListener('install', () => {})")
    (tmp_path / "manifest.webmanifest").write_text('{"name": "巡查"}')
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    original = app.config["WEB_DIST_DIR"]
    app.config["WEB_DIST_DIR"] = str(tmp_path)
    yield tmp_path
    app.config["WEB_DIST_DIR"] = original


def test_index_and_client_routes_get_the_shell_uncached(client: Any, dist: Any) -> None:
    for path in ("/", "/report", "/issues/123/review"):
        with client.get(path) as response:
            assert response.status_code == 200
            assert "巡查" in response.get_data(as_text=True)
            assert response.headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_immutable(client: Any, dist: Any) -> None:
    with client.get("/assets/index-abc123.js") as response:
        assert response.status_code == 200
        assert "immutable" in response.headers["Cache-Control"]
    assert client.get("/assets/missing-000.js").status_code == 404


def test_service_worker_and_manifest_are_revalidated(client: Any, dist: Any) -> None:
    for path in ("/sw.js", "/manifest.webmanifest"):
        with client.get(path) as response:
            assert response.headers["Cache-Control"] == "no-cache"
    with client.get("/manifest.webmanifest") as response:
        assert response.mimetype == "application/manifest+json"


def test_api_never_falls_back_to_the_shell(client: Any, dist: Any) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json


def test_paths_cannot_escape_the_dist_dir(client: Any, dist: Any) -> None:
    for path in ("/../conftest.py", "/%2e%2e/conftest.py", "/assets/../../conftest.py"):
        with client.get(path) as response:
            assert "import" not in response.get_data(as_text=True)


def test_scripts_and_json_are_compressed_for_weak_links(client: Any, dist: Any, inspector: Any) -> None:
    (dist / "assets" / "big-def456.js").write_text("console.log('巡查');\n" * 400)
    with client.get("/assets/big-def456.js", headers={"Accept-Encoding": "gzip, br"}) as response:
        assert response.headers["Content-Encoding"] in {"br", "gzip"}
        assert "Accept-Encoding" in response.headers["Vary"]
    listed = inspector.get("/api/v1/categories", headers={"Accept-Encoding": "gzip"})
    assert listed.headers["Content-Encoding"] == "gzip"
