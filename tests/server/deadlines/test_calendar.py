from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from server.deadlines.calendar import PACKAGE_YEARS, WorkCalendar, load_timezone, parse_office_hours
from server.deadlines.compute import compute_deadline

SHANGHAI = timezone(timedelta(hours=8))

# 2027 is beyond chinesecalendar 1.11: 春节 would be Sat Feb 6 – Sun Feb 14 2027 with, say,
# Feb 8–12 off and Sat Feb 20 worked (a made-up but plausible schedule).
SPRING_2027 = {date(2027, 2, day): False for day in range(8, 13)} | {date(2027, 2, 20): True}


# --- office hours ------------------------------------------------------------------


def test_default_office_hours() -> None:
    assert parse_office_hours("08:30-12:00,14:00-18:00") == ((time(8, 30), time(12)), (time(14), time(18)))


def test_office_hours_are_sorted_and_spaces_ignored() -> None:
    assert parse_office_hours(" 14:00-17:30 , 9:00-12:00 ") == ((time(9), time(12)), (time(14), time(17, 30)))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "at least one range"),
        (" , ", "at least one range"),
        ("8-12", "not HH:MM-HH:MM"),
        ("08:30–12:00", "not HH:MM-HH:MM"),  # an en dash, easy to paste from a document
        ("08:30-24:00", "hour must be in"),
        ("08:30-12:61", "minute must be in"),
        ("12:00-08:30", "ends before it starts"),
        ("08:30-08:30", "ends before it starts"),
        ("08:30-12:00,11:00-13:00", "overlap"),
    ],
)
def test_bad_office_hours_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_office_hours(text)


def test_unknown_time_zone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Beijing'"):
        load_timezone("Asia/Beijing")


def test_from_config() -> None:
    calendar = WorkCalendar.from_config("Asia/Shanghai", "09:00-17:00", {date(2027, 1, 4): False})
    assert calendar.timezone.key == "Asia/Shanghai"
    assert calendar.office_hours == ((time(9), time(17)),)
    assert calendar.overrides == {date(2027, 1, 4): False}


# --- working days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 28), False),  # 春节 (Tue)
        (date(2025, 1, 26), True),  # 调休 Sunday before 春节
        (date(2025, 10, 8), False),  # 国庆 (Wed)
        (date(2025, 10, 11), True),  # 调休 Saturday after 国庆
        (date(2026, 2, 14), True),  # 调休 Saturday before 春节
        (date(2026, 2, 23), False),  # last day of 春节 2026 (Mon)
        (date(2026, 9, 20), True),  # 调休 Sunday before 中秋
        (date(2026, 10, 7), False),  # 国庆 (Wed)
        (date(2025, 3, 15), False),  # an ordinary Saturday
        (date(2025, 3, 17), True),  # an ordinary Monday
    ],
)
def test_package_calendar(day: date, expected: bool) -> None:
    assert WorkCalendar().is_workday(day) is expected


def test_overrides_beat_the_package() -> None:
    calendar = WorkCalendar(overrides={date(2025, 10, 8): True, date(2025, 3, 17): False})
    assert calendar.is_workday(date(2025, 10, 8)) is True  # a holiday made a working day
    assert calendar.is_workday(date(2025, 3, 17)) is False  # a Monday made a holiday
    assert calendar.is_workday(date(2025, 3, 18)) is True  # the rest is untouched


def test_beyond_the_package_monday_to_friday() -> None:
    calendar = WorkCalendar()
    assert 2027 not in PACKAGE_YEARS
    assert calendar.is_workday(date(2027, 2, 8)) is True  # Monday
    assert calendar.is_workday(date(2027, 2, 20)) is False  # Saturday


def test_beyond_the_package_overrides_apply() -> None:
    calendar = WorkCalendar(overrides=SPRING_2027)
    assert calendar.is_workday(date(2027, 2, 8)) is False
    assert calendar.is_workday(date(2027, 2, 15)) is True  # Monday, no override
    assert calendar.is_workday(date(2027, 2, 20)) is True  # make-up Saturday


def test_deadlines_beyond_the_package_use_the_overrides() -> None:
    start = datetime(2027, 2, 5, 10, tzinfo=SHANGHAI)  # Friday
    # No overrides: Mon Feb 8 is the first working day.
    assert compute_deadline(start, "work_days", 1) == datetime(2027, 2, 8, 23, 59, 59, tzinfo=SHANGHAI)
    # Feb 8–12 off: Mon Feb 15 (1); 6 days: Feb 15–19 (5), make-up Sat Feb 20 (6).
    calendar = WorkCalendar(overrides=SPRING_2027)
    assert compute_deadline(start, "work_days", 1, calendar) == datetime(2027, 2, 15, 23, 59, 59, tzinfo=SHANGHAI)
    assert compute_deadline(start, "work_days", 6, calendar) == datetime(2027, 2, 20, 23, 59, 59, tzinfo=SHANGHAI)


def test_covered_years() -> None:
    assert {2004, 2025, 2026} <= WorkCalendar().covered_years()
    assert 2027 not in WorkCalendar().covered_years()
    calendar = WorkCalendar(overrides=SPRING_2027)
    assert calendar.override_years() == {2027}
    assert calendar.covered_years() == calendar.package_years() | {2027}
    assert 2027 not in calendar.package_years()


def test_office_periods() -> None:
    calendar = WorkCalendar()
    assert calendar.office_periods(date(2025, 10, 1)) == []  # 国庆
    periods = calendar.office_periods(date(2025, 10, 11))  # 调休 Saturday
    assert [(start.time(), end.time()) for start, end in periods] == [(time(8, 30), time(12)), (time(14), time(18))]
    assert periods[0][0].utcoffset() == timedelta(hours=8)
