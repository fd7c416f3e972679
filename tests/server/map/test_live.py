"""Two web processes on one database: concurrent writes through both, the same map from both."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from server import create_app
from tests.live import close_app, fresh_database, prepare_database, serving

pytestmark = [pytest.mark.live, pytest.mark.slow]

CITY = "112.40,26.70,112.80,27.10"


def _app(url: str, tmp: Path) -> Flask:
    return create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "live-secret",  # the same key: a session cookie is good on both
            "STORAGE_URL": f"file://{tmp / 'photos'}",
            "XUNCHA_DEMO": True,
            "MAP_CLUSTER_THRESHOLD": 0,  # always clusters: the counts answer
        }
    )


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    response = session.post(f"{base}/api/v1/auth/login", json={"username": username, "password": "demo1234"})
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def _report(base: str, session: requests.Session, photo: bytes, i: int) -> dict[str, Any]:
    photo_id = session.post(
        f"{base}/api/v1/photos", files={"file": ("p.jpg", io.BytesIO(photo), "image/jpeg")}, data={"kind": "before"}
    ).json()["id"]
    body = {
        "client_id": str(uuid.uuid4()),
        "category": "debris",
        "lat": 26.856 + (i % 10) * 0.001,
        "lon": 112.596 + (i // 10) * 0.002,
        "photo_ids": [photo_id],
    }
    response = session.post(f"{base}/api/v1/issues", json=body, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_two_processes_write_at_once_and_read_the_same_counts(tmp_path: Path, small_jpeg: Any) -> None:
    with fresh_database(tmp_path) as url:
        first, second = _app(url, tmp_path), _app(url, tmp_path)
        prepare_database(first)
        with serving(first) as a, serving(second) as b:
            inspectors = {a: _login(a, "inspector"), b: _login(b, "inspector")}
            jobs = [(a if i % 2 else b, i) for i in range(16)]
            with ThreadPoolExecutor(max_workers=8) as pool:
                issues = list(pool.map(lambda job: _report(job[0], inspectors[job[0]], small_jpeg(), job[1]), jobs))
            supervisors = {a: _login(a, "supervisor"), b: _login(b, "supervisor")}

            def cancel(job: tuple[str, dict[str, Any]]) -> int:
                base, issue = job
                body = {"action": "cancel", "version": issue["version"], "note": "重复上报"}
                return supervisors[base].post(f"{base}/api/v1/issues/{issue['id']}/actions", json=body).status_code

            cancels = [(a if i % 2 else b, issue) for i, issue in enumerate(issues[:6])]
            with ThreadPoolExecutor(max_workers=6) as pool:
                assert set(pool.map(cancel, cancels)) == {200}
            url = f"/api/v1/map/issues?bbox={CITY}&zoom=12"
            metas = [supervisors[base].get(f"{base}{url}").json()["meta"] for base in (a, b)]
        assert metas[0] == metas[1]
        assert (metas[0]["mode"], metas[0]["total"]) == ("clusters", 10)
        with first.app_context():
            from server.extensions import db
            from tests.server.map.helpers import assert_counts_match_issues

            assert_counts_match_issues()
            db.session.rollback()
        close_app(first)
        close_app(second)
