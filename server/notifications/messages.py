"""What a notification says, in Chinese and English, in-app and outbound.

A ``Message`` is built once per notice; each recipient gets an in-app copy and each
channel an ``outbound`` payload (plain text, markdown, absolute link, facts) from
which the channel senders build their own request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app

from server.deadlines.calendar import load_timezone
from server.notifications.audience import IssueFacts
from server.notifications.models import NotificationKind

Kind = NotificationKind


@dataclass(frozen=True)
class Message:
    kind: str
    title_zh: str
    title_en: str
    lead_zh: str
    lead_en: str
    facts_zh: list[tuple[str, str]] = field(default_factory=list)
    facts_en: list[tuple[str, str]] = field(default_factory=list)
    link: str = ""  # in-app path
    issue_id: int | None = None
    deadline_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict)  # machine-readable facts for webhooks

    @property
    def body_zh(self) -> str:
        return "\n".join([self.lead_zh, *(f"{label}：{value}" for label, value in self.facts_zh)])

    @property
    def body_en(self) -> str:
        return "\n".join([self.lead_en, *(f"{label}: {value}" for label, value in self.facts_en)])


def local_zone() -> ZoneInfo:
    return load_timezone(current_app.config["XUNCHA_TIMEZONE"])


def local_time(moment: datetime | None) -> str:
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M") if moment else "—"


def absolute_link(path: str) -> str:
    return current_app.config["XUNCHA_PUBLIC_URL"].rstrip("/") + path


def issue_link(facts: IssueFacts) -> str:
    return f"/issues/{facts.public_id}"


# ------------------------------------------------------------------ issues

_TITLES: dict[str, tuple[str, str]] = {
    Kind.DISPATCHED: ("新问题待整改", "New issue to fix"),
    Kind.RECTIFIED: ("整改已提交，待复查", "Rectified, awaiting re-check"),
    Kind.REJECTED: ("复查未通过，退回整改", "Re-check failed, back for rework"),
    Kind.EXTENSION_REQUESTED: ("延期申请待审批", "Extension request to decide"),
    Kind.EXTENSION_APPROVED: ("延期申请已批准", "Extension approved"),
    Kind.EXTENSION_DENIED: ("延期申请未获批准", "Extension denied"),
    Kind.DISPUTED: ("社区申诉，待重新派发", "Disputed by the community, to re-dispatch"),
    Kind.REMINDER: ("整改即将到期", "Deadline approaching"),
    Kind.OVERDUE: ("【已逾期】", "[Overdue] "),
}

_LEADS: dict[str, tuple[str, str]] = {
    Kind.DISPATCHED: ("有一个问题派发到本社区，请在整改期限前完成整改。", "An issue was dispatched to your community."),
    Kind.RECTIFIED: ("{community}已提交整改，请前往复查。", "{community} submitted a rectification; re-check it."),
    Kind.REJECTED: ("复查未通过，请按新的期限重新整改。", "The re-check failed; fix it again by the new deadline."),
    Kind.EXTENSION_REQUESTED: (
        "{community}申请延期至 {requested}，请审批。",
        "{community} asks for more time, until {requested}.",
    ),
    Kind.EXTENSION_APPROVED: ("延期申请已批准，整改期限延至 {deadline}。", "Approved: the deadline is now {deadline}."),
    Kind.EXTENSION_DENIED: ("延期申请未获批准，请按原期限整改。", "Denied: the deadline stays as it was."),
    Kind.DISPUTED: (
        "{community}申诉该问题不属于本社区，请重新派发。",
        "{community} says this issue is not theirs; dispatch it again.",
    ),
    Kind.REMINDER: (
        "距整改期限还剩约 {hours} 小时，请抓紧整改。",
        "About {hours} hours are left before the deadline.",
    ),
    Kind.OVERDUE: ("该问题已超过整改期限，仍未整改完成。", "This issue is past its deadline and not yet rectified."),
}


def issue_message(kind: str, facts: IssueFacts, *, extra: dict[str, str] | None = None, note: str = "") -> Message:
    """The message of ``kind`` about one issue; ``extra`` fills the lead's placeholders."""
    values = {"community": facts.community_name, "deadline": local_time(facts.deadline_at), **(extra or {})}
    title_zh, title_en = _TITLES[kind]
    lead_zh, lead_en = _LEADS[kind]
    subject_zh = f"{facts.category_zh}（{facts.community_name or '未派发'}）"
    subject_en = f"{facts.category_en} ({facts.community_name or 'not dispatched'})"
    joiner_zh, joiner_en = ("", "") if kind == Kind.OVERDUE else ("：", ": ")
    facts_zh, facts_en = _issue_facts(facts)
    if note:
        facts_zh.append((_NOTE_LABELS.get(kind, ("说明", "Note"))[0], note))
        facts_en.append((_NOTE_LABELS.get(kind, ("说明", "Note"))[1], note))
    return Message(
        kind=kind,
        title_zh=f"{title_zh}{joiner_zh}{subject_zh}",
        title_en=f"{title_en}{joiner_en}{subject_en}",
        lead_zh=lead_zh.format(**values),
        lead_en=lead_en.format(**values),
        facts_zh=facts_zh,
        facts_en=facts_en,
        link=issue_link(facts),
        issue_id=facts.id,
        deadline_at=facts.deadline_at,
        data=_issue_data(facts),
    )


