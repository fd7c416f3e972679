"""The photo rules the issues package relies on: attaching, listing, URLs, visibility through issues."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from server.auth.models import User
from server.categories.models import Category
from server.errors import ValidationFailed
from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.issues.states import Action, Status
from server.orgs.models import OrgUnit
from server.photos.models import Photo, PhotoKind
from server.photos.operations import attach_photos, photo_urls, photos_for_issues
from server.photos.storage.local import LocalStorage

Upload = Callable[..., Any]


def user(username: str) -> User:
    found = db.session.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


def make_issue(reporter: User, community_code: str = "jinlong") -> tuple[Issue, IssueEvent]:
    """An issue and its report event, straight into the database (not through the issues API)."""
    community = db.session.scalar(select(OrgUnit).where(OrgUnit.code == community_code))
    category = db.session.scalars(select(Category)).first()
    assert community is not None
    assert category is not None
    issue = Issue(
        public_id=str(uuid.uuid4()),
        client_id=str(uuid.uuid4()),
        category_id=category.id,
        community_id=community.id,
        reporter_id=reporter.id,
        lat=26.9,
        lon=112.6,
        status=Status.REPORTED,
    )
    db.session.add(issue)
    db.session.flush()
    event = IssueEvent(issue_id=issue.id, actor_id=reporter.id, action=Action.REPORT, to_status=Status.REPORTED)
    db.session.add(event)
    db.session.flush()
    return issue, event


@pytest.fixture
def uploaded(upload: Upload, small_jpeg: Callable[..., bytes]) -> Callable[..., str]:
    """uploaded(client, kind="before") → the public id of a fresh upload by that client's user."""

    def _uploaded(client: Any, kind: str = "before") -> str:
        response = upload(client, small_jpeg(), kind=kind)
        assert response.status_code == 201, response.get_json()
        return str(response.get_json()["id"])

    return _uploaded


def test_attach_sets_issue_and_event_in_the_given_order(inspector: Any, uploaded: Callable[..., str]) -> None:
    ids = [uploaded(inspector) for _ in range(3)]
    issue, event = make_issue(user("inspector"))
    wanted = [ids[2], ids[0], ids[1]]

    photos = attach_photos(wanted, actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event)

    assert [p.public_id for p in photos] == wanted
    db.session.expire_all()
    stored = db.session.scalars(select(Photo).where(Photo.public_id.in_(ids))).all()
    assert {(p.issue_id, p.event_id) for p in stored} == {(issue.id, event.id)}


def test_attach_accepts_ids_as_uuids_in_any_case(inspector: Any, uploaded: Callable[..., str]) -> None:
    photo_id = uploaded(inspector)
    issue, event = make_issue(user("inspector"))
    photos = attach_photos([photo_id.upper()], actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event)
    assert photos[0].public_id == photo_id


def test_attach_nothing_is_nothing(inspector: Any) -> None:
    issue, event = make_issue(user("inspector"))
    assert attach_photos([], actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event) == []


def test_attach_names_every_bad_id_and_attaches_none(
    inspector: Any, staff_jinlong: Any, uploaded: Callable[..., str]
) -> None:
    good = uploaded(inspector)
    after = uploaded(inspector, kind="after")
    someone_elses = uploaded(staff_jinlong)
    used = uploaded(inspector)
    first_issue, first_event = make_issue(user("inspector"))
    attach_photos([used], actor=user("inspector"), kind=PhotoKind.BEFORE, issue=first_issue, event=first_event)
    unknown = str(uuid.uuid4())
    issue, event = make_issue(user("inspector"))

    with pytest.raises(ValidationFailed) as caught:
        attach_photos(
            [good, after, someone_elses, used, unknown, good, "junk"],
            actor=user("inspector"),
            kind=PhotoKind.BEFORE,
            issue=issue,
            event=event,
        )

    error = caught.value
    assert error.status == 422
    assert error.message_zh == "照片无效或已被使用，请重新上传"
    assert error.details == {
        "photos": {
            after: "wrong_kind",
            someone_elses: "not_found",  # another user's upload is indistinguishable from none
            used: "already_used",
            unknown: "not_found",
            good: "duplicate",
            "junk": "not_found",
        }
    }
    photo = db.session.scalar(select(Photo).where(Photo.public_id == good))
    assert photo is not None
    assert photo.issue_id is None


def test_photo_already_claimed_by_a_concurrent_request_is_refused(inspector: Any, uploaded: Callable[..., str]) -> None:
    photo_id = uploaded(inspector)
    issue, event = make_issue(user("inspector"))
    other_issue, _ = make_issue(user("inspector"))
    photo = db.session.scalar(select(Photo).where(Photo.public_id == photo_id))
    assert photo is not None
    # Another transaction attached it after we loaded it: the conditional UPDATE notices.
    db.session.execute(Photo.__table__.update().where(Photo.__table__.c.id == photo.id).values(issue_id=other_issue.id))
    with pytest.raises(ValidationFailed):
        attach_photos([photo_id], actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event)


def test_photos_for_issues_uses_one_query(
    inspector: Any, uploaded: Callable[..., str], query_counter: Callable[[], Any]
) -> None:
    issues = [make_issue(user("inspector")) for _ in range(3)]
    for issue, event in issues[:2]:
        ids = [uploaded(inspector), uploaded(inspector)]
        attach_photos(ids, actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event)
    issue_ids = [issue.id for issue, _ in issues]
    db.session.expire_all()

    with query_counter() as count:
        result = photos_for_issues(issue_ids)

    assert count.n == 1
    assert set(result) == set(issue_ids)
    assert [len(result[i]) for i in issue_ids] == [2, 2, 0]
    assert photos_for_issues([]) == {}


def test_photo_urls_are_signed_file_links(
    inspector: Any, uploaded: Callable[..., str], local_storage: LocalStorage
) -> None:
    photo = db.session.scalar(select(Photo).where(Photo.public_id == uploaded(inspector)))
    assert photo is not None
    from flask import current_app

    with current_app.test_request_context():
        urls = photo_urls(photo)
    assert set(urls) == {"display", "thumb", "original"}
    assert urls["display"].startswith(f"/api/v1/files/{photo.display_key}?exp=")
    assert "&sig=" in urls["original"]


@pytest.mark.parametrize(
    ("viewer", "status"),
    [
        ("inspector", 200),  # the uploader
        ("supervisor", 200),  # city-wide
        ("staff_jinlong", 200),  # the issue's community
        ("street_baishazhou", 200),  # the street above it
        ("staff_jinyuan", 404),  # another community
        ("staff_xiangrui", 404),
    ],
)
def test_attached_photo_is_visible_to_whoever_sees_its_issue(
    login: Callable[[str], Any], inspector: Any, uploaded: Callable[..., str], viewer: str, status: int
) -> None:
    photo_id = uploaded(inspector)
    issue, event = make_issue(user("inspector"), community_code="jinlong")
    attach_photos([photo_id], actor=user("inspector"), kind=PhotoKind.BEFORE, issue=issue, event=event)
    db.session.commit()  # on the test connection: releases a savepoint, the test still rolls back

    assert login(viewer).get(f"/api/v1/photos/{photo_id}").status_code == status
