"""The business rules of an issue's life: report, route, dispatch, and every transition.

Operations take the acting user, change the issue, write one event per change,
flush, and never commit (the request does, once).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from server.auth.models import User
from server.categories.models import Category, CategoryKind
from server.categories.operations import get_category
from server.db import utcnow
from server.deadlines.operations import deadline_for
from server.errors import Conflict, RoleNotAllowed, ValidationFailed
from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.issues.states import (
    REPORTER_ROLES,
    TRANSITIONS,
    Action,
    Need,
    Status,
    Transition,
    allowed_actions,
    check_transition,
)
from server.orgs.models import OrgKind, OrgUnit
from server.orgs.operations import route_point
from server.photos.models import PhotoKind
from server.photos.operations import attach_photos
from server.transaction import StaleVersion

# A device clock may run a little fast; an action "from the future" beyond this is clamped.
_CLOCK_SLACK = timedelta(minutes=5)


@dataclass
class NewIssue:
    client_id: str
    category: str
    photo_ids: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_text: str = ""
    description: str = ""
    community_id: int | None = None


@dataclass
class ActionRequest:
    action: str
    version: int
    note: str = ""
    photo_ids: list[str] = field(default_factory=list)
    community_id: int | None = None
    requested_until: datetime | None = None  # an aware datetime; the end of the requested day
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    acted_at: datetime | None = None
    client_id: str | None = None


# --------------------------------------------------------------------- create


def create_issue(actor: User, new: NewIssue) -> tuple[Issue, bool]:
    """Report an issue; route and dispatch it when its community is known.

    ``client_id`` is an idempotency key: a retry returns the original issue and
    False, never a second issue, even when two copies arrive at the same time.
    """
    if actor.role not in REPORTER_ROLES:
        raise RoleNotAllowed("只有巡查员和督查组长可以上报问题", "Only inspectors and supervisors report issues")
    if (existing := _issue_by_client_id(new.client_id, actor)) is not None:
        return existing, False
    category = get_category(new.category)
    community = _community_for_report(actor, category, new)
    try:
        with db.session.begin_nested():
            issue = _insert_issue(actor, category, new)
    except IntegrityError:
        # The same client_id won a race with us; answer with its issue.
        existing = _issue_by_client_id(new.client_id, actor)
        if existing is None:
            raise
        return existing, False
    event = _record(issue, actor, Action.REPORT, None, Status.REPORTED, note=new.description)
    event.lat, event.lon, event.accuracy_m = new.lat, new.lon, new.accuracy_m
    attach_photos(new.photo_ids, actor=actor, kind=PhotoKind.BEFORE, issue=issue, event=event)
    if community is not None:
        _auto_dispatch(issue, community)
    db.session.flush()
    return issue, True


def _issue_by_client_id(client_id: str, actor: User) -> Issue | None:
    issue = db.session.scalar(select(Issue).where(Issue.client_id == client_id))
    if issue is not None and issue.reporter_id != actor.id:
        raise Conflict("该提交编号已被使用", "This client_id is already used", code="client_id_taken")
    return issue


def _insert_issue(actor: User, category: Category, new: NewIssue) -> Issue:
    issue = Issue(
        public_id=str(uuid.uuid4()),
        client_id=new.client_id,
        category=category,
        reporter=actor,
        lat=new.lat,
        lon=new.lon,
        accuracy_m=new.accuracy_m,
        location_text=new.location_text.strip(),
        description=new.description.strip(),
        status=Status.REPORTED,
    )
    db.session.add(issue)
    db.session.flush()
    return issue


@dataclass(frozen=True)
class _Routing:
    unit: OrgUnit
    how: str
    distance_m: float | None = None


def _community_for_report(actor: User, category: Category, new: NewIssue) -> _Routing | None:
    """Which community the new issue belongs to (None: it waits for manual dispatch)."""
    if category.kind == CategoryKind.DOCUMENT:
        if new.community_id is None:
            raise ValidationFailed(
                "软件资料类问题请选择所属社区",
                "Choose the community for a paperwork finding",
                details={"community_id": ["required"]},
            )
        return _Routing(_community_in_scope(actor, new.community_id), "chosen")
    if new.lat is None or new.lon is None:
        raise ValidationFailed(
            "请先获取位置（GPS）再上报",
            "A location is required for this category",
            details={"lat": ["required"], "lon": ["required"]},
        )
    if not new.photo_ids:
        raise ValidationFailed(
            "请至少拍一张现场照片", "At least one photo is required", details={"photo_ids": ["required"]}
        )
    route = route_point(new.lat, new.lon, current_app.config["ROUTING_MAX_DISTANCE_M"])
    return _Routing(route.community, route.how, route.distance_m) if route else None


def _community_in_scope(actor: User, community_id: int) -> OrgUnit:
    unit = db.session.get(OrgUnit, community_id)
    if unit is None or unit.kind != OrgKind.COMMUNITY or not unit.path.startswith(actor.org_unit.path):
        raise ValidationFailed(
            "所选社区不存在或不在您的管辖范围内",
            "Unknown community, or outside your area",
            details={"community_id": ["invalid"]},
        )
    return unit


# ---------------------------------------------------------------- transitions


def apply_action(actor: User, issue: Issue, request: ActionRequest) -> Issue:
    """Take one workflow action on a visible issue, or raise and change nothing."""
    if request.client_id and (replayed := _replayed(issue, actor, request.client_id)):
        return replayed
    transition = check_transition(
        issue.status, request.action, actor.role, extension_pending=issue.extension_requested_until is not None
    )
    if request.version != issue.version:
        raise StaleVersion()
    _check_needs(transition, request)
    now = utcnow()
    from_status = issue.status
    # Effects change several columns that only fit together once all are set (the
    # CHECKs tie them to the status); a query inside one (the calendar) must not
    # flush a half-changed row.
    with db.session.no_autoflush:
        data = _EFFECTS[transition.action](issue, actor, request, now)
    if transition.target is not None:
        issue.status = transition.target
    event = _record(
        issue,
        actor,
        transition.action,
        from_status,
        issue.status,
        note=request.note,
        data=data,
        client_id=request.client_id,
        acted_at=_acted_at(issue, request, now),
    )
    event.lat, event.lon, event.accuracy_m = request.lat, request.lon, request.accuracy_m
    if Need.AFTER_PHOTOS in transition.needs:
        attach_photos(request.photo_ids, actor=actor, kind=PhotoKind.AFTER, issue=issue, event=event)
    if Need.BEFORE_PHOTOS in transition.needs:
        attach_photos(request.photo_ids, actor=actor, kind=PhotoKind.BEFORE, issue=issue, event=event)
    db.session.flush()
    return issue


def _replayed(issue: Issue, actor: User, client_id: str) -> Issue | None:
    """The issue as it is, when this exact action was already applied (a retry)."""
    event = db.session.scalar(select(IssueEvent).where(IssueEvent.client_id == client_id))
    if event is None:
        return None
    if event.issue_id != issue.id or event.actor_id != actor.id:
        raise Conflict("该提交编号已被使用", "This client_id is already used", code="client_id_taken")
    return issue


def _acted_at(issue: Issue, request: ActionRequest, now: datetime) -> datetime:
    """When the person acted: the phone's time for work done offline, within what is possible.

    Not in the future (a fast clock), and not before the issue's last event (a
    slow clock, or a phone that never set its date).
    """
    if request.acted_at is None or request.acted_at > now + _CLOCK_SLACK:
        return now
    last = db.session.scalar(select(func.max(IssueEvent.created_at)).where(IssueEvent.issue_id == issue.id))
    return max(request.acted_at, last) if last else request.acted_at


def _check_needs(transition: Transition, request: ActionRequest) -> None:
    missing: dict[str, list[str]] = {}
    needs = transition.needs
    if Need.NOTE in needs and not request.note.strip():
        missing["note"] = ["required"]
    if needs & {Need.AFTER_PHOTOS, Need.BEFORE_PHOTOS} and not request.photo_ids:
        missing["photo_ids"] = ["required"]
    if Need.COMMUNITY in needs and request.community_id is None:
        missing["community_id"] = ["required"]
    if Need.REQUESTED_UNTIL in needs and request.requested_until is None:
        missing["requested_until"] = ["required"]
    if missing:
        raise ValidationFailed(_MISSING_MESSAGE.get(transition.action, "请补全必填内容"), details=missing)


_MISSING_MESSAGE = {
    Action.RECTIFY: "请上传整改后照片并填写整改说明",
    Action.REJECT: "请填写退回原因",
    Action.REQUEST_EXTENSION: "请填写延期理由和申请的完成日期",
    Action.DENY_EXTENSION: "请填写驳回理由",
    Action.DISPUTE: "请填写申诉理由",
    Action.CANCEL: "请填写撤销原因",
    Action.DISPATCH: "请选择责任社区",
    Action.SAME_PROBLEM: "请至少拍一张现场照片",
}


def _record(
    issue: Issue,
    actor: User | None,
    action: Action,
    from_status: str | None,
    to_status: str,
    *,
    note: str = "",
    data: dict[str, Any] | None = None,
    client_id: str | None = None,
    acted_at: datetime | None = None,
) -> IssueEvent:
    event = IssueEvent(
        issue_id=issue.id,
        actor_id=actor.id if actor else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note.strip(),
        data=data or {},
        client_id=client_id,
        acted_at=acted_at or utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    return event


# ------------------------------------------------------------------ effects
# One function per action: what changes on the issue besides its status. Each
# returns the facts worth keeping in the event (deadlines before/after …).

Effect = Callable[[Issue, User, ActionRequest, datetime], dict[str, Any]]


def _assign(issue: Issue, community: OrgUnit, now: datetime) -> dict[str, Any]:
    """Give the issue to a community with the deadline of its category's rule."""
    issue.community = community
    issue.deadline_at = deadline_for(issue.category.deadline_unit, issue.category.deadline_amount, now)
    issue.dispatched_at = now
    return {"community_id": community.id, "community": community.name, "deadline_at": issue.deadline_at.isoformat()}


