"""Twenty copies of one submission at once yield one issue (idempotency under a real race)."""

from __future__ import annotations

import io
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.live import live_server

pytestmark = [pytest.mark.live, pytest.mark.slow]


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    response = session.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": "demo1234"}, timeout=30
    )
    response.raise_for_status()
    session.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return session


def test_concurrent_identical_creates_make_one_issue(tmp_path: Path, small_jpeg: Any) -> None:
    with live_server(tmp_path) as base:
        session = _login(base, "inspector")
        photo = session.post(
            f"{base}/api/v1/photos",
            files={"file": ("a.jpg", io.BytesIO(small_jpeg()), "image/jpeg")},
            data={"kind": "before"},
            timeout=30,
        ).json()["id"]
        body = {
            "client_id": str(uuid.uuid4()),
            "category": "debris",
            "lat": 26.86,
            "lon": 112.60,
            "location_text": "金龙小区11栋前坪",
            "photo_ids": [photo],
        }

        def submit(_: int) -> tuple[int, str]:
            response = session.post(f"{base}/api/v1/issues", json=body, timeout=60)
            return response.status_code, response.json().get("id", response.text)

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(submit, range(20)))

        statuses = sorted(code for code, _ in results)
        assert statuses.count(201) == 1, results
        assert statuses.count(200) == 19, results
        assert len({issue_id for _, issue_id in results}) == 1
        mine = session.get(f"{base}/api/v1/issues?reporter=me", timeout=30).json()
        assert mine["total"] == 1
        detail = session.get(f"{base}/api/v1/issues/{results[0][1]}", timeout=30).json()
        assert [e["action"] for e in detail["events"]] == ["report", "dispatch"]
        assert len(detail["photos"]) == 1
