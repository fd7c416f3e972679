"""Which issues a user may see: the one place every issue query is scoped.

Default deny. A user sees the issues of the communities under their own org
unit; inspectors, supervisors and admins of a city also see issues not yet
routed to any community (and an inspector always sees what they reported).
Anything outside answers 404, whether read or acted on.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select

from server.auth.models import Role, User
from server.errors import NotFound
from server.extensions import db
from server.issues.models import Issue
from server.orgs.models import OrgKind, OrgUnit

_CITY_WIDE_ROLES = {Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN}


def visible_issues(user: User) -> Select[Issue]:
    """A SELECT of the issues ``user`` may see; add filters to it, never remove."""
    role = Role(user.role) if user.role in Role._value2member_map_ else None
    if role is None or not user.is_active:
        return select(Issue).where(false())
    in_my_communities = Issue.community_id.in_(
        select(OrgUnit.id).where(OrgUnit.path.startswith(user.org_unit.path), OrgUnit.kind == OrgKind.COMMUNITY)
    )
    conditions: list[ColumnElement[bool]] = [in_my_communities]
    if role in _CITY_WIDE_ROLES:
        conditions.append(Issue.reporter_id == user.id)
        if user.org_unit.kind == OrgKind.CITY:
            conditions.append(Issue.community_id.is_(None))
    return select(Issue).where(or_(*conditions))


def get_visible_issue(user: User, public_id: str, *, for_update: bool = False) -> Issue:
    query = visible_issues(user).where(Issue.public_id == public_id)
    if for_update:
        query = query.with_for_update(of=Issue)
    issue = db.session.scalar(query)
    if issue is None:
        raise NotFound("找不到该问题，或您无权查看", "Issue not found")
    return issue