def _auto_dispatch(issue: Issue, routing: _Routing) -> None:
    """Dispatch on create, by the system, when the community is known."""
    data = _assign(issue, routing.unit, utcnow())
    data["routed_by"] = routing.how
    if routing.distance_m is not None:
        data["distance_m"] = routing.distance_m
    issue.status = Status.ASSIGNED
    _record(issue, None, Action.DISPATCH, Status.REPORTED, Status.ASSIGNED, data=data)


def _effect_dispatch(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    assert request.community_id is not None  # checked by _check_needs
    return _assign(issue, _community_in_scope(actor, request.community_id), now)


def _effect_rectify(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    issue.rectified_at = now
    issue.extension_requested_until = None  # the work is done; the request is moot
    return {}


def _effect_verify(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    issue.rectified_at = None
    issue.closed_at = now
    return {}


def _effect_reject(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    """返工: back to the community with a fresh deadline from the rule."""
    before = issue.deadline_at
    issue.rectified_at = None
    issue.rework_count += 1
    issue.deadline_at = deadline_for(issue.category.deadline_unit, issue.category.deadline_amount, now)
    return {"rework_count": issue.rework_count, "deadline_before": _iso(before), "deadline_at": _iso(issue.deadline_at)}


def _effect_request_extension(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    requested = request.requested_until
    assert requested is not None
    assert issue.deadline_at is not None
    if requested <= issue.deadline_at:
        raise ValidationFailed(
            "申请的完成日期必须晚于当前整改期限",
            "The requested date must be after the current deadline",
            details={"requested_until": ["not_after_deadline"]},
        )
    issue.extension_requested_until = requested
    return {"requested_until": _iso(requested), "deadline_at": _iso(issue.deadline_at)}


def _effect_approve_extension(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    """Only an approval moves the deadline."""
    before, issue.deadline_at = issue.deadline_at, issue.extension_requested_until
    issue.extension_requested_until = None
    return {"deadline_before": _iso(before), "deadline_at": _iso(issue.deadline_at)}


def _effect_deny_extension(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    requested, issue.extension_requested_until = issue.extension_requested_until, None
    return {"requested_until": _iso(requested)}


def _effect_dispute(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    """ "Not ours": the issue leaves this community and waits for re-dispatch."""
    previous = issue.community_id
    issue.community = None
    issue.deadline_at = issue.dispatched_at = issue.extension_requested_until = None
    return {"previous_community_id": previous}


def _effect_cancel(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    issue.rectified_at = issue.extension_requested_until = None
    issue.cancelled_at = now
    return {}


def _effect_same_problem(issue: Issue, actor: User, request: ActionRequest, now: datetime) -> dict[str, Any]:
    """Nothing changes but the evidence: the event carries the new photos."""
    return {"photo_count": len(request.photo_ids)}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


_EFFECTS: dict[Action, Effect] = {
    Action.DISPATCH: _effect_dispatch,
    Action.RECTIFY: _effect_rectify,
    Action.VERIFY: _effect_verify,
    Action.REJECT: _effect_reject,
    Action.REQUEST_EXTENSION: _effect_request_extension,
    Action.APPROVE_EXTENSION: _effect_approve_extension,
    Action.DENY_EXTENSION: _effect_deny_extension,
    Action.DISPUTE: _effect_dispute,
    Action.CANCEL: _effect_cancel,
    Action.SAME_PROBLEM: _effect_same_problem,
}
assert set(_EFFECTS) == set(TRANSITIONS), "every transition needs its effect"


def available_actions(issue: Issue, user: User) -> list[str]:
    """The actions ``user`` could take on ``issue`` now."""
    return allowed_actions(issue.status, user.role, extension_pending=issue.extension_requested_until is not None)
