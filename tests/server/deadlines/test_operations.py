from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from flask import Flask, g

from server.deadlines.operations import (
    add_override,
    coverage,
    current_calendar,
    deadline_for,
    list_overrides,
    remove_override,
)
from server.errors import NotFound, ValidationFailed

SHANGHAI = timezone(timedelta(hours=8))


def test_current_calendar_reads_config_and_overrides(app: Flask) -> None:
    add_override(date(2027, 2, 8), False, "春节")
    calendar = current_calendar()
    assert calendar.timezone.key == app.config["XUNCHA_TIMEZONE"]
    assert calendar.overrides == {date(2027, 2, 8): False}
    assert current_calendar() is calendar  # cached for the request


def test_changing_overrides_refreshes_the_cached_calendar() -> None:
    assert current_calendar().overrides == {}
    add_override(date(2027, 2, 8), False)
    assert current_calendar().overrides == {date(2027, 2, 8): False}
    remove_override(date(2027, 2, 8))
    assert current_calendar().overrides == {}


def test_office_hours_come_from_the_config(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "XUNCHA_OFFICE_HOURS", "09:00-17:00")
    g.pop("work_calendar", None)
    # Fri Mar 14 2025 16:00 + 2 h: 1 h to 17:00, Monday 09:00 + 1 h.
    start = datetime(2025, 3, 14, 16, tzinfo=SHANGHAI)
    assert deadline_for("work_hours", 2, start) == datetime(2025, 3, 17, 10, tzinfo=SHANGHAI)


def test_deadline_in_an_uncovered_year_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    start = datetime(2027, 3, 1, 10, tzinfo=SHANGHAI)
    with caplog.at_level(logging.WARNING):
        deadline_for("work_days", 3, start)
    assert "2027" in caplog.text
    assert "no holiday calendar" in caplog.text


def test_covered_or_calendar_free_deadlines_are_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        deadline_for("work_days", 3, datetime(2026, 3, 2, 10, tzinfo=SHANGHAI))
        deadline_for("days", 3, datetime(2027, 3, 1, 10, tzinfo=SHANGHAI))  # holidays don't matter
        add_override(date(2027, 10, 1), False, "国庆")
        deadline_for("work_days", 3, datetime(2027, 3, 1, 10, tzinfo=SHANGHAI))
    assert caplog.text == ""


def test_deadline_for_returns_utc() -> None:
    deadline = deadline_for("hours", 24, datetime(2025, 1, 27, 10, tzinfo=SHANGHAI))
    assert deadline == datetime(2025, 1, 28, 2, tzinfo=UTC)
    assert deadline.tzinfo is UTC


def test_add_override_upserts() -> None:
    first = add_override(date(2027, 2, 8), False, "春节")
    second = add_override(date(2027, 2, 8), True, "  调休  ")
    assert first is second
    assert [(o.day, o.is_workday, o.note) for o in list_overrides()] == [(date(2027, 2, 8), True, "调休")]


@pytest.mark.parametrize(
    ("day", "is_workday", "note", "message"),
    [
        (date(1999, 12, 31), False, "", "只能设置"),
        (date(2101, 1, 1), False, "", "只能设置"),
        (datetime(2027, 2, 8, 10), False, "", "日期格式有误"),
        (date(2027, 2, 8), "no", "", "工作日还是休息日"),
        (date(2027, 2, 8), False, "x" * 101, "备注最多"),
    ],
)
def test_add_override_refuses_bad_input(day: date, is_workday: bool, note: str, message: str) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        add_override(day, is_workday, note)
    assert message in excinfo.value.message_zh


def test_remove_unknown_override() -> None:
    with pytest.raises(NotFound):
        remove_override(date(2027, 2, 8))


def test_list_overrides_by_year() -> None:
    for day in (date(2027, 12, 31), date(2027, 1, 1), date(2028, 1, 1), date(2026, 12, 31)):
        add_override(day, False)
    assert [o.day for o in list_overrides(2027)] == [date(2027, 1, 1), date(2027, 12, 31)]
    assert len(list_overrides()) == 4


def test_coverage() -> None:
    add_override(date(2030, 1, 1), False, "元旦")
    info = coverage()
    assert {2025, 2026} <= set(info["package_years"])
    assert info["override_years"] == [2030]
    assert info["covered_years"] == sorted({*info["package_years"], 2030})
    assert info["next_year"] == info["current_year"] + 1
    assert info["next_year_covered"] == (info["next_year"] in info["covered_years"])
