"""Deadline arithmetic: a pure function of the dispatch time, the rule and the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from server.deadlines.calendar import WorkCalendar
from server.deadlines.units import DeadlineUnit


def compute_deadline(start: datetime, unit: str, amount: int, calendar: WorkCalendar | None = None) -> datetime:
    """The deadline (aware, UTC) of a rule "``amount`` ``unit``" for an issue dispatched at ``start``.

    ``hours`` are elapsed hours. ``days`` and ``work_days`` do not count the (local)
    day of dispatch and end at 23:59:59 local on the last day. ``work_hours`` count
    only office hours on working days.
    """
    if start.tzinfo is None or start.utcoffset() is None:
        raise ValueError("start must be timezone-aware")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"amount must be a positive integer, got {amount!r}")
    try:
        rule = DeadlineUnit(unit)
    except ValueError:
        raise ValueError(f"unknown deadline unit {unit!r}; expected one of {[u.value for u in DeadlineUnit]}") from None
    calendar = calendar or WorkCalendar()
    start = start.astimezone(UTC)  # arithmetic on UTC is elapsed time, never wall-clock time
    if rule is DeadlineUnit.HOURS:
        return start + timedelta(hours=amount)
    if rule is DeadlineUnit.DAYS:
        last = _local_date(start, calendar) + timedelta(days=amount)
        return calendar.end_of_day(last).astimezone(UTC)
    if rule is DeadlineUnit.WORK_DAYS:
        return calendar.end_of_day(_nth_workday_after(_local_date(start, calendar), amount, calendar)).astimezone(UTC)
    return _add_work_hours(start, timedelta(hours=amount), calendar)


def _local_date(moment: datetime, calendar: WorkCalendar) -> date:
    return moment.astimezone(calendar.timezone).date()


def _nth_workday_after(day: date, n: int, calendar: WorkCalendar) -> date:
    while n > 0:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            n -= 1
    return day


def _add_work_hours(start: datetime, remaining: timedelta, calendar: WorkCalendar) -> datetime:
    """Spend ``remaining`` office time from ``start``, one day's office periods at a time."""
    day = _local_date(start, calendar)
    while True:
        for opens, closes in calendar.office_periods(day):
            opens, closes = opens.astimezone(UTC), closes.astimezone(UTC)
            if closes <= start:
                continue  # this period is over before the dispatch
            begin = max(opens, start)  # dispatched outside office hours → the next opening
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
