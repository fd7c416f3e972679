"""The units a deadline rule may be written in."""

from enum import StrEnum


class DeadlineUnit(StrEnum):
    HOURS = "hours"  # 小时 (calendar hours)
    DAYS = "days"  # 天 (calendar days, ending 23:59:59 local)
    WORK_HOURS = "work_hours"  # 工作时 (inside office hours on working days)
    WORK_DAYS = "work_days"  # 工作日 (official calendar, with 调休)


# The longest rule a supervisor may set, per unit: about a year. Beyond that a
# typo (15000 instead of 15) would make a deadline meaningless.
MAX_AMOUNT = {
    DeadlineUnit.HOURS: 24 * 366,
    DeadlineUnit.DAYS: 366,
    DeadlineUnit.WORK_HOURS: 250 * 7,
    DeadlineUnit.WORK_DAYS: 250,
}
