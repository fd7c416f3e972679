"""Community rankings (同台PK): every figure replayed from the event log.

A period P is a run of local days (XUNCHA_TIMEZONE), ``from`` and ``to``
included. Figures describe the log as it stood at **as_of** = the end of P, or
now if P has not ended; events after as_of are ignored (so last week's figures,
and its ranks, do not change when something happens today). Times are the
events' ``acted_at`` (when the person acted, even offline), else ``created_at``.
How each issue's history is rebuilt (community in charge, deadline in force) is
described in ``server.reports.history``.

Per community C:

found
    issues whose ``report`` event is in P, counted for the community of the issue's
    latest ``dispatch`` (a disputed issue re-dispatched elsewhere moves with it; an
    issue never dispatched belongs to no community and is counted in
    ``totals.unassigned_found`` only).
rectified
    distinct issues with a ``rectify`` event in P while C was in charge.
closed
    distinct issues with a ``verify`` event in P while C was in charge.
due (应整改)
    distinct issues for which a deadline of C *fell due* in P: a deadline D is in
    force from the event that set it (``dispatch``, ``reject`` = rework with a fresh
    deadline, ``approve_extension``) until the next of these, or a ``dispute`` or
    ``cancel``; it falls due if D arrives while still in force and D ≤ as_of. A
    deadline replaced before it arrived (extended, or rework started) never falls
    due; a closed issue's last deadline still falls due (met early). When an issue
    has several deadlines fall due in P (rework), the latest one is *its deadline
    in P* and decides the two figures below.
extended (批准延期)
    due issues whose deadline in P was set by an approved extension.
on_time (按期整改)
    due issues, not extended, whose deadline in P was met: the first ``rectify``
    of that assignment has acted_at ≤ the deadline. Extended issues leave both the
    count and its base: they are judged against a date the supervisor granted, not
    the rule's (counting them on top would let the rate pass 100 %).
rectifications / rejections
    ``rectify`` / ``reject`` events in P while C was in charge (events, not issues).
overdue
    issues assigned to C at as_of whose deadline in force had passed (for the
    current period: overdue now).
median_hours_to_rectify
    the median, over the ``rectify`` events counted in ``rectifications``, of the
    hours from the start of that assignment (the ``dispatch``, or the ``reject``
    for rework) to the rectify; None without rectifications.

Rates (None when the base is 0; ratios such as 0.6667, not percentages):

- 整改率 ``rectification_rate`` = closed ÷ due (issue #6 literally; it may pass 1
  when a backlog is closed);
- 按期整改率 ``on_time_rate`` = on_time ÷ (due − extended);
- 返工率 ``rework_rate`` = rejections ÷ rectifications.

Ranking (competition ranking 1, 2, 2, 4 — equal keys share a rank): 按期整改率
desc, then 整改率 desc (a missing rate ranks after every rate), then overdue asc,
then 返工率 asc (missing = 0). ``previous_rank`` is the rank in the period of the
same length just before, computed the same way, so the UI can draw arrows.

A street's row (``/stats/streets``) adds up its communities' counts and pools
their rectification times; its rates and median are computed from those sums.

Visibility: only issues in ``visible_issues(user)``, and only rows for the
communities under the user's own org unit (staff: their community; street
staff: their street's; city roles: all).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.orgs.models import OrgUnit
from server.orgs.operations import communities_under
from server.reports.history import Deadline, Timeline, load_events, relevant_issue_ids, replay_all
from server.reports.periods import Period, iso_weeks

_RATE_DIGITS = 4
_COUNTS = ("found", "rectified", "closed", "due", "on_time", "extended", "rectifications", "rejections", "overdue")


@dataclass
class Tally:
    """The counts of one community (or street) in one period."""

    found: int = 0
    rectified: int = 0
    closed: int = 0
    due: int = 0
    on_time: int = 0
    extended: int = 0
    rectifications: int = 0
    rejections: int = 0
    overdue: int = 0
    hours: list[float] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in _COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.hours.extend(other.hours)

    @property
    def rectification_rate(self) -> float | None:
        return _ratio(self.closed, self.due)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.on_time, self.due - self.extended)

    @property
    def rework_rate(self) -> float | None:
        return _ratio(self.rejections, self.rectifications)

    @property
    def median_hours_to_rectify(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None

    def figures(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "rectified": self.rectified,
            "closed": self.closed,
            "due": self.due,
            "on_time": self.on_time,
            "extended": self.extended,
            "rectifications": self.rectifications,
            "rejections": self.rejections,
            "overdue": self.overdue,
            "rectification_rate": self.rectification_rate,
            "on_time_rate": self.on_time_rate,
            "rework_rate": self.rework_rate,
            "median_hours_to_rectify": self.median_hours_to_rectify,
        }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, _RATE_DIGITS) if whole > 0 else None


# ------------------------------------------------------------------ counting


def tally_by_community(timelines: Iterable[Timeline], period: Period, as_of: datetime) -> dict[int | None, Tally]:
    """Every figure of ``period`` for every community that has one (None: never dispatched)."""
    tallies: dict[int | None, Tally] = defaultdict(Tally)
    for timeline in timelines:
        _count_issue(timeline, period, as_of, tallies)
    return tallies


def _count_issue(timeline: Timeline, period: Period, as_of: datetime, tallies: dict[int | None, Tally]) -> None:
    if timeline.reported_at is not None and period.contains(timeline.reported_at):
        tallies[timeline.dispatched_to].found += 1
    for community_id in {s.community_id for s in timeline.rectifications if period.contains(s.at)}:
        tallies[community_id].rectified += 1
    for community_id in {s.community_id for s in timeline.verifications if period.contains(s.at)}:
        tallies[community_id].closed += 1
    for step in timeline.rectifications:
        if period.contains(step.at):
            tallies[step.community_id].rectifications += 1
            if step.hours is not None:
                tallies[step.community_id].hours.append(step.hours)
    for step in timeline.rejections:
        if period.contains(step.at):
            tallies[step.community_id].rejections += 1
    for community_id, deadline in _deadlines_in(timeline, period, as_of).items():
        _count_due(tallies[community_id], deadline)
    if (community_id := timeline.overdue_community(as_of)) is not None:
        tallies[community_id].overdue += 1


def _deadlines_in(timeline: Timeline, period: Period, as_of: datetime) -> dict[int, Deadline]:
    """Per community, the issue's latest deadline that fell due in the period."""
    latest: dict[int, Deadline] = {}
    for deadline in timeline.deadlines:
        if deadline.fell_due(as_of) and period.contains(deadline.due_at):
            previous = latest.get(deadline.community_id)
            if previous is None or deadline.due_at >= previous.due_at:
                latest[deadline.community_id] = deadline
    return latest


