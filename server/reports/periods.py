"""Reporting periods: local calendar days (XUNCHA_TIMEZONE) turned into UTC instants."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from server.errors import ValidationFailed

DEFAULT_DAYS = 7
MAX_DAYS = 366


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["XUNCHA_TIMEZONE"])


def local_today(now: datetime) -> date:
    return now.astimezone(local_zone()).date()


def start_of_day(day: date) -> datetime:
    """Local midnight at the start of ``day``, in UTC."""
    return datetime.combine(day, time(0), local_zone()).astimezone(UTC)


def to_local(moment: datetime) -> datetime:
    return moment.astimezone(local_zone())


@dataclass(frozen=True)
class Period:
    """The local days ``first`` … ``last`` (both included)."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return start_of_day(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive: local midnight after the last day."""
        return start_of_day(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def as_of(self, now: datetime) -> datetime:
        """The moment the figures describe: the end of the period, or now if it has not ended."""
        return min(self.end, now)

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1))

    def label(self) -> str:
        return f"{self.first:%Y-%m-%d} 至 {self.last:%Y-%m-%d}"


def period_from_args(first: date | None, last: date | None, now: datetime) -> Period:
    """``from``/``to`` as given; by default the last seven days, today included."""
    last = last or (first + timedelta(days=DEFAULT_DAYS - 1) if first else local_today(now))
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationFailed("开始日期不能晚于结束日期", "'from' is after 'to'", details={"from": ["after to"]})
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            f"统计区间最长 {MAX_DAYS} 天", f"A period spans at most {MAX_DAYS} days", details={"to": ["too long"]}
        )
    return Period(first, last)


def iso_weeks(count: int, now: datetime, last: date | None = None) -> list[Period]:
    """``count`` ISO weeks (Monday to Sunday, local), the one holding ``last`` (default: today) last."""
    today = local_today(now)
    day = min(last, today) if last is not None else today
    monday = day - timedelta(days=day.weekday())
    return [
        Period(monday - timedelta(weeks=n), monday - timedelta(weeks=n) + timedelta(days=6))
        for n in range(count - 1, -1, -1)
    ]
