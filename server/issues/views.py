"""HTTP handlers for issues: parse, load (404), call an operation, serialize."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, current_app, jsonify
from sqlalchemy import select

from server.auth.session import require_user
from server.db import utcnow
from server.errors import wants_english
from server.extensions import db
from server.issues import bp
from server.issues.access import get_visible_issue
from server.issues.models import Issue, IssueEvent
from server.issues.operations import apply_action, available_actions, create_issue
from server.issues.queries import nearby_issues, search_issues
from server.issues.schemas import (
    ActionSchema,
    EventSchema,
    IssueCreateSchema,
    IssueListArgsSchema,
    NearbyArgsSchema,
    dump_summary,
)
from server.photos.evidence import may_see_evidence, warnings_for_detail
from server.photos.models import Photo
from server.photos.operations import photo_urls, photos_for_issues
from server.photos.schemas import PhotoSchema
from server.schemas import load_args, load_json


@bp.post("/issues")
def create() -> tuple[Response, int]:
    """Report an issue.
    ---
    post:
      summary: Report an issue (idempotent on client_id)
      description: >
        Routed to the community whose boundary contains the point, else the nearest
        community within the configured distance, and then dispatched with the
        deadline of the category's rule. A repeated client_id returns the original
        issue with 200.
      requestBody:
        content:
          application/json:
            schema: IssueCreateSchema
      responses:
        201: {description: created; the issue detail}
        200: {description: this client_id was already used by you; the original issue}
        409: {description: the client_id belongs to someone else}
        422: {description: invalid input}
    """
    user = require_user()
    issue, created = create_issue(user, load_json(IssueCreateSchema()))
    return jsonify(_detail(issue, user)), 201 if created else 200


@bp.get("/issues")
def index() -> Response:
    """List issues.
    ---
    get:
      summary: Issues visible to you, filtered and paged
      parameters:
        - in: query
          schema: IssueListArgsSchema
      responses:
        200: {description: "{items, total, page, per_page}"}
    """
    user = require_user()
    now = utcnow()
    page = search_issues(user, load_args(IssueListArgsSchema()), now)
    photos = photos_for_issues([i.id for i in page.items])
    items = [
        dump_summary(
            issue,
            now=now,
            thumbnail_url=_first_thumb(photos.get(issue.id, [])),
            distance_m=page.distances.get(issue.id),
        )
        for issue in page.items
    ]
    return jsonify({"items": items, "total": page.total, "page": page.page, "per_page": page.per_page})


@bp.get("/issues/nearby")
def nearby() -> Response:
    """Known issues near a point, before reporting a new one.
    ---
    get:
      summary: Open and recently closed issues within a radius (default 50 m), nearest first
      parameters:
        - in: query
          schema: NearbyArgsSchema
      responses:
        200: {description: "{items: [summary with distance_m]}"}
    """
    user = require_user()
    args = load_args(NearbyArgsSchema())
    now = utcnow()
    config = current_app.config
    found = nearby_issues(
        user,
        lat=args["lat"],
        lon=args["lon"],
        category=args["category"],
        radius_m=args["radius_m"] or config["DUPLICATE_RADIUS_M"],
        closed_since=now - timedelta(days=config["DUPLICATE_CLOSED_DAYS"]),
    )
    photos = photos_for_issues([issue.id for issue, _ in found])
    items = [
        dump_summary(issue, now=now, thumbnail_url=_first_thumb(photos.get(issue.id, [])), distance_m=distance)
        for issue, distance in found
    ]
    return jsonify({"items": items})


@bp.get("/issues/<uuid:issue_id>")
def show(issue_id: Any) -> Response:
    """One issue with its photos and event timeline.
    ---
    get:
      summary: Issue detail, with photos, the timeline and the actions you may take
      responses:
        200: {description: the issue}
        404: {description: no such issue, or not visible to you}
    """
    user = require_user()
    return jsonify(_detail(get_visible_issue(user, str(issue_id)), user))


@bp.post("/issues/<uuid:issue_id>/actions")
def act(issue_id: Any) -> Response:
    """Take a workflow action.
    ---
    post:
      summary: dispatch, rectify, verify, reject, request/approve/deny extension, dispute, cancel
      requestBody:
        content:
          application/json:
            schema: ActionSchema
      responses:
        200: {description: the issue after the action}
        404: {description: no such issue, or not visible to you}
        409: {description: not allowed from this status or for your role, or a stale version}
        422: {description: a required note, photo or date is missing}
    """
    user = require_user()
    issue = get_visible_issue(user, str(issue_id), for_update=True)
    return jsonify(_detail(apply_action(user, issue, load_json(ActionSchema())), user))


def _detail(issue: Issue, user: Any) -> dict[str, Any]:
    events = list(db.session.scalars(select(IssueEvent).where(IssueEvent.issue_id == issue.id).order_by(IssueEvent.id)))
    photos = list(db.session.scalars(select(Photo).where(Photo.issue_id == issue.id).order_by(Photo.id)))
    by_event: dict[int | None, list[Photo]] = {}
    for photo in photos:
        by_event.setdefault(photo.event_id, []).append(photo)
    data = dump_summary(issue, now=utcnow(), thumbnail_url=_first_thumb(photos))
    data["events"] = [
        EventSchema().dump(e) | {"photo_ids": [p.public_id for p in by_event.get(e.id, [])]} for e in events
    ]
    data["photos"] = PhotoSchema(many=True).dump(photos)
    if may_see_evidence(user):
        _add_evidence_warnings(data, photos)
    data["available_actions"] = available_actions(issue, user)
    return data


def _add_evidence_warnings(data: dict[str, Any], photos: list[Photo]) -> None:
    """What the checks found on "after" photos (server/photos/evidence.py), per photo and per event."""
    by_photo, by_event = warnings_for_detail(photos, english=wants_english())
    for photo in data["photos"]:
        photo["evidence_warnings"] = by_photo.get(photo["id"], [])
    for event in data["events"]:
        event["evidence_warnings"] = by_event.get(event["id"], [])


def _first_thumb(photos: list[Photo]) -> str | None:
    before = [p for p in photos if p.kind == "before"] or photos
    return photo_urls(before[0])["thumb"] if before else None
