"""The stats endpoints: arguments, scope per role, a fixed number of queries, the OpenAPI document."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from server.db import utcnow
from server.extensions import db
from tests.server.reports.helpers import HandMade


@pytest.fixture
def recent(history: HandMade) -> None:
    """Five issues at 金龙, one at 金源, reported in the last days; one overdue at each."""
    now = utcnow()
    for n in range(5):
        issue = history.issue("jinlong", reported=now - timedelta(days=3, hours=n), deadline=now - timedelta(days=1))
        if n % 2:
            history.rectify(issue, at=now - timedelta(days=2))
    history.issue("jinyuan", reported=now - timedelta(days=2), deadline=now - timedelta(hours=1))


@pytest.mark.usefixtures("recent")
def test_community_stats_default_to_the_last_seven_days(supervisor: Any) -> None:
    body = supervisor.get("/api/v1/stats/communities").get_json()
    assert body["period"]["to"] > body["period"]["from"]
    assert body["previous"]["to"] < body["period"]["from"]
    rows = {row["unit"]["code"]: row for row in body["rows"]}
    assert set(rows) == {"jinlong", "jinyuan", "xiangrui"}
    assert (rows["jinlong"]["found"], rows["jinlong"]["due"], rows["jinlong"]["on_time"]) == (5, 5, 2)
    assert rows["jinlong"]["on_time_rate"] == 0.4
    assert rows["jinlong"]["overdue"] == 3
    assert rows["jinyuan"]["overdue"] == 1
    assert rows["xiangrui"]["on_time_rate"] is None
    assert body["totals"]["found"] == 6


@pytest.mark.usefixtures("recent")
@pytest.mark.parametrize(
    ("username", "codes"),
    [
        ("supervisor", {"jinlong", "jinyuan", "xiangrui"}),
        ("admin", {"jinlong", "jinyuan", "xiangrui"}),
        ("inspector", {"jinlong", "jinyuan", "xiangrui"}),
        ("street_baishazhou", {"jinlong"}),
        ("staff_jinlong", {"jinlong"}),
        ("staff_jinyuan", {"jinyuan"}),
    ],
)
def test_each_role_sees_its_own_communities(login: Any, username: str, codes: set[str]) -> None:
    body = login(username).get("/api/v1/stats/communities").get_json()
    assert {row["unit"]["code"] for row in body["rows"]} == codes


@pytest.mark.usefixtures("recent")
def test_street_stats(supervisor: Any, login: Any) -> None:
    rows = {row["unit"]["code"]: row for row in supervisor.get("/api/v1/stats/streets").get_json()["rows"]}
    assert set(rows) == {"baishazhou_street", "songmu_street", "huaxing_street"}
    assert rows["baishazhou_street"]["found"] == 5
    assert rows["baishazhou_street"]["unit"]["name"] == "白沙洲街道"
    street = login("street_baishazhou").get("/api/v1/stats/streets").get_json()
    assert [row["unit"]["code"] for row in street["rows"]] == ["baishazhou_street"]


def test_a_fixed_number_of_queries(supervisor: Any, history: HandMade, query_counter: Any) -> None:
    def count() -> int:
        with query_counter() as counter:
            assert supervisor.get("/api/v1/stats/communities").status_code == 200
        return counter.n

    def add(issues: int) -> None:
        now = utcnow()
        for n in range(issues):
            community = ("jinlong", "jinyuan", "xiangrui")[n % 3]
            issue = history.issue(community, reported=now - timedelta(days=2), deadline=now - timedelta(days=1))
            history.rectify(issue, at=now - timedelta(hours=30))
        db.session.expire_all()  # nothing left in the identity map: every request loads what it needs

    add(3)
    few = count()
    add(30)
    assert count() == few <= 4  # the user, the communities, the events (+ the savepoint): none per issue


@pytest.mark.parametrize(
    "query",
    ["from=2026-03-08&to=2026-03-01", "from=2025-01-01&to=2026-03-01", "from=03/01/2026", "to=yesterday"],
)
def test_bad_periods_are_refused(supervisor: Any, query: str) -> None:
    response = supervisor.get(f"/api/v1/stats/communities?{query}")
    assert response.status_code == 422
    assert response.get_json()["error"]["message"]


def test_stats_need_login(client: Any) -> None:
    for path in ("/api/v1/stats/communities", "/api/v1/stats/streets", "/api/v1/stats/trend"):
        assert client.get(path).status_code == 401


@pytest.mark.usefixtures("recent")
def test_trend_endpoint(supervisor: Any) -> None:
    weeks = supervisor.get("/api/v1/stats/trend?weeks=4").get_json()["weeks"]
    assert len(weeks) == 4
    assert sum(w["found"] for w in weeks) == 6
    assert set(weeks[0]) == {"week", "from", "to", "found", "closed"}
    assert supervisor.get("/api/v1/stats/trend?weeks=0").status_code == 422


@pytest.mark.usefixtures("recent")
def test_trend_ends_with_the_week_asked_for(supervisor: Any) -> None:
    now = supervisor.get("/api/v1/stats/trend?weeks=4").get_json()["weeks"]
    earlier = supervisor.get(f"/api/v1/stats/trend?weeks=4&to={now[1]['to']}").get_json()["weeks"]
    assert earlier[-1]["week"] == now[1]["week"]  # the week holding `to` comes last
    assert earlier[-2:] == now[:2]  # the same weeks give the same figures
    future = supervisor.get("/api/v1/stats/trend?weeks=4&to=2999-01-01").get_json()["weeks"]
    assert future == now  # a later date counts as today
    assert supervisor.get("/api/v1/stats/trend?to=yesterday").status_code == 422


def test_openapi_documents_stats_and_exports(supervisor: Any) -> None:
    paths = supervisor.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/stats/communities",
        "/api/v1/stats/streets",
        "/api/v1/stats/trend",
        "/api/v1/exports/issues.xlsx",
        "/api/v1/exports/notice/{issue_id}.pdf",
        "/api/v1/exports/notices.pdf",
        "/api/v1/exports/bulletin",
    ):
        assert "get" in paths[path], path
