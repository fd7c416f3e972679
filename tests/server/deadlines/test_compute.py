"""compute_deadline against the real 2025 and 2026 calendars.

Every expected value is worked out by hand from the State Council schedules:
2025 春节 Jan 28–Feb 4 (调休 workdays Sun Jan 26, Sat Feb 8), 清明 Fri Apr 4,
国庆+中秋 Oct 1–8 (调休 Sun Sep 28, Sat Oct 11); 2026 元旦 Jan 1–3 (调休 Sun Jan 4),
春节 Feb 15–23 (调休 Sat Feb 14, Sat Feb 28), 中秋 Fri Sep 25, 国庆 Oct 1–7
(调休 Sun Sep 20, Sat Oct 10). Office hours 08:30–12:00 and 14:00–18:00 (7.5 h a day).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from server.deadlines.calendar import WorkCalendar, parse_office_hours
from server.deadlines.compute import compute_deadline

SHANGHAI = timezone(timedelta(hours=8))  # a fixed offset, independent of the code's zoneinfo


def sh(y: int, mo: int, d: int, h: int = 0, mi: int = 0, s: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, s, tzinfo=SHANGHAI)


def end_of(y: int, mo: int, d: int) -> datetime:
    return sh(y, mo, d, 23, 59, 59)


def check(start: datetime, unit: str, amount: int, expected: datetime) -> None:
    result = compute_deadline(start, unit, amount)
    assert result.tzinfo is UTC
    assert result == expected, f"{result.astimezone(SHANGHAI)} != {expected}"


# --- hours: elapsed time, holidays do not matter ---------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (sh(2025, 1, 27, 10), 24, sh(2025, 1, 28, 10)),  # into 春节: still just 24 h
        (sh(2026, 2, 14, 20), 48, sh(2026, 2, 16, 20)),  # make-up Saturday into 春节
        (sh(2025, 12, 31, 18), 24, sh(2026, 1, 1, 18)),  # across the new year
    ],
)
def test_hours_are_elapsed_time(start: datetime, amount: int, expected: datetime) -> None:
    check(start, "hours", amount, expected)


# --- days: dispatch day does not count, ends 23:59:59 local ------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        (sh(2025, 1, 27, 10), 3, end_of(2025, 1, 30)),  # Jan 28, 29, 30: holidays are calendar days too
        (sh(2025, 1, 27, 23, 30), 1, end_of(2025, 1, 28)),  # late evening dispatch: still "tomorrow"
        (sh(2026, 2, 10, 9), 30, end_of(2026, 3, 12)),  # Feb 2026 has 28 days: Feb 10 + 30 = Mar 12
        (sh(2025, 12, 31, 12), 1, end_of(2026, 1, 1)),
        (sh(2025, 10, 3, 11), 7, end_of(2025, 10, 10)),  # dispatched on a 国庆 holiday
    ],
)
def test_calendar_days(start: datetime, amount: int, expected: datetime) -> None:
    check(start, "days", amount, expected)


def test_days_count_from_the_local_date_not_the_utc_date() -> None:
    # 16:30Z on Sep 30 is 00:30 on Oct 1 in Shanghai: the dispatch day is Oct 1, so 1 day → Oct 2.
    check(datetime(2025, 9, 30, 16, 30, tzinfo=UTC), "days", 1, end_of(2025, 10, 2))


@pytest.mark.parametrize("month", [1, 7])
def test_shanghai_has_no_dst_day_ends_at_1559_utc_all_year(month: int) -> None:
    result = compute_deadline(sh(2025, month, 10, 9), "days", 1)
    assert result == datetime(2025, month, 11, 15, 59, 59, tzinfo=UTC)


# --- work_days: official calendar with 调休 ----------------------------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        # 春节 2025: Jan 28–Feb 4 off; Feb 5 (1), 6 (2), 7 (3), Sat Feb 8 调休 (4), Mon Feb 10 (5).
        (sh(2025, 1, 27, 10), 5, end_of(2025, 2, 10)),
        (sh(2025, 1, 27, 10), 4, end_of(2025, 2, 8)),
        # Dispatched on the make-up Sunday Jan 26: Mon Jan 27 (1), then 春节, Feb 5 (2).
        (sh(2025, 1, 26, 9), 1, end_of(2025, 1, 27)),
        (sh(2025, 1, 26, 9), 2, end_of(2025, 2, 5)),
        # Fri Sep 26 2025: Sat 27 off, Sun Sep 28 调休 (1).
        (sh(2025, 9, 26, 15), 1, end_of(2025, 9, 28)),
        # …Sep 29 (2), 30 (3), Oct 1–8 off, Oct 9 (4), 10 (5), Sat Oct 11 调休 (6).
        (sh(2025, 9, 26, 15), 6, end_of(2025, 10, 11)),
        # Dispatched on a holiday (Oct 3): Oct 4–8 off, Thu Oct 9 (1).
        (sh(2025, 10, 3, 11), 1, end_of(2025, 10, 9)),
        # 30 work days from Mon Sep 15 2025: Sep 16–19 (4), 22–26 (9), Sun 28 调休 (10), 29–30 (12),
        # Oct 9–10 (14), Sat 11 调休 (15), Oct 13–17 (20), 20–24 (25), 27–31 (30).
        (sh(2025, 9, 15, 10), 30, end_of(2025, 10, 31)),
        # 元旦 2026: Jan 1–3 off, Sun Jan 4 调休 (1).
        (sh(2025, 12, 31, 17), 1, end_of(2026, 1, 4)),
        # 15 work days from Tue Feb 10 2026 across 春节: Feb 11–13 (3), Sat 14 调休 (4), Feb 15–23 off,
        # Feb 24–27 (8), Sat 28 调休 (9), Mar 2–6 (14), Mon Mar 9 (15).
        (sh(2026, 2, 10, 10), 15, end_of(2026, 3, 9)),
        # Fri Sep 18 2026: Sat off, Sun Sep 20 调休 (1), Sep 21 (2), Sep 22 (3).
        (sh(2026, 9, 18, 10), 3, end_of(2026, 9, 22)),
        # 中秋 2026: Thu Sep 24 → Fri 25 holiday, weekend, Mon Sep 28 (1).
        (sh(2026, 9, 24, 10), 1, end_of(2026, 9, 28)),
        # 国庆 2026: Wed Sep 30 → Oct 1–7 off, Oct 8 (1), 9 (2), Sat Oct 10 调休 (3).
        (sh(2026, 9, 30, 10), 3, end_of(2026, 10, 10)),
    ],
)
def test_work_days(start: datetime, amount: int, expected: datetime) -> None:
    check(start, "work_days", amount, expected)


# --- work_hours: only 08:30–12:00 and 14:00–18:00 on working days -------------------


@pytest.mark.parametrize(
    ("start", "amount", "expected"),
    [
        # The example: Fri Mar 14 2025 17:00, 4 h → 1 h Friday, 3 h Monday 08:30–11:30.
        (sh(2025, 3, 14, 17), 4, sh(2025, 3, 17, 11, 30)),
        # Ends exactly at closing time: the deadline is 18:00 that day, not 08:30 the next.
        (sh(2025, 3, 14, 17), 1, sh(2025, 3, 14, 18)),
        # Before opening: the clock starts at 08:30.
        (sh(2025, 3, 17, 7), 2, sh(2025, 3, 17, 10, 30)),
        # In the lunch break: the clock starts at 14:00.
        (sh(2025, 3, 17, 12, 30), 1, sh(2025, 3, 17, 15)),
        (sh(2025, 3, 17, 12), 1, sh(2025, 3, 17, 15)),
        # Across lunch: 11:00–12:00 (1 h), 14:00–15:00 (1 h).
        (sh(2025, 3, 17, 11), 2, sh(2025, 3, 17, 15)),
        # After closing: next working day 08:30 + 1 h.
        (sh(2025, 3, 17, 19), 1, sh(2025, 3, 18, 9, 30)),
        # On a Saturday: Monday morning 3.5 h, then 0.5 h from 14:00.
        (sh(2025, 3, 15, 10), 4, sh(2025, 3, 17, 14, 30)),
        # 200 h from Mon Mar 3 2025 08:30: 26 full days (195 h) + 5 h (3.5 + 1.5) on the 27th working
        # day. Mar 3–28 is 20 days, Mar 31–Apr 3 is 24 (Fri Apr 4 清明), Apr 7 (25), 8 (26), Apr 9 (27).
        (sh(2025, 3, 3, 8, 30), 200, sh(2025, 4, 9, 15, 30)),
        # 春节 2025: Mon Jan 27 15:00 → 3 h that day, Jan 28–Feb 4 off, Feb 5 08:30 + 1 h.
        (sh(2025, 1, 27, 15), 4, sh(2025, 2, 5, 9, 30)),
        # Make-up Sunday Jan 26 2025 from 07:00: all 7.5 h that day, 0.5 h on Mon Jan 27.
        (sh(2025, 1, 26, 7), 8, sh(2025, 1, 27, 9)),
        # On a 国庆 holiday (Oct 1): nothing until Thu Oct 9; 3.5 h morning + 0.5 h from 14:00.
        (sh(2025, 10, 1, 10), 4, sh(2025, 10, 9, 14, 30)),
        # Make-up Sat Oct 11 2025 16:00: 2 h that day, Sun off, Mon Oct 13 08:30 + 2 h.
        (sh(2025, 10, 11, 16), 4, sh(2025, 10, 13, 10, 30)),
        # Wed Dec 31 2025 16:00: 2 h, Jan 1–3 off, make-up Sun Jan 4 08:30 + 2 h.
        (sh(2025, 12, 31, 16), 4, sh(2026, 1, 4, 10, 30)),
        # Fri Feb 13 2026 17:00: 1 h, make-up Sat Feb 14 morning 3.5 h, 14:00 + 3.5 h = 17:30.
        (sh(2026, 2, 13, 17), 8, sh(2026, 2, 14, 17, 30)),
        # …16 h: 1 + 7.5 (Feb 14), 春节 Feb 15–23 off, the last 7.5 h fill Tue Feb 24 up to 18:00.
        (sh(2026, 2, 13, 17), 16, sh(2026, 2, 24, 18)),
        # Lunch on the make-up Sat Feb 28 2026: from 14:00.
        (sh(2026, 2, 28, 13), 2, sh(2026, 2, 28, 16)),
        # Wed Sep 30 2026 17:00: 1 h, 国庆 Oct 1–7 off, Thu Oct 8 08:30 + 1 h.
        (sh(2026, 9, 30, 17), 2, sh(2026, 10, 8, 9, 30)),
    ],
)
def test_work_hours(start: datetime, amount: int, expected: datetime) -> None:
    check(start, "work_hours", amount, expected)


# --- time zones --------------------------------------------------------------------


@pytest.mark.parametrize(("unit", "amount"), [("hours", 24), ("days", 3), ("work_days", 6), ("work_hours", 4)])
def test_utc_input_and_shanghai_input_agree(unit: str, amount: int) -> None:
    local = sh(2025, 9, 26, 15)
    utc = datetime(2025, 9, 26, 7, tzinfo=UTC)
    assert compute_deadline(local, unit, amount) == compute_deadline(utc, unit, amount)


def test_zoneinfo_input_is_accepted() -> None:
    start = datetime(2025, 3, 14, 17, tzinfo=ZoneInfo("Asia/Shanghai"))
    check(start, "work_hours", 4, sh(2025, 3, 17, 11, 30))


def test_hours_are_elapsed_even_across_a_dst_change() -> None:
    # Berlin moves to summer time on Mar 30 2025: 24 elapsed hours end at 13:00 local, not 12:00.
    berlin = ZoneInfo("Europe/Berlin")
    result = compute_deadline(datetime(2025, 3, 29, 12, tzinfo=berlin), "hours", 24)
    assert result == datetime(2025, 3, 30, 13, tzinfo=berlin)


def test_office_hours_follow_the_calendars_wall_clock() -> None:
    # A Berlin calendar: Fri Mar 28 17:00 CET + 4 h → Mon Mar 31 11:30 CEST (09:30 UTC).
    calendar = WorkCalendar(ZoneInfo("Europe/Berlin"), parse_office_hours("08:30-12:00,14:00-18:00"), {})
    start = datetime(2025, 3, 28, 17, tzinfo=ZoneInfo("Europe/Berlin"))
    assert compute_deadline(start, "work_hours", 4, calendar) == datetime(2025, 3, 31, 9, 30, tzinfo=UTC)


# --- bad input ---------------------------------------------------------------------


def test_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_deadline(datetime(2025, 3, 14, 17), "hours", 4)


@pytest.mark.parametrize("unit", ["weeks", "", "WORK_DAYS"])
def test_unknown_unit_is_refused(unit: str) -> None:
    with pytest.raises(ValueError, match="unknown deadline unit"):
        compute_deadline(sh(2025, 3, 14, 17), unit, 1)


@pytest.mark.parametrize("amount", [0, -1, True])
def test_non_positive_amount_is_refused(amount: int) -> None:
    with pytest.raises(ValueError, match="positive integer"):
        compute_deadline(sh(2025, 3, 14, 17), "days", amount)


def test_large_amounts_are_quick() -> None:
    # Day-by-day iteration: a few thousand steps at most, far beyond any real rule.
    start = sh(2025, 1, 2, 9)
    assert compute_deadline(start, "work_days", 500) > start
    assert compute_deadline(start, "work_hours", 3000) > start