def _count_due(tally: Tally, deadline: Deadline) -> None:
    tally.due += 1
    if deadline.by_extension:
        tally.extended += 1
    elif deadline.met():
        tally.on_time += 1


# ------------------------------------------------------------------ ranking


def rank_key(tally: Tally) -> tuple[float, float, int, float]:
    """Smaller is better: 按期整改率 desc, 整改率 desc, overdue asc, 返工率 asc."""
    on_time = tally.on_time_rate
    rectification = tally.rectification_rate
    return (
        -on_time if on_time is not None else 1.0,
        -rectification if rectification is not None else 1.0,
        tally.overdue,
        tally.rework_rate or 0.0,
    )


def ranks(tallies: dict[int, Tally]) -> dict[int, int]:
    """Competition ranks (1, 2, 2, 4) by ``rank_key``."""
    ordered = sorted(tallies, key=lambda unit_id: rank_key(tallies[unit_id]))
    result: dict[int, int] = {}
    for position, unit_id in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        same = previous is not None and rank_key(tallies[previous]) == rank_key(tallies[unit_id])
        result[unit_id] = result[previous] if same and previous is not None else position
    return result


# ------------------------------------------------------------------ the league tables


@dataclass
class League:
    period: Period
    previous: Period
    as_of: datetime
    rows: list[dict[str, Any]]
    totals: dict[str, Any]


Grouping = Callable[[list[OrgUnit]], dict[int, OrgUnit]]


def community_league(user: User, period: Period, now: datetime) -> League:
    return _league(user, period, now, group=None)


