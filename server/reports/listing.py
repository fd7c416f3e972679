"""The issues a document lists: the issue list's filters, and each issue's 整改情况 from its events.

The filters mirror ``GET /api/v1/issues`` (status, category, community_id, overdue)
plus ``from``/``to`` on 发现时间 (when reported, local days), always on top of
``visible_issues(user)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from server.auth.models import User
from server.categories.models import Category
from server.errors import ValidationFailed
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue, IssueEvent
from server.issues.states import STATUS_LABELS, Action, Status
from server.orgs.models import OrgUnit
from server.reports.periods import Period, to_local

MAX_ROWS = 5000

# The events that say how the rectification is going, and how to word each.
_PROGRESS = {
    Action.RECTIFY: "已提交整改",
    Action.REJECT: "退回整改",
    Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "已批准延期",
    Action.DENY_EXTENSION: "延期申请被驳回",
    Action.DISPUTE: "申诉（非本社区问题）",
    Action.CANCEL: "已撤销",
    Action.VERIFY: "复查通过",
}


class TooManyRows(ValidationFailed):
    code = "too_many_rows"


def filtered_issues(user: User, args: dict[str, Any], now: datetime, period: Period | None) -> list[Issue]:
    """Visible issues matching the filters, by community then when found; at most MAX_ROWS."""
    query = _filtered(visible_issues(user), args, now, period)
    query = query.order_by(Issue.community_id, Issue.created_at, Issue.id).limit(MAX_ROWS + 1)
    issues = list(db.session.scalars(query))
    if len(issues) > MAX_ROWS:
        raise TooManyRows(
            f"符合条件的问题超过 {MAX_ROWS} 条，请缩小筛选范围", f"More than {MAX_ROWS} issues match; narrow the filter"
        )
    return issues


def _filtered(query: Select[Issue], args: dict[str, Any], now: datetime, period: Period | None) -> Select[Issue]:
    if statuses := split_statuses(args.get("status")):
        query = query.where(Issue.status.in_(statuses))
    if args.get("category"):
        codes = [c.strip() for c in args["category"].split(",") if c.strip()]
        query = query.where(Issue.category_id.in_(select(Category.id).where(Category.code.in_(codes))))
    if args.get("community_id") is not None:
        query = query.where(Issue.community_id == args["community_id"])
    if args.get("overdue") is not None:
        overdue = (Issue.status == Status.ASSIGNED) & (Issue.deadline_at < now)
        query = query.where(overdue if args["overdue"] else ~overdue)
    if period is not None:
        query = query.where(Issue.created_at >= period.start, Issue.created_at < period.end)
    return query


def split_statuses(value: str | None) -> list[str]:
    statuses = [s.strip() for s in (value or "").split(",") if s.strip()]
    if unknown := [s for s in statuses if s not in Status._value2member_map_]:
        raise ValidationFailed(details={"status": [f"unknown status: {', '.join(unknown)}"]})
    return statuses


# ------------------------------------------------------------------ labels


def status_text(issue: Issue, now: datetime) -> str:
    label = STATUS_LABELS[Status(issue.status)][0]
    return f"{label}（已逾期）" if issue.is_overdue(now) else label


def responsible_units(issues: Iterable[Issue]) -> dict[int, str]:
    """责任单位 per community: 街道 + 社区 (e.g. 白沙洲街道金龙社区), in one query."""
    communities = {i.community.id: i.community for i in issues if i.community is not None}
    parent_ids = {c.parent_id for c in communities.values() if c.parent_id is not None}
    parents = {u.id: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(parent_ids)))}
    return {
        cid: (parents[c.parent_id].name if c.parent_id in parents else "") + c.name for cid, c in communities.items()
    }


def notice_number(issue: Issue) -> str:
    """编号 of the issue's notice: XC-<year found>-<id>, e.g. XC-2026-000123."""
    return f"XC-{to_local(issue.created_at).year}-{issue.id:06d}"


# ------------------------------------------------------------------ 整改情况


@dataclass(frozen=True)
class ProgressEvent:
    action: str
    note: str
    at: datetime
    data: dict[str, Any]


def progress_texts(issue_ids: list[int]) -> dict[int, str]:
    """整改情况 of each issue from its events (one query): the latest staff note or result."""
    events: dict[int, list[ProgressEvent]] = defaultdict(list)
    if issue_ids:
        rows = db.session.execute(
            select(
                IssueEvent.issue_id,
                IssueEvent.action,
                IssueEvent.note,
                IssueEvent.acted_at,
                IssueEvent.created_at,
                IssueEvent.data,
            )
            .where(IssueEvent.issue_id.in_(issue_ids), IssueEvent.action.in_([a.value for a in _PROGRESS]))
            .order_by(IssueEvent.issue_id, IssueEvent.id)
        )
        for row in rows:
            events[row.issue_id].append(ProgressEvent(row.action, row.note, row.acted_at or row.created_at, row.data))
    return {issue_id: progress_text(events.get(issue_id, [])) for issue_id in issue_ids}


def progress_text(events: list[ProgressEvent]) -> str:
    if not events:
        return ""
    last = events[-1]
    when = f"{to_local(last.at):%m-%d}"
    if last.action == Action.VERIFY:
        rectified = [e for e in events if e.action == Action.RECTIFY]
        note = rectified[-1].note if rectified else ""
        return f"已整改：{note}（{when} 复查通过）" if note else f"已整改（{when} 复查通过）"
    label = _PROGRESS[Action(last.action)]
    if last.action in (Action.REQUEST_EXTENSION, Action.APPROVE_EXTENSION):
        until = last.data.get("requested_until") or last.data.get("deadline_at")
        if until:
            label += f"至 {to_local(datetime.fromisoformat(until)):%m-%d}"
    return f"{label}（{when}）：{last.note}" if last.note else f"{label}（{when}）"
