"""What part of the counts a user may see, read off ``visible_issues(user)`` itself.

There is one scope helper, ``server.issues.access.visible_issues``; the map does
not restate its rules. It takes that query's criterion apart:

- the alternatives that depend on nothing of the issue but its community (for
  example "community in my subtree", "no community yet") apply to the count
  rows as they are, with the issue's community_id replaced by the row's;
- any other alternative (for example "I reported it") can add issues outside
  those communities. They are few, and are fetched from the issues with
  ``visible_issues(user)`` and that alternative (an indexed query), unless the
  community part already covers every community and the unrouted ones.

If the criterion ever takes a shape this does not understand, everything falls
under "other", which is slower and still right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, false, func, not_, null, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.sql import operators, visitors
from sqlalchemy.sql.elements import BooleanClauseList, ColumnClause, Grouping

from server.auth.models import User
from server.extensions import db
from server.issues.access import visible_issues
from server.issues.models import Issue
from server.map.models import NO_COMMUNITY
from server.orgs.models import OrgKind, OrgUnit

_ISSUES = Issue.__table__
# An alias, not OrgUnit itself: a subquery on org_units inside the criterion would correlate to it.
_UNITS = aliased(OrgUnit, name="unit")


@dataclass
class Scope:
    visible: Select[Any]  # visible_issues(user): every issue query starts here
    community_terms: list[ColumnElement[bool]]  # alternatives about Issue.community_id only
    other_terms: list[ColumnElement[bool]]
    coverage: tuple[bool, bool] | None = None

    def issues(self) -> Select[Any]:
        """``visible``, or plainly every issue when the community part grants them all.

        The same rows either way; the plain query spares PostgreSQL planning the
        scope's subquery once per key range, a third of a viewport's time.
        """
        return select(Issue) if self._coverage() == (True, False) else self.visible

    def rows(self, community_id: Any) -> ColumnElement[bool]:
        """The community part, for count rows whose ``community_id`` column is given (0 = none)."""
        if self._coverage() == (True, False):
            return true()  # every community and the unrouted: nothing to filter
        return self._on(func.nullif(community_id, NO_COMMUNITY))

    def counted(self) -> ColumnElement[bool]:
        """The same, on the issues: the issues the counts answer for."""
        return or_(false(), *self.community_terms)

    def uncounted(self) -> Select[Any] | None:
        """Visible issues the counts do not hold (say, one's own reports elsewhere), or None if none can be."""
        unrouted_counted, outside = self._coverage()
        if not self.other_terms or (unrouted_counted and not outside):
            return None
        elsewhere = [Issue.community_id.in_(self._outside())]
        if not unrouted_counted:
            elsewhere.append(Issue.community_id.is_(None))
        return self.visible.where(or_(*self.other_terms), or_(*elsewhere))

    def _coverage(self) -> tuple[bool, bool]:
        """(are unrouted issues counted, is any community left out), asked once, in one query."""
        if self.coverage is None:
            unrouted = select(1).where(self._on(null())).exists()
            outside = self._outside().exists()
            row = db.session.execute(select(unrouted, outside)).one()
            self.coverage = (bool(row[0]), bool(row[1]))
        return self.coverage

    def _outside(self) -> Select[Any]:
        """The communities whose issues the community part does not grant.

        (An issue's community is always a community: the operations route and dispatch only to those.)
        """
        return select(_UNITS.id).where(_UNITS.kind == OrgKind.COMMUNITY, not_(self._on(_UNITS.id)))

    def _on(self, community: Any) -> ColumnElement[bool]:
        def swap(element: Any, **_: Any) -> Any:
            return community if _is_issue_column(element, "community_id") else None

        options: dict[str, Any] = {}
        swapped = [visitors.replacement_traverse(t, options, swap) for t in self.community_terms]
        return or_(false(), *swapped)


def scope_of(user: User) -> Scope:
    visible = visible_issues(user)
    criterion = visible.whereclause
    terms = _alternatives(criterion) if criterion is not None else []
    if criterion is None:
        return Scope(visible, [Issue.community_id.is_(None) | Issue.community_id.is_not(None)], [])
    community_terms = [t for t in terms if _issue_columns(t) <= {"community_id"}]
    other_terms = [t for t in terms if not _issue_columns(t) <= {"community_id"}]
    return Scope(visible, community_terms, other_terms)


def _alternatives(criterion: Any) -> list[ColumnElement[bool]]:
    while isinstance(criterion, Grouping):
        criterion = criterion.element
    if isinstance(criterion, BooleanClauseList) and criterion.operator is operators.or_:
        return [t for c in criterion.clauses for t in _alternatives(c)]
    return [criterion]


def _issue_columns(term: ColumnElement[bool]) -> set[str]:
    return {cast(ColumnClause[Any], el).key for el in visitors.iterate(term) if _is_issue_column(el)}


def _is_issue_column(element: Any, key: str | None = None) -> bool:
    if not isinstance(element, ColumnClause) or element.table is None:
        return False
    table = element.table._deannotate() if hasattr(element.table, "_deannotate") else element.table
    return table is _ISSUES and (key is None or element.key == key)
