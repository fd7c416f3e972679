"""The working-day calendar of this deployment, its overrides, and deadlines computed with it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from flask import current_app, g
from sqlalchemy import select

from server.deadlines.calendar import WorkCalendar
from server.deadlines.compute import compute_deadline
from server.deadlines.models import CalendarOverride
from server.deadlines.units import DeadlineUnit
from server.errors import NotFound, ValidationFailed
from server.extensions import db

# Overrides outside this range are almost certainly typing mistakes.
MIN_OVERRIDE_YEAR = 2000
MAX_OVERRIDE_YEAR = 2100
MAX_NOTE_LENGTH = 100

# Only these units depend on holidays; calendar hours and days do not.
_CALENDAR_UNITS = {DeadlineUnit.WORK_DAYS, DeadlineUnit.WORK_HOURS}


def current_calendar() -> WorkCalendar:
    """The calendar from the app config and every override, built once per request."""
    if "work_calendar" not in g:
        rows = db.session.execute(select(CalendarOverride.day, CalendarOverride.is_workday)).all()
        g.work_calendar = WorkCalendar.from_config(
            current_app.config["XUNCHA_TIMEZONE"],
            current_app.config["XUNCHA_OFFICE_HOURS"],
            {row.day: row.is_workday for row in rows},
        )
    return cast(WorkCalendar, g.work_calendar)


def _forget_calendar() -> None:
    g.pop("work_calendar", None)


def deadline_for(unit: str, amount: int, start: datetime) -> datetime:
    """The UTC deadline of a rule for an issue dispatched at ``start``, with this deployment's calendar."""
    calendar = current_calendar()
    deadline = compute_deadline(start, unit, amount, calendar)
    if unit in _CALENDAR_UNITS:
        first, last = (moment.astimezone(calendar.timezone).year for moment in (start, deadline))
        missing = sorted(set(range(first, last + 1)) - calendar.covered_years())
        if missing:
            # Still a usable deadline (Mon–Fri), but holidays in those years are ignored.
            current_app.logger.warning(
                "deadline %s %s from %s reaches year(s) %s with no holiday calendar; "
                "add them with `flask calendar add` or upgrade chinesecalendar",
                amount,
                unit,
                start.isoformat(),
                missing,
            )
    return deadline


def add_override(day: date, is_workday: bool, note: str = "") -> CalendarOverride:
    """Mark ``day`` as a working day or a holiday, replacing any earlier override of it."""
    _check_override(day, is_workday, note)
    override = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if override is None:
        override = CalendarOverride(day=day)
        db.session.add(override)
    override.is_workday = is_workday
    override.note = note.strip()
    db.session.flush()
    _forget_calendar()
    return override


def _check_override(day: date, is_workday: bool, note: str) -> None:
    if not isinstance(day, date) or isinstance(day, datetime):
        raise ValidationFailed("日期格式有误，应为 YYYY-MM-DD", "The day must be a date (YYYY-MM-DD)")
    if not MIN_OVERRIDE_YEAR <= day.year <= MAX_OVERRIDE_YEAR:
        raise ValidationFailed(
            f"只能设置 {MIN_OVERRIDE_YEAR}–{MAX_OVERRIDE_YEAR} 年的日期",
            f"Only days in {MIN_OVERRIDE_YEAR}–{MAX_OVERRIDE_YEAR} can be set",
        )
    if not isinstance(is_workday, bool):
        raise ValidationFailed("请指明是工作日还是休息日", "Say whether the day is a workday or a holiday")
    if not isinstance(note, str) or len(note.strip()) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"备注最多 {MAX_NOTE_LENGTH} 个字", f"The note has at most {MAX_NOTE_LENGTH} characters")


def remove_override(day: date) -> None:
    """Drop the override of ``day``; the package (or Mon–Fri) decides again."""
    override = db.session.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if override is None:
        raise NotFound(f"{day.isoformat()} 没有自定义设置", f"No override for {day.isoformat()}")
    db.session.delete(override)
    db.session.flush()
    _forget_calendar()


def list_overrides(year: int | None = None) -> list[CalendarOverride]:
    query = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        query = query.where(CalendarOverride.day.between(date(year, 1, 1), date(year, 12, 31)))
    return list(db.session.scalars(query))


def coverage() -> dict[str, Any]:
    """Which years have a holiday calendar, so an admin sees in time that next year is missing."""
    calendar = current_calendar()
    this_year = datetime.now(calendar.timezone).year
    covered = calendar.covered_years()
    return {
        "package_years": sorted(calendar.package_years()),
        "override_years": sorted(calendar.override_years()),
        "covered_years": sorted(covered),
        "current_year": this_year,
        "current_year_covered": this_year in covered,
        "next_year": this_year + 1,
        "next_year_covered": this_year + 1 in covered,
    }
