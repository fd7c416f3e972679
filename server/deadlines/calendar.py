"""Which days are working days, and when the office is open.

The official calendar (public holidays, 调休 make-up weekend workdays) comes from
the ``chinesecalendar`` package for the years it knows; admin-entered overrides
beat it, and years beyond it fall back to Monday–Friday plus the overrides. This
is the only module that knows about the package.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import chinese_calendar
from chinese_calendar import constants as _package

DEFAULT_TIMEZONE = "Asia/Shanghai"
DEFAULT_OFFICE_HOURS = "08:30-12:00,14:00-18:00"

# Years whose holidays and 调休 days the installed package knows.
PACKAGE_YEARS: frozenset[int] = frozenset(day.year for day in _package.holidays)

OfficeHours = tuple[tuple[time, time], ...]

_RANGE = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def parse_office_hours(text: str) -> OfficeHours:
    """``"08:30-12:00,14:00-18:00"`` → ordered, non-overlapping (start, end) local times."""
    ranges = [_parse_range(part.strip()) for part in text.split(",") if part.strip()]
    if not ranges:
        raise ValueError(f"office hours {text!r}: give at least one range like 08:30-12:00")
    ranges.sort()
    for (_, previous_end), (start, _) in itertools.pairwise(ranges):
        if start < previous_end:
            raise ValueError(f"office hours {text!r}: the ranges overlap")
    return tuple(ranges)


def _parse_range(part: str) -> tuple[time, time]:
    match = _RANGE.match(part)
    if match is None:
        raise ValueError(f"office hours range {part!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(group) for group in match.groups())
    try:
        start, end = time(h1, m1), time(h2, m2)
    except ValueError as exc:
        raise ValueError(f"office hours range {part!r}: {exc}") from None
    if start >= end:
        raise ValueError(f"office hours range {part!r} ends before it starts")
    return start, end


def load_timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (expected e.g. Asia/Shanghai)") from None


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and office hours in one local time zone."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIMEZONE))
    office_hours: OfficeHours = field(default_factory=lambda: parse_office_hours(DEFAULT_OFFICE_HOURS))
    # True = working day (e.g. a 调休 Saturday), False = holiday.
    overrides: Mapping[date, bool] = field(default_factory=dict)

    @classmethod
    def from_config(
        cls, timezone: str, office_hours: str, overrides: Mapping[date, bool] | None = None
    ) -> WorkCalendar:
        return cls(load_timezone(timezone), parse_office_hours(office_hours), dict(overrides or {}))

    def is_workday(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        if day.year in PACKAGE_YEARS:
            return bool(chinese_calendar.is_workday(day))
        return day.weekday() < 5

    def package_years(self) -> frozenset[int]:
        return PACKAGE_YEARS

    def override_years(self) -> frozenset[int]:
        return frozenset(day.year for day in self.overrides)

    def covered_years(self) -> frozenset[int]:
        """Years whose holidays are known, from the package or from overrides."""
        return PACKAGE_YEARS | self.override_years()

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The aware (start, end) office periods of ``day``; none on a day off."""
        if not self.is_workday(day):
            return []
        return [
            (datetime.combine(day, start, self.timezone), datetime.combine(day, end, self.timezone))
            for start, end in self.office_hours
        ]

    def end_of_day(self, day: date) -> datetime:
        """The last second of ``day`` in local time (day-based deadlines end here)."""
        return datetime.combine(day, time(23, 59, 59), self.timezone)
