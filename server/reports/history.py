"""Each issue's history, rebuilt from its events (issue_events) as it stood at a given moment.

Statistics never read the issue's own columns (status, deadline_at, rework_count …):
they replay the append-only event log. One query loads the events of every
relevant visible issue; ``replay`` then walks each issue's events in order (by
event id) and keeps what the figures need:

- the community in charge: set by a ``dispatch`` event (``data.community_id``),
  removed by ``dispute`` (and ``cancel``);
- the deadline in force: set by ``dispatch`` and ``reject`` (a rework starts a
  new assignment with a fresh deadline) and moved by ``approve_extension``
  (``data.deadline_at``); replaced by the next of these, cleared by ``dispute``
  and ``cancel``; a ``verify`` leaves it as it was;
- every ``rectify``, ``reject`` and ``verify`` with the community then in charge.

An event's time is ``acted_at`` (when the person acted, e.g. offline on a phone),
else ``created_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby
from typing import Any

from sqlalchemy import Select, or_, select

from server.auth.models import User
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue, IssueEvent
from server.issues.states import OPEN_STATUSES, Action, Status

# Offline actions carry the phone's time, a little ahead or behind the server's.
_CLOCK_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Event:
    issue_id: int
    id: int
    action: str
    to_status: str
    at: datetime
    data: dict[str, Any]


@dataclass
class Deadline:
    """One deadline of one assignment of an issue to a community."""

    community_id: int
    due_at: datetime
    set_at: datetime
    by_extension: bool  # set by an approved extension (not by the category's rule)
    ends_at: datetime | None = None  # replaced or cleared then; None: still in force
    rectified_at: datetime | None = None  # the first rectify of this assignment

    def fell_due(self, as_of: datetime) -> bool:
        """The deadline arrived while it was still the one in force."""
        return self.due_at <= as_of and (self.ends_at is None or self.due_at <= self.ends_at)

    def met(self) -> bool:
        return self.rectified_at is not None and self.rectified_at <= self.due_at


@dataclass(frozen=True)
class Step:
    """A rectify, reject or verify, with the community in charge at that moment."""

    at: datetime
    community_id: int | None
    hours: float | None = None  # rectify only: since the assignment began (dispatch or reject)


@dataclass
class Timeline:
    issue_id: int
    status: str | None = None
    reported_at: datetime | None = None
    dispatched_to: int | None = None  # the community of the latest dispatch
    community_id: int | None = None  # in charge now (None after a dispute or cancel)
    assigned_at: datetime | None = None
    deadlines: list[Deadline] = field(default_factory=list)
    rectifications: list[Step] = field(default_factory=list)
    rejections: list[Step] = field(default_factory=list)
    verifications: list[Step] = field(default_factory=list)

    @property
    def current_deadline(self) -> Deadline | None:
        last = self.deadlines[-1] if self.deadlines else None
        return last if last is not None and last.ends_at is None else None

    def overdue_community(self, as_of: datetime) -> int | None:
        """The community this issue is overdue for at ``as_of``, or None."""
        deadline = self.current_deadline
        if self.status == Status.ASSIGNED and deadline is not None and deadline.due_at < as_of:
            return deadline.community_id
        return None


# ---------------------------------------------------------------------- loading


def relevant_issue_ids(user: User, since: datetime) -> Select[Any]:
    """Ids of the visible issues that may have any figure on or after ``since``.

    Only a pre-filter to avoid replaying the whole city's past: an issue closed or
    cancelled long ago, with its last deadline long past, cannot count any more.
    Everything counted is still read from the events.
    """
    margin = since - _CLOCK_SLACK
    return (
        visible_issues(user)
        .where(or_(Issue.status.in_(OPEN_STATUSES), Issue.updated_at >= margin, Issue.deadline_at >= margin))
        .with_only_columns(Issue.id)
    )


def load_events(issue_ids: Select[Any]) -> list[Event]:
    """The events of those issues, in one query, ordered by issue and event id."""
    rows = db.session.execute(
        select(
            IssueEvent.issue_id,
            IssueEvent.id,
            IssueEvent.action,
            IssueEvent.to_status,
            IssueEvent.acted_at,
            IssueEvent.created_at,
            IssueEvent.data,
        )
        .where(IssueEvent.issue_id.in_(issue_ids))
        .order_by(IssueEvent.issue_id, IssueEvent.id)
    )
    return [
        Event(row.issue_id, row.id, row.action, row.to_status, row.acted_at or row.created_at, row.data or {})
        for row in rows
    ]


def replay_all(events: Iterable[Event], as_of: datetime) -> list[Timeline]:
    """One timeline per issue, from its events up to ``as_of``."""
    return [replay(issue_id, list(group), as_of) for issue_id, group in groupby(events, key=lambda e: e.issue_id)]


# ---------------------------------------------------------------------- replay


def replay(issue_id: int, events: list[Event], as_of: datetime) -> Timeline:
    timeline = Timeline(issue_id)
    for event in events:
        if event.at > as_of:
            break  # the log as it stood then; later events (and their clamped times) wait
        _APPLY.get(Action(event.action), _nothing)(timeline, event)
        timeline.status = event.to_status
    return timeline


def _nothing(timeline: Timeline, event: Event) -> None:
    return None


def _report(timeline: Timeline, event: Event) -> None:
    timeline.reported_at = event.at


def _dispatch(timeline: Timeline, event: Event) -> None:
    community_id = int(event.data["community_id"])
    timeline.community_id = timeline.dispatched_to = community_id
    timeline.assigned_at = event.at
    _set_deadline(timeline, event, by_extension=False)


def _reject(timeline: Timeline, event: Event) -> None:
    timeline.rejections.append(Step(event.at, timeline.community_id))
    timeline.assigned_at = event.at  # rework: a new assignment with a fresh deadline
    _set_deadline(timeline, event, by_extension=False)


def _approve_extension(timeline: Timeline, event: Event) -> None:
    _set_deadline(timeline, event, by_extension=True)


def _set_deadline(timeline: Timeline, event: Event, *, by_extension: bool) -> None:
    _end_deadline(timeline, event.at)
    due_at = event.data.get("deadline_at")
    if due_at is None or timeline.community_id is None:
        return
    timeline.deadlines.append(
        Deadline(timeline.community_id, datetime.fromisoformat(due_at), event.at, by_extension=by_extension)
    )


def _end_deadline(timeline: Timeline, at: datetime) -> None:
    if (current := timeline.current_deadline) is not None:
        current.ends_at = at


def _rectify(timeline: Timeline, event: Event) -> None:
    started = timeline.assigned_at
    hours = (event.at - started).total_seconds() / 3600 if started else None
    timeline.rectifications.append(Step(event.at, timeline.community_id, hours))
    for deadline in timeline.deadlines:
        if deadline.rectified_at is None and started is not None and deadline.set_at >= started:
            deadline.rectified_at = event.at  # every deadline of this assignment: the first rectify


def _verify(timeline: Timeline, event: Event) -> None:
    timeline.verifications.append(Step(event.at, timeline.community_id))


def _withdraw(timeline: Timeline, event: Event) -> None:
    """Dispute ("not ours") or cancel: nobody is in charge and no deadline runs."""
    _end_deadline(timeline, event.at)
    timeline.community_id = None
    timeline.assigned_at = None


_APPLY = {
    Action.REPORT: _report,
    Action.DISPATCH: _dispatch,
    Action.REJECT: _reject,
    Action.APPROVE_EXTENSION: _approve_extension,
    Action.RECTIFY: _rectify,
    Action.VERIFY: _verify,
    Action.DISPUTE: _withdraw,
    Action.CANCEL: _withdraw,
}