_NOTE_LABELS: dict[str, tuple[str, str]] = {
    Kind.REJECTED: ("退回原因", "Reason"),
    Kind.EXTENSION_REQUESTED: ("延期理由", "Reason"),
    Kind.EXTENSION_DENIED: ("驳回理由", "Reason"),
    Kind.DISPUTED: ("申诉理由", "Reason"),
    Kind.RECTIFIED: ("整改说明", "Note"),
}


def _issue_facts(facts: IssueFacts) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    deadline = local_time(facts.deadline_at)
    location = facts.location_text or facts.description or "—"
    community = facts.community_name or "—"
    zh = [("社区", community), ("位置", location), ("类别", facts.category_zh), ("整改期限", deadline)]
    en = [
        ("Community", community),
        ("Location", location),
        ("Category", facts.category_en),
        ("Deadline", deadline),
    ]
    return zh, en


def _issue_data(facts: IssueFacts) -> dict[str, Any]:
    return {
        "issue": {
            "id": facts.public_id,
            "community": facts.community_name,
            "location": facts.location_text,
            "category": facts.category_zh,
            "category_en": facts.category_en,
            "deadline_at": facts.deadline_at.isoformat() if facts.deadline_at else None,
            "deadline_local": local_time(facts.deadline_at),
            "status": facts.status,
        }
    }


# ------------------------------------------------------------------ digest


@dataclass(frozen=True)
class DigestLine:
    facts: IssueFacts

    def text(self) -> str:
        f = self.facts
        return f"{f.community_name}｜{f.category_zh}｜{f.location_text or '—'}｜期限 {local_time(f.deadline_at)}"


def digest_message(
    unit_name: str, day: date, overdue: list[IssueFacts], due_tomorrow: list[IssueFacts], *, limit: int = 30
) -> Message:
    """The daily digest of one unit: what is overdue and what falls due tomorrow."""
    facts_zh: list[tuple[str, str]] = []
    facts_en: list[tuple[str, str]] = []
    for label_zh, label_en, items in (("逾期", "Overdue", overdue), ("明日到期", "Due tomorrow", due_tomorrow)):
        for number, item in enumerate(items[:limit], start=1):
            facts_zh.append((f"{label_zh}{number}", DigestLine(item).text()))
            facts_en.append((f"{label_en} {number}", DigestLine(item).text()))
        if len(items) > limit:
            facts_zh.append((label_zh, f"……等共 {len(items)} 项"))
            facts_en.append((label_en, f"… {len(items)} in all"))
    return Message(
        kind=Kind.DIGEST,
        title_zh=f"每日督办汇总：{unit_name}（{day.isoformat()}）",
        title_en=f"Daily summary: {unit_name} ({day.isoformat()})",
        lead_zh=f"逾期 {len(overdue)} 项，明日到期 {len(due_tomorrow)} 项。",
        lead_en=f"{len(overdue)} overdue, {len(due_tomorrow)} due tomorrow.",
        facts_zh=facts_zh,
        facts_en=facts_en,
        link="/issues",
        data={
            "unit": unit_name,
            "day": day.isoformat(),
            "overdue": [_issue_data(f)["issue"] for f in overdue],
            "due_tomorrow": [_issue_data(f)["issue"] for f in due_tomorrow],
        },
    )


# ------------------------------------------------------------------ outbound


def outbound(message: Message) -> dict[str, Any]:
    """The channel-neutral payload stored on a delivery (Chinese: the offices read Chinese)."""
    link = absolute_link(message.link)
    markdown = "\n".join(
        [
            f"**{message.title_zh}**",
            message.lead_zh,
            *(f"> {label}：{value}" for label, value in message.facts_zh),
            f"[查看详情]({link})",
        ]
    )
    return {
        "kind": message.kind,
        "title": message.title_zh,
        "text": f"{message.body_zh}\n详情：{link}",
        "markdown": markdown,
        "link": link,
        "data": message.data,
    }
