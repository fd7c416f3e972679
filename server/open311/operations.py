"""Open311 GeoReport v2 on top of the issue workflow: services, public requests, filing a request.

Reading is public, as the standard has it: every issue, but only what a citizen
may see — no reporter, no phone, no internal ids; ``status_notes`` is the note of
the latest event that has one (the report's own text excluded, it is the
description). Filing needs an API key from OPEN311_API_KEYS; the issue is then
reported by the user that key stands for, through ``create_issue``, and routed
and dispatched like any other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin

from flask import current_app, request
from sqlalchemy import select

from server.auth.models import User
from server.categories.models import Category, CategoryKind
from server.categories.operations import get_category, list_categories
from server.errors import Forbidden, ValidationFailed
from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.issues.operations import NewIssue, create_issue
from server.issues.states import Action, Status
from server.open311 import media
from server.orgs.models import OrgKind, OrgUnit
from server.photos.models import Photo, PhotoKind
from server.photos.operations import create_photo, photo_urls, photos_for_issues
from server.reports.periods import to_local

OPEN = (Status.REPORTED, Status.ASSIGNED, Status.RECTIFIED)
CLOSED = (Status.CLOSED, Status.CANCELLED)
MAX_RESULTS = 1000
MAX_SPAN = timedelta(days=90)
COMMUNITY_ATTRIBUTE = "community"
# uuid5 namespace for client ids derived from an API key and the client's own request token.
_CLIENT_ID_NAMESPACE = uuid.UUID("9a4c3f7e-7b1d-5c9e-8f00-311311311311")


class BadApiKey(Forbidden):
    code = "invalid_api_key"
    message_zh = "api_key 无效"
    message_en = "Invalid api_key"


# ------------------------------------------------------------------ services


def services() -> list[dict[str, Any]]:
    return [_service(category) for category in list_categories()]


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name_zh,
        "description": f"{category.group_zh} / {category.name_zh}（{category.name_en}）",
        "metadata": category.kind == CategoryKind.DOCUMENT,  # 软件资料 name their community
        "type": "realtime",
        "keywords": ",".join([category.name_zh, category.name_en, category.group_zh]),
        "group": category.group_zh,
    }


def service_definition(code: str) -> dict[str, Any]:
    category = get_category(code)
    attributes = [_community_attribute()] if category.kind == CategoryKind.DOCUMENT else []
    return {"service_code": category.code, "attributes": attributes}


def _community_attribute() -> dict[str, Any]:
    communities = db.session.scalars(select(OrgUnit).where(OrgUnit.kind == OrgKind.COMMUNITY).order_by(OrgUnit.id))
    return {
        "variable": True,
        "code": COMMUNITY_ATTRIBUTE,
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "所属社区",
        "values": [{"key": c.code, "name": c.name} for c in communities],
    }


# ------------------------------------------------------------------ reading


@dataclass
class RequestQuery:
    ids: list[str]
    service_codes: list[str]
    start: datetime | None
    end: datetime | None
    statuses: list[str]


def find_requests(query: RequestQuery, now: datetime) -> list[dict[str, Any]]:
    """Requests by id (which overrides every other filter), else by service, date and status."""
    select_issues = select(Issue)
    if query.ids:
        select_issues = select_issues.where(Issue.public_id.in_(query.ids))
    else:
        select_issues = _filtered(select_issues, query, now)
    select_issues = select_issues.order_by(Issue.created_at.desc(), Issue.id.desc()).limit(MAX_RESULTS)
    issues = list(db.session.scalars(select_issues))
    return describe(issues)


def _filtered(query: Any, args: RequestQuery, now: datetime) -> Any:
    end = args.end or now
    start = args.start or end - MAX_SPAN
    if end - start > MAX_SPAN:
        raise ValidationFailed(
            "start_date 与 end_date 相隔不能超过 90 天", "The date range may not span more than 90 days"
        )
    query = query.where(Issue.created_at >= start, Issue.created_at <= end)
    if args.service_codes:
        query = query.where(Issue.category_id.in_(select(Category.id).where(Category.code.in_(args.service_codes))))
    if args.statuses:
        ours = [s for wanted in args.statuses for s in (OPEN if wanted == "open" else CLOSED)]
        query = query.where(Issue.status.in_(ours))
    return query


def describe(issues: list[Issue]) -> list[dict[str, Any]]:
    """The public view of each issue (three queries for any number of issues)."""
    ids = [i.id for i in issues]
    photos = photos_for_issues(ids)
    notes, updated = _latest_notes_and_times(ids)
    return [_request(i, photos[i.id], notes.get(i.id), updated.get(i.id, i.created_at)) for i in issues]


def _latest_notes_and_times(ids: list[int]) -> tuple[dict[int, str], dict[int, datetime]]:
    notes: dict[int, str] = {}
    updated: dict[int, datetime] = {}
    if not ids:
        return notes, updated
    rows = db.session.execute(
        select(IssueEvent.issue_id, IssueEvent.action, IssueEvent.note, IssueEvent.acted_at, IssueEvent.created_at)
        .where(IssueEvent.issue_id.in_(ids))
        .order_by(IssueEvent.issue_id, IssueEvent.id)
    )
    for row in rows:
        updated[row.issue_id] = max(updated.get(row.issue_id, row.created_at), row.acted_at or row.created_at)
        if row.note and row.action != Action.REPORT:
            notes[row.issue_id] = row.note
    return notes, updated


def _request(issue: Issue, photos: list[Photo], note: str | None, updated_at: datetime) -> dict[str, Any]:
    before = [p for p in photos if p.kind == PhotoKind.BEFORE] or photos
    return {
        "service_request_id": issue.public_id,
        "status": "open" if issue.status in OPEN else "closed",
        "status_notes": note,
        "service_name": issue.category.name_zh,
        "service_code": issue.category.code,
        "description": issue.description,
        "agency_responsible": issue.community.name if issue.community else None,
        "service_notice": None,
        "requested_datetime": w3c(issue.created_at),
        "updated_datetime": w3c(updated_at),
        "expected_datetime": w3c(issue.deadline_at),
        "address": issue.location_text or None,
        "address_id": None,
        "zipcode": None,
        "lat": issue.lat,
        "long": issue.lon,
        "media_url": _absolute(photo_urls(before[0])["display"]) if before else None,
    }


def w3c(moment: datetime | None) -> str | None:
    """W3C datetime in local time with its offset, e.g. 2026-03-02T09:00:00+08:00."""
    return to_local(moment).replace(microsecond=0).isoformat() if moment else None


def _absolute(url: str) -> str:
    return urljoin(request.host_url, url)  # local storage signs app-relative links


# ------------------------------------------------------------------ filing


@dataclass
class NewRequest:
    api_key: str
    service_code: str
    lat: float | None = None
    lon: float | None = None
    address_string: str = ""
    description: str = ""
    media_url: str | None = None
    community_code: str | None = None
    client_request_id: str | None = None


def user_for_key(api_key: str) -> User:
    """The user an API key files requests as (OPEN311_API_KEYS "key:username,…")."""
    pairs = (entry.split(":", 1) for entry in str(current_app.config.get("OPEN311_API_KEYS") or "").split(","))
    keys = {key.strip(): name.strip() for key, name in (p for p in pairs if len(p) == 2) if key.strip()}
    username = keys.get(api_key) if api_key else None
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if user is None or not user.is_active:
        raise BadApiKey()
    return user


def file_request(new: NewRequest) -> tuple[Issue, bool]:
    """Create the issue for an Open311 POST; ``(issue, created)`` (False: a retry of the same request)."""
    user = user_for_key(new.api_key)
    category = get_category(new.service_code)
    client_id = client_id_for(new.api_key, new.client_request_id)
    description = new.description.strip()
    photo_ids: list[str] = []
    if new.media_url and media.is_allowed(new.media_url):
        photo_ids.append(_photo_from(user, new.media_url, client_id))
    elif new.media_url:
        description = f"{description}\n（附件：{new.media_url}）".strip()
    if category.kind == CategoryKind.SITE and not photo_ids:
        raise ValidationFailed(
            "该类问题需要现场照片：请在 media_url 中提供可下载的照片（仅限服务器允许的主机）",
            "This service needs a photo: give a media_url on an allowed host",
            code="photo_required",
        )
    return create_issue(user, _new_issue(new, client_id, description, photo_ids))


def client_id_for(api_key: str, token: str | None) -> str:
    """Stable for a client's own request token (so a retry is one issue), else random."""
    if token:
        return str(uuid.uuid5(_CLIENT_ID_NAMESPACE, f"{api_key}\n{token}"))
    return str(uuid.uuid4())


def _photo_from(user: User, url: str, client_id: str) -> str:
    photo_client_id = str(uuid.uuid5(_CLIENT_ID_NAMESPACE, f"{client_id}\nmedia"))
    photo, _ = create_photo(user, media.fetch(url), kind=PhotoKind.BEFORE, client_id=photo_client_id)
    return photo.public_id


def _new_issue(new: NewRequest, client_id: str, description: str, photo_ids: list[str]) -> NewIssue:
    return NewIssue(
        client_id=client_id,
        category=new.service_code,
        photo_ids=photo_ids,
        lat=new.lat,
        lon=new.lon,
        location_text=new.address_string.strip()[:200],
        description=description,
        community_id=_community_id(new.community_code),
    )


def _community_id(code: str | None) -> int | None:
    if not code:
        return None
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.kind == OrgKind.COMMUNITY))
    if unit is None:
        raise ValidationFailed(f"未知的社区「{code}」", f"Unknown community '{code}'", code="unknown_community")
    return unit.id


def service_notice(issue: Issue) -> str:
    if issue.community is not None and issue.deadline_at is not None:
        return f"已受理，已派发至{issue.community.name}，整改时限 {to_local(issue.deadline_at):%Y-%m-%d %H:%M}"
    return "已受理，等待派发"
