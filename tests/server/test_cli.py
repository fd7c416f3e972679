"""The operator's commands: create-user, import-boundaries, seed-demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.orgs.models import OrgUnit


def test_create_user_then_log_in(app: Any, client: Any) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "wangli",
            "--name",
            "王丽",
            "--role",
            "community_staff",
            "--unit",
            "xiangrui",
            "--password",
            "s3cret-pass",
        ],
    )
    assert result.exit_code == 0, result.output
    login = client.post("/api/v1/auth/login", json={"username": "wangli", "password": "s3cret-pass"})
    assert login.status_code == 200
    assert login.get_json()["user"]["org_unit"]["name"] == "祥瑞社区"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "community_staff", "--unit", "nowhere"], "no org unit"),
        (["--role", "community_staff", "--unit", "hengyang"], "角色"),  # staff must belong to a community
        (["--role", "inspector", "--unit", "hengyang", "--password", "short"], "密码至少"),
    ],
)
def test_create_user_refuses_bad_input(app: Any, args: list[str], message: str) -> None:
    base = ["create-user", "someone", "--name", "某人"]
    if "--password" not in args:
        args = [*args, "--password", "long-enough-1"]
    result = app.test_cli_runner().invoke(args=base + args)
    assert result.exit_code != 0
    assert message in result.output


def test_import_boundaries_sets_boundary_and_centroid(app: Any, tmp_path: Path) -> None:
    square = [[[112.50, 26.80], [112.51, 26.80], [112.51, 26.81], [112.50, 26.81], [112.50, 26.80]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"code": "xiangrui"},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps(geojson))
    result = app.test_cli_runner().invoke(args=["import-boundaries", str(path)])
    assert result.exit_code == 0, result.output
    unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "xiangrui")).one()
    assert unit.centroid_lat == pytest.approx(26.805)
    assert unit.centroid_lon == pytest.approx(112.505)


def test_import_boundaries_names_the_bad_feature(app: Any, tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"code": "atlantis"}, "geometry": None}],
            }
        )
    )
    result = app.test_cli_runner().invoke(args=["import-boundaries", str(path)])
    assert result.exit_code != 0
    assert "atlantis" in result.output


@pytest.mark.live
def test_seed_demo_fills_an_empty_database_once(tmp_path: Path) -> None:
    from flask_migrate import upgrade

    from server import create_app
    from tests.live import fresh_database

    with fresh_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_URL": f"file://{tmp_path}/p"})
        with app.app_context():
            upgrade()
            first = app.test_cli_runner().invoke(args=["seed-demo"])
            assert first.exit_code == 0, first.output
            counts = dict(db.session.execute(select(Issue.status, func.count()).group_by(Issue.status)).all())
            again = app.test_cli_runner().invoke(args=["seed-demo"])
            users = db.session.scalar(select(func.count()).select_from(User))
            db.session.remove()
            db.engine.dispose()
    assert set(counts) == {"reported", "assigned", "rectified", "closed", "cancelled"}
    assert sum(counts.values()) >= 24
    assert "skipped" in again.output
    assert users == 7


def test_seed_demo_refused_outside_demo_mode(app: Any) -> None:
    app.config["XUNCHA_DEMO"] = False
    try:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["XUNCHA_DEMO"] = True
    assert result.exit_code != 0
    assert "demo mode" in result.output