def street_league(user: User, period: Period, now: datetime) -> League:
    return _league(user, period, now, group=_streets_of)


def _league(user: User, period: Period, now: datetime, group: Grouping | None) -> League:
    communities = communities_under(user.org_unit)
    previous = period.previous()
    timelines_now, timelines_before = _replay_two(user, period, previous, now)
    current = tally_by_community(timelines_now, period, period.as_of(now))
    before = tally_by_community(timelines_before, previous, previous.as_of(now))
    units, by_unit_now, by_unit_before = _group(communities, current, before, group)
    rank_now, rank_before = ranks(by_unit_now), ranks(by_unit_before)
    rows = [
        _row(units[unit_id], by_unit_now[unit_id], rank_now[unit_id], rank_before[unit_id])
        for unit_id in sorted(by_unit_now, key=lambda u: (rank_now[u], units[u].name))
    ]
    return League(period, previous, period.as_of(now), rows, _totals(by_unit_now.values(), current.get(None)))


def _replay_two(user: User, period: Period, previous: Period, now: datetime) -> tuple[list[Timeline], list[Timeline]]:
    """One query for both periods; each replays the log up to its own as_of."""
    events = load_events(relevant_issue_ids(user, previous.start))
    return replay_all(events, period.as_of(now)), replay_all(events, previous.as_of(now))


def _group(
    communities: list[OrgUnit],
    current: dict[int | None, Tally],
    before: dict[int | None, Tally],
    group: Grouping | None,
) -> tuple[dict[int, OrgUnit], dict[int, Tally], dict[int, Tally]]:
    """Tallies per row unit: each community, or each community's street."""
    parent = group(communities) if group else {c.id: c for c in communities}
    units = {unit.id: unit for unit in parent.values()}
    now_by_unit: dict[int, Tally] = {unit_id: Tally() for unit_id in units}
    before_by_unit: dict[int, Tally] = {unit_id: Tally() for unit_id in units}
    for community in communities:
        unit_id = parent[community.id].id
        now_by_unit[unit_id].add(current.get(community.id) or Tally())
        before_by_unit[unit_id].add(before.get(community.id) or Tally())
    return units, now_by_unit, before_by_unit


def _streets_of(communities: list[OrgUnit]) -> dict[int, OrgUnit]:
    """Each community's street (its parent), loaded in one query."""
    parent_ids = {c.parent_id for c in communities if c.parent_id is not None}
    streets = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(parent_ids)))}
    return {c.id: streets.get(c.parent_id or 0, c) for c in communities}


def _row(unit: OrgUnit, tally: Tally, rank: int, previous_rank: int) -> dict[str, Any]:
    return {
        "unit": {"id": unit.id, "code": unit.code, "name": unit.name, "name_en": unit.name_en, "kind": unit.kind},
        **tally.figures(),
        "rank": rank,
        "previous_rank": previous_rank,
    }


def _totals(tallies: Iterable[Tally], unassigned: Tally | None) -> dict[str, Any]:
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return {**total.figures(), "unassigned_found": unassigned.found if unassigned else 0}


# ------------------------------------------------------------------ trend


def weekly_trend(
    user: User, weeks: int, now: datetime, community_id: int | None = None, last: date | None = None
) -> list[dict[str, Any]]:
    """Found vs closed per ISO week (local), the week holding ``last`` (default: this week) last, from the event log."""
    periods = iso_weeks(weeks, now, last)
    scope = {c.id for c in communities_under(user.org_unit)}
    if community_id is not None:
        scope &= {community_id}
    timelines = replay_all(load_events(relevant_issue_ids(user, periods[0].start)), now)
    result = []
    for week in periods:
        tallies = tally_by_community(timelines, week, week.as_of(now))
        counted = [t for unit_id, t in tallies.items() if unit_id in scope]
        if community_id is None and None in tallies:
            counted.append(Tally(found=tallies[None].found))  # found, not yet dispatched
        iso = week.first.isocalendar()
        result.append(
            {
                "week": f"{iso.year}-W{iso.week:02d}",
                "first": week.first.isoformat(),
                "last": week.last.isoformat(),
                "found": sum(t.found for t in counted),
                "closed": sum(t.closed for t in counted),
            }
        )
    return result
