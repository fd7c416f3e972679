"""flask seed-bench, flask map rebuild, flask map compact."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from server.db import utcnow
from server.extensions import db
from server.issues.models import Issue
from server.map.seed import box
from tests.server.map.conftest import map_json
from tests.server.map.helpers import assert_counts_match_issues, stored_counts


@pytest.fixture
def cli(app: Flask, app_context: None) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def not_demo(app: Flask) -> Iterator[None]:
    app.config["XUNCHA_DEMO"] = False
    yield
    app.config["XUNCHA_DEMO"] = True


def test_seed_bench_writes_a_city_of_issues(cli: Any, supervisor: Any, threshold: Any) -> None:
    result = cli.invoke(args=["seed-bench", "--issues", "3000", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "3000 issues inserted" in result.output
    statuses = dict(db.session.execute(select(Issue.status, func.count()).group_by(Issue.status)).all())
    assert sum(statuses.values()) == 3000
    assert set(statuses) == {"reported", "assigned", "rectified", "closed", "cancelled"}
    min_lon, min_lat, max_lon, max_lat = box()
    extent = db.session.execute(
        select(func.min(Issue.lat), func.max(Issue.lat), func.min(Issue.lon), func.max(Issue.lon))
    ).one()
    assert min_lat <= extent[0]
    assert extent[1] <= max_lat
    assert min_lon <= extent[2]
    assert extent[3] <= max_lon
    overdue = db.session.scalar(select(func.count()).where(Issue.status == "assigned", Issue.deadline_at < utcnow()))
    assert 0 < overdue < statuses["assigned"]
    assert db.session.scalar(select(func.count()).where(Issue.geokey.is_(None))) == 0
    assert_counts_match_issues()  # the rebuild at the end of the seed is what the counts keep
    threshold(300)
    meta = map_json(supervisor, (min_lon, min_lat, max_lon, max_lat), zoom=12)["meta"]
    open_now = statuses["reported"] + statuses["assigned"] + statuses["rectified"]
    assert (meta["mode"], meta["total"], meta["overdue"]) == ("clusters", open_now, overdue)


def test_seed_bench_only_in_demo_mode(cli: Any, not_demo: None) -> None:
    result = cli.invoke(args=["seed-bench", "--issues", "10"])
    assert result.exit_code != 0
    assert "demo mode" in result.output


def test_rebuild_and_compact_commands(cli: Any, make_issue: Any) -> None:
    from datetime import timedelta

    make_issue(26.86, 112.60, deadline_at=utcnow() - timedelta(days=3))
    make_issue(26.87, 112.61)
    before = stored_counts()
    result = cli.invoke(args=["map", "compact"])
    assert result.exit_code == 0, result.output
    assert "20 past-hour rows folded" in result.output
    result = cli.invoke(args=["map", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "map counts rebuilt" in result.output
    assert stored_counts() == before
