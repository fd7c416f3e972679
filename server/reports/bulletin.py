"""督查通报: the bulletin published after an inspection round, in the seeds' words.

Per community, the problems found in the period, listed by location and
description, then the counts:

    金龙社区：存在的问题有：金龙小区11栋前坪有废弃物一堆；金龙小区7栋违规搭棚3处。
    发现问题 2 个，已整改 1 个，逾期 1 个。

Which issues: those whose ``report`` event falls in the period, under the community
of their latest ``dispatch`` (as ``found`` in ``server.reports.stats``), less the
ones cancelled (not a problem after all), in the order they were found.
已整改 = of those, closed (复查通过); 逾期 = of those, overdue — both as of the
end of the period, or now while it runs. Communities come in the org tree's order; those with nothing found are
left out; a period with nothing at all says so.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from server.auth.models import User
from server.extensions import db
from server.issues.models import Issue
from server.issues.states import Status
from server.orgs.models import OrgUnit
from server.orgs.operations import communities_under
from server.reports.history import Timeline, load_events, relevant_issue_ids, replay_all
from server.reports.periods import Period, local_today

TITLE = "督查通报"
CLOSING = (
    "请各社区对照上述问题，在整改时限内整改到位，并通过巡查系统提交整改情况；"
    "市创建办将组织复查，复查结果纳入同台PK考评。"
)
_TRAILING = "。；;，,、.！!　 "


@dataclass
class Section:
    community: str
    problems: list[str]
    closed: int
    overdue: int

    @property
    def found(self) -> int:
        return len(self.problems)

    def problems_line(self) -> str:
        return f"{self.community}：存在的问题有：{'；'.join(self.problems)}。"

    def counts_line(self) -> str:
        return f"发现问题 {self.found} 个，已整改 {self.closed} 个，逾期 {self.overdue} 个。"


@dataclass
class Bulletin:
    period: Period
    sections: list[Section]
    issuer: str
    issued_on: date


def build_bulletin(
    user: User, period: Period, now: datetime, *, issuer: str, community_id: int | None = None
) -> Bulletin:
    as_of = period.as_of(now)
    communities = sorted((c for c in communities_under(user.org_unit) if community_id in (None, c.id)), key=_tree_order)
    replayed = replay_all(load_events(relevant_issue_ids(user, period.start)), as_of)
    timelines = [t for t in replayed if _listed(t, period)]
    issues = _issues({t.issue_id for t in timelines})
    sections = [_section(c, [t for t in timelines if t.dispatched_to == c.id], issues, as_of) for c in communities]
    return Bulletin(period, [s for s in sections if s.problems], issuer, local_today(now))


def _tree_order(unit: OrgUnit) -> list[int]:
    """The org tree's order (district, street, community as created), the same on every database."""
    return [int(part) for part in unit.path.strip("/").split("/")]


def _listed(timeline: Timeline, period: Period) -> bool:
    found = timeline.reported_at is not None and period.contains(timeline.reported_at)
    return found and timeline.dispatched_to is not None and timeline.status != Status.CANCELLED


def _issues(ids: set[int]) -> dict[int, Issue]:
    return {i.id: i for i in db.session.scalars(select(Issue).where(Issue.id.in_(ids)))} if ids else {}


def _section(community: OrgUnit, timelines: list[Timeline], issues: dict[int, Issue], as_of: datetime) -> Section:
    ordered = sorted(timelines, key=lambda t: (t.reported_at, t.issue_id))
    return Section(
        community=community.name,
        problems=[problem_text(issues[t.issue_id].location_text, issues[t.issue_id].description) for t in ordered],
        closed=sum(1 for t in ordered if t.status == Status.CLOSED),
        overdue=sum(1 for t in ordered if t.overdue_community(as_of) == community.id),
    )


def problem_text(location: str, description: str) -> str:
    """{位置}{描述} as the bulletins write it: 金龙小区11栋前坪有废弃物一堆."""
    location = location.strip().rstrip(_TRAILING)
    description = description.strip().rstrip(_TRAILING)
    if location and description.startswith(location):
        return description
    return f"{location}{description}" or "（未填写）"


# ------------------------------------------------------------------ renderings


def _heading(bulletin: Bulletin) -> str:
    return f"（{bulletin.period.label()}）"


def _signature(bulletin: Bulletin) -> list[str]:
    day = bulletin.issued_on
    return [bulletin.issuer, f"{day.year}年{day.month}月{day.day}日"]


def render_text(bulletin: Bulletin) -> str:
    lines = [TITLE, _heading(bulletin), ""]
    for section in bulletin.sections:
        lines += [section.problems_line(), section.counts_line(), ""]
    if not bulletin.sections:
        lines += ["本期督查未发现问题。", ""]
    lines += [CLOSING, "", *_signature(bulletin)]
    return "\n".join(lines) + "\n"


def render_markdown(bulletin: Bulletin) -> str:
    lines = [f"# {TITLE}", "", _heading(bulletin), ""]
    for section in bulletin.sections:
        problems = _md(section.problems_line().removeprefix(f"{section.community}："))
        lines += [f"**{_md(section.community)}**：{problems}", "", section.counts_line(), ""]
    if not bulletin.sections:
        lines += ["本期督查未发现问题。", ""]
    lines += [CLOSING, "", *(f"{line}  " for line in _signature(bulletin))]
    return "\n".join(lines).rstrip() + "\n"


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]()#+\-!|<>])", r"\\\1", text)


def render_docx(bulletin: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "SimSun"
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for text in (TITLE, _heading(bulletin)):
        document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for section in bulletin.sections:
        document.add_paragraph(section.problems_line())
        document.add_paragraph(section.counts_line())
    if not bulletin.sections:
        document.add_paragraph("本期督查未发现问题。")
    document.add_paragraph(CLOSING)
    for line in _signature(bulletin):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
