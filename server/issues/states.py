"""The issue workflow, defined once: statuses, actions, and who may take which action from where.

Everything that decides whether a transition is allowed reads ``TRANSITIONS``;
``check_transition`` is the only function that interprets it.

            dispatch                 rectify                  verify
 reported ───────────▶ assigned ───────────────▶ rectified ───────────▶ closed
    │                  ▲  │  │                        │
    └── cancel         │  │  └ dispute ─▶ reported    └ reject ─▶ assigned (rework + 1)
                       │  └ request_extension / approve_extension / deny_extension
    same_problem (reported, assigned, rectified): another inspector's photos join the issue
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.auth.models import Role
from server.errors import Conflict


class Status(StrEnum):
    REPORTED = "reported"  # 待派发
    ASSIGNED = "assigned"  # 整改中
    RECTIFIED = "rectified"  # 待复查
    CLOSED = "closed"  # 已办结
    CANCELLED = "cancelled"  # 已撤销


# Not yet 办结 or 撤销: what the map, the duplicate check and the reports call "open".
OPEN_STATUSES: tuple[Status, ...] = (Status.REPORTED, Status.ASSIGNED, Status.RECTIFIED)


class Action(StrEnum):
    REPORT = "report"  # the creating event, not a transition clients ask for
    DISPATCH = "dispatch"
    RECTIFY = "rectify"
    VERIFY = "verify"
    REJECT = "reject"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    DENY_EXTENSION = "deny_extension"
    DISPUTE = "dispute"
    CANCEL = "cancel"
    SAME_PROBLEM = "same_problem"  # another report of an open issue: its photos join it


class Need(StrEnum):
    """What an action must carry or find, checked before anything changes."""

    NOTE = "note"
    AFTER_PHOTOS = "after_photos"
    BEFORE_PHOTOS = "before_photos"
    COMMUNITY = "community"
    REQUESTED_UNTIL = "requested_until"
    EXTENSION_PENDING = "extension_pending"
    NO_EXTENSION_PENDING = "no_extension_pending"


STATUS_LABELS = {
    Status.REPORTED: ("待派发", "Awaiting dispatch"),
    Status.ASSIGNED: ("整改中", "Being rectified"),
    Status.RECTIFIED: ("待复查", "Awaiting re-check"),
    Status.CLOSED: ("已办结", "Closed"),
    Status.CANCELLED: ("已撤销", "Cancelled"),
}

ACTION_LABELS = {
    Action.REPORT: ("上报问题", "Report"),
    Action.DISPATCH: ("派发", "Dispatch"),
    Action.RECTIFY: ("提交整改", "Submit rectification"),
    Action.VERIFY: ("复查通过", "Pass re-check"),
    Action.REJECT: ("退回整改", "Reject (rework)"),
    Action.REQUEST_EXTENSION: ("申请延期", "Request extension"),
    Action.APPROVE_EXTENSION: ("批准延期", "Approve extension"),
    Action.DENY_EXTENSION: ("驳回延期", "Deny extension"),
    Action.DISPUTE: ("申诉（非本社区问题）", "Dispute (not ours)"),
    Action.CANCEL: ("撤销", "Cancel"),
    Action.SAME_PROBLEM: ("同一问题补充照片", "Same problem: photos added"),
}


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[Status]
    target: Status | None  # None: the status stays (extension requests and decisions)
    roles: frozenset[Role]
    needs: frozenset[Need] = frozenset()


def _t(
    action: Action, sources: set[Status], target: Status | None, roles: set[Role], needs: set[Need] | None = None
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), frozenset(needs or ()))


_STAFF = {Role.COMMUNITY_STAFF}
_CHECKERS = {Role.INSPECTOR, Role.SUPERVISOR}
_SUPERVISOR = {Role.SUPERVISOR}

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        _t(Action.DISPATCH, {Status.REPORTED}, Status.ASSIGNED, _SUPERVISOR, {Need.COMMUNITY}),
        _t(Action.RECTIFY, {Status.ASSIGNED}, Status.RECTIFIED, _STAFF, {Need.NOTE, Need.AFTER_PHOTOS}),
        _t(Action.VERIFY, {Status.RECTIFIED}, Status.CLOSED, _CHECKERS),
        _t(Action.REJECT, {Status.RECTIFIED}, Status.ASSIGNED, _CHECKERS, {Need.NOTE}),
        _t(
            Action.REQUEST_EXTENSION,
            {Status.ASSIGNED},
            None,
            _STAFF,
            {Need.NOTE, Need.REQUESTED_UNTIL, Need.NO_EXTENSION_PENDING},
        ),
        _t(Action.APPROVE_EXTENSION, {Status.ASSIGNED}, None, _SUPERVISOR, {Need.EXTENSION_PENDING}),
        _t(Action.DENY_EXTENSION, {Status.ASSIGNED}, None, _SUPERVISOR, {Need.EXTENSION_PENDING, Need.NOTE}),
        _t(Action.DISPUTE, {Status.ASSIGNED}, Status.REPORTED, _STAFF, {Need.NOTE}),
        _t(
            Action.CANCEL,
            set(OPEN_STATUSES),
            Status.CANCELLED,
            _CHECKERS,
            {Need.NOTE},
        ),
        _t(
            Action.SAME_PROBLEM,
            set(OPEN_STATUSES),
            None,
            _CHECKERS,
            {Need.BEFORE_PHOTOS},
        ),
    )
}

# Who may report (create) an issue at all.
REPORTER_ROLES = frozenset({Role.INSPECTOR, Role.SUPERVISOR})


class TransitionNotAllowed(Conflict):
    code = "transition_not_allowed"


def check_transition(status: str, action: str, role: str, *, extension_pending: bool = False) -> Transition:
    """The transition for ``action`` from ``status`` by ``role``, or TransitionNotAllowed."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise TransitionNotAllowed(
            f"未知的操作「{action}」", f"Unknown action '{action}'", code="unknown_action"
        ) from None
    action_zh, action_en = ACTION_LABELS[transition.action]
    if role not in transition.roles:
        raise TransitionNotAllowed(
            f"您的角色不能执行「{action_zh}」",
            f"Your role may not '{action_en}'",
            code="action_not_allowed_for_role",
        )
    if status not in transition.sources:
        status_zh, status_en = STATUS_LABELS[Status(status)]
        raise TransitionNotAllowed(
            f"问题当前为「{status_zh}」，不能执行「{action_zh}」",
            f"An issue that is '{status_en}' cannot '{action_en}'",
            code="transition_not_allowed",
        )
    if Need.EXTENSION_PENDING in transition.needs and not extension_pending:
        raise TransitionNotAllowed(
            "该问题没有待审批的延期申请", "No extension request is waiting", code="no_extension_pending"
        )
    if Need.NO_EXTENSION_PENDING in transition.needs and extension_pending:
        raise TransitionNotAllowed(
            "已有延期申请在审批中", "An extension request is already waiting", code="extension_pending"
        )
    return transition


def allowed_actions(status: str, role: str, *, extension_pending: bool) -> list[str]:
    """Every action ``role`` may take from ``status`` now (for the app's buttons)."""
    allowed = []
    for action in TRANSITIONS:
        try:
            check_transition(status, action, role, extension_pending=extension_pending)
        except TransitionNotAllowed:
            continue
        allowed.append(action.value)
    return allowed
