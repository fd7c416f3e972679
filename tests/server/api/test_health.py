from __future__ import annotations

from typing import Any


def test_healthz(client: Any) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_checks_database_and_storage(client: Any) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "storage": "ok"}


def test_readyz_reports_broken_storage(client: Any, app: Any, tmp_path: Any) -> None:
    from server.photos.storage.local import LocalStorage

    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    original = app.extensions["xuncha_storage"]
    app.extensions["xuncha_storage"] = LocalStorage(str(blocker / "photos"), secret_key="k")
    try:
        response = client.get("/readyz")
    finally:
        app.extensions["xuncha_storage"] = original
    assert response.status_code == 503
    assert response.get_json()["error"]["details"]["storage"].startswith("error")


def test_unknown_api_path_is_json_404(client: Any) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_openapi_document_lists_the_api(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/v1/auth/login",
        "/api/v1/issues",
        "/api/v1/issues/{issue_id}/actions",
        "/api/v1/photos",
        "/api/v1/categories",
        "/api/v1/communities",
        "/api/v1/me",
    ):
        assert path in paths, path
    assert "IssueCreate" in spec["components"]["schemas"]
