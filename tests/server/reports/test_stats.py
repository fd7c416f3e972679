"""One test per formula, on the hand-made week of conftest.py (figures worked out by hand)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from server.orgs.operations import create_org_unit
from server.reports.periods import Period
from server.reports.stats import League, community_league, street_league, weekly_trend
from tests.server.reports.conftest import NOW, WEEK
from tests.server.reports.helpers import HandMade, end_of, local, unit, user

pytestmark = pytest.mark.usefixtures("week")


def _league(username: str = "supervisor", period: Period = WEEK, now: Any = NOW) -> League:
    return community_league(user(username), period, now)


def _rows(league: League) -> dict[str, dict[str, Any]]:
    return {row["unit"]["code"]: row for row in league.rows}


def test_found_is_reports_in_the_period_for_the_latest_dispatch() -> None:
    rows = _rows(_league())
    # 金龙: A B C D E H (F moved to 金源 after its dispute; G was reported the week before).
    assert rows["jinlong"]["found"] == 6
    # 金源: F (re-dispatched here) and K.
    assert rows["jinyuan"]["found"] == 2
    assert rows["xiangrui"]["found"] == 1
    assert _league().totals["unassigned_found"] == 1  # I, never dispatched


def test_rectified_and_closed_count_issues_while_in_charge() -> None:
    rows = _rows(_league())
    # rectify events in the week at 金龙: A, B (acted 03-03 offline), C twice, D, G → 5 distinct issues.
    assert rows["jinlong"]["rectified"] == 5
    # verify events in the week at 金龙: A, B, G (G was found the week before: still closed this week).
    assert rows["jinlong"]["closed"] == 3
    assert (rows["jinyuan"]["rectified"], rows["jinyuan"]["closed"]) == (1, 1)  # F, after the dispute


def test_due_is_deadlines_that_arrived_while_in_force() -> None:
    rows = _rows(_league())
    # 金龙 deadlines in force when they arrived, inside the week:
    #   A 03-05, B 03-03, C 03-06 (the rework deadline; 03-04 was replaced on 03-03 before it came),
    #   D 03-07 (the extended one; 03-04 was replaced on 03-04 09:00), E 03-05.
    #   Not: F 03-06 (cleared by the dispute on 03-04), H 03-08 (cancelled 03-06), G 02-27 (last week).
    assert rows["jinlong"]["due"] == 5
    assert rows["jinlong"]["extended"] == 1  # D
    assert rows["jinyuan"]["due"] == 1  # F 03-07; K falls due 03-10, after the week
    assert rows["xiangrui"]["due"] == 1  # J


def test_rectification_rate_is_closed_over_due() -> None:
    rows = _rows(_league())
    # 金龙: closed 3 (A B G) ÷ due 5 (A B C D E) = 0.6
    assert rows["jinlong"]["rectification_rate"] == 0.6
    assert rows["jinyuan"]["rectification_rate"] == 1.0  # 1 ÷ 1
    assert rows["xiangrui"]["rectification_rate"] == 1.0


def test_on_time_rate_uses_acted_at_and_leaves_extensions_out() -> None:
    rows = _rows(_league())
    # 金龙 on time: A (03-04 ≤ 03-05), B (acted 03-03 20:00 ≤ 03-03 23:59:59, though synced 03-04).
    # Late: C (rework due 03-06, rectified 03-07), E (never). D is extended: out of count and base.
    # on_time 2 ÷ (due 5 − extended 1) = 0.5
    assert rows["jinlong"]["on_time"] == 2
    assert rows["jinlong"]["on_time_rate"] == 0.5
    assert rows["jinyuan"]["on_time_rate"] == 1.0  # F: 03-06 ≤ 03-07


def test_rework_rate_is_rejections_over_rectifications() -> None:
    rows = _rows(_league())
    # 金龙 events in the week: rectify A, B, C, C, D, G = 6; reject C = 1 → 1 ÷ 6
    assert (rows["jinlong"]["rejections"], rows["jinlong"]["rectifications"]) == (1, 6)
    assert rows["jinlong"]["rework_rate"] == round(1 / 6, 4)
    assert rows["jinyuan"]["rework_rate"] == 0.0


def test_overdue_at_the_end_of_the_period() -> None:
    rows = _rows(_league())
    # At 03-09 00:00: E is assigned with its 03-05 deadline passed. C is waiting for re-check.
    assert rows["jinlong"]["overdue"] == 1
    assert rows["jinyuan"]["overdue"] == 0  # K is due 03-10


def test_overdue_now_while_the_period_runs(history: HandMade) -> None:
    # Asked on 03-10 12:00 for 03-04 … 03-10: as of now, K (due 03-10 23:59:59) is not overdue yet, E is.
    rows = _rows(_league(period=Period(date(2026, 3, 4), date(2026, 3, 10)), now=NOW))
    assert (rows["jinlong"]["overdue"], rows["jinyuan"]["overdue"]) == (1, 0)
    later = _rows(_league(period=Period(date(2026, 3, 5), date(2026, 3, 11)), now=local(2026, 3, 11, 8)))
    assert later["jinyuan"]["overdue"] == 1  # K, now past its deadline


def test_median_hours_to_rectify() -> None:
    rows = _rows(_league())
    # 金龙 rectify events, hours since the assignment began (dispatch, or the reject for rework):
    #   C 24 (03-02 11→03-03 11), B 34 (03-02 10→03-03 20, offline time), A 49 (03-02 09→03-04 10),
    #   C 91 (reject 03-03 15→03-07 10), D 117 (03-02 12→03-07 09), G 120 (02-25 09→03-02 09)
    # median of 24 34 49 91 117 120 = (49 + 91) / 2 = 70
    assert rows["jinlong"]["median_hours_to_rectify"] == 70.0
    assert rows["jinyuan"]["median_hours_to_rectify"] == 43.0  # F: dispatched 03-04 15 → 03-06 10
    assert rows["xiangrui"]["median_hours_to_rectify"] == 24.0


def test_ranks_and_previous_ranks() -> None:
    league = _league()
    rows = _rows(league)
    # This week: 金源 and 祥瑞 (100 %, 100 %, 0 overdue, 0 rework) share rank 1; 金龙 (50 %) is 3rd.
    assert {code: row["rank"] for code, row in rows.items()} == {"jinyuan": 1, "xiangrui": 1, "jinlong": 3}
    # The week before (02-23 … 03-01, as of 03-02 00:00): only G, due 02-27 and not rectified yet:
    # 金龙 0 % on time ranks 1st; 金源 and 祥瑞 had nothing due (no rate) and rank after it.
    assert {code: row["previous_rank"] for code, row in rows.items()} == {"jinyuan": 2, "xiangrui": 2, "jinlong": 1}
    assert [row["rank"] for row in league.rows] == [1, 1, 3]
    assert (league.previous.first, league.previous.last) == (date(2026, 2, 23), date(2026, 3, 1))


def test_previous_period_ignores_what_happened_later() -> None:
    before = _rows(_league(period=WEEK.previous()))
    # As of 03-02 00:00, G (due 02-27) was still assigned: overdue, due, not on time.
    assert (before["jinlong"]["found"], before["jinlong"]["due"], before["jinlong"]["on_time"]) == (1, 1, 0)
    assert before["jinlong"]["overdue"] == 1
    assert before["jinlong"]["closed"] == 0


def test_totals_add_up_the_rows() -> None:
    totals = _league().totals
    assert (totals["found"], totals["due"], totals["closed"], totals["on_time"], totals["extended"]) == (9, 7, 5, 4, 1)
    assert totals["on_time_rate"] == round(4 / 6, 4)
    # hours pooled: 24 34 49 91 117 120 (金龙) 43 (金源) 24 (祥瑞) → median (43 + 49) / 2 = 46
    assert totals["median_hours_to_rectify"] == 46.0


def test_staff_rows_are_their_own_community() -> None:
    assert [row["unit"]["code"] for row in _league("staff_jinlong").rows] == ["jinlong"]
    assert [row["unit"]["code"] for row in _league("street_baishazhou").rows] == ["jinlong"]
    staff = _rows(_league("staff_jinlong"))["jinlong"]
    # F left 金龙 by a dispute and is now 金源's: 金龙's staff no longer see it; nothing of F counted at 金龙.
    assert (staff["found"], staff["due"], staff["on_time"]) == (6, 5, 2)


def test_streets_add_up_their_communities(history: HandMade) -> None:
    extra = create_org_unit(code="test_cmty", name="测试社区", kind="community", parent=unit("baishazhou_street"))
    assert extra.id
    # One more community under 白沙洲街道: L due 03-05, rectified on time 03-04 09:00 (hours 24).
    lot = history.issue("test_cmty", reported=local(2026, 3, 3, 9), deadline=end_of(2026, 3, 5))
    history.rectify(lot, at=local(2026, 3, 4, 9))
    rows = _rows(street_league(user("supervisor"), WEEK, NOW))
    street = rows["baishazhou_street"]
    # 金龙 (due 5, extended 1, on time 2) + 测试社区 (due 1, on time 1)
    assert (street["found"], street["due"], street["on_time"], street["extended"]) == (7, 6, 3, 1)
    assert street["on_time_rate"] == 0.6  # 3 ÷ (6 − 1)
    # rectifications 6 + 1; median of 24 24 34 49 91 117 120 = 49
    assert (street["rectifications"], street["median_hours_to_rectify"]) == (7, 49.0)
    assert set(rows) == {"baishazhou_street", "songmu_street", "huaxing_street"}


def test_weekly_trend() -> None:
    weeks = weekly_trend(user("supervisor"), 3, NOW)
    assert [w["week"] for w in weeks] == ["2026-W09", "2026-W10", "2026-W11"]
    # W09 (02-23 … 03-01): G found. W10 (this week): found A B C D E F H I J K = 10;
    # closed A B F G J = 5. W11 (03-09 …): nothing yet.
    assert [(w["found"], w["closed"]) for w in weeks] == [(1, 0), (10, 5), (0, 0)]
    jinyuan = unit("jinyuan").id
    assert [(w["found"], w["closed"]) for w in weekly_trend(user("supervisor"), 3, NOW, jinyuan)] == [
        (0, 0),
        (2, 1),
        (0, 0),
    ]
