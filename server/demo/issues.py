"""A few dozen demo issues in every status, with photos, modelled on the bulletins.

They are made through the same operations as real ones (so the event log is
true), then aged: each issue's timestamps move back by a few days so that some
are overdue and the timeline looks lived in.
"""

from __future__ import annotations

import io
import random
import uuid
from datetime import timedelta
from typing import Any

from PIL import Image, ImageDraw
from shapely.geometry import Point, shape
from sqlalchemy import select

from server.auth.models import User
from server.db import utcnow
from server.extensions import db
from server.issues.models import Issue, IssueEvent
from server.issues.operations import ActionRequest, NewIssue, apply_action, create_issue
from server.orgs.models import OrgUnit
from server.photos.models import Photo
from server.photos.operations import create_photo

# community code, category, location text, description — in the words of the bulletins.
FINDINGS = [
    ("jinlong", "debris", "金龙小区11栋前坪", "前坪有废弃物一堆"),
    ("jinlong", "corridor_clutter", "金龙小区11栋2单元楼道", "楼道存有堆物"),
    ("jinlong", "vegetable_plot", "金龙小区7栋花坛", "居民花坛随意种菜"),
    ("jinlong", "illegal_shed", "金龙小区7栋", "违规搭棚3处"),
    ("jinlong", "corridor_clutter", "棕榈园B3栋楼梯口", "楼梯口有一处堆物"),
    ("jinlong", "illegal_shed", "棕榈园三期南门早餐店", "早餐店私自搭棚"),
    ("jinlong", "sewage_overflow", "棕榈园三期南门早餐店门前", "污水外溢"),
    ("jinlong", "renovation_waste", "棕榈园三期南门瓷器门店", "装修材料未及时清理"),
    ("jinlong", "bike_parking", "金龙小区大门口", "电动车、自行车乱停放"),
    ("jinlong", "clothes_drying", "棕榈园A2栋前", "在绿化带内拉绳晾晒衣被"),
    ("jinlong", "illegal_posting", "金龙小区公告栏旁", "墙面张贴小广告十余张"),
    ("jinlong", "fire_lane_blocked", "棕榈园三期消防通道", "消防通道被杂物堵塞"),
    ("jinyuan", "exposed_garbage", "松枫路垃圾池", "垃圾池周边暴露垃圾，转运不及时"),
    ("jinyuan", "illegal_posting", "金源小区宣传栏", "广告乱贴乱画"),
    ("jinyuan", "debris", "金源小区4栋后侧", "杂物乱堆乱放"),
    ("jinyuan", "bike_parking", "松枫路广场入口", "两车乱停放，占用人行道"),
    ("jinyuan", "street_vending", "松枫路与松木路交叉口", "流动摊点占道经营"),
    ("jinyuan", "facility_damage", "金源小区2栋旁", "路灯损坏不亮"),
    ("jinyuan", "abandoned_vehicle", "金源小区停车场", "僵尸车一辆，长期未移动"),
    ("jinyuan", "corridor_clutter", "金源小区6栋1单元", "楼道堆放纸箱、旧家具"),
    ("xiangrui", "street_vending", "祝融路口", "水果摊占道经营"),
    ("xiangrui", "clothes_drying", "祥瑞小区5栋", "沿街乱挂晒"),
    ("xiangrui", "abandoned_vehicle", "祥瑞小区停车场东侧", "僵尸车两辆"),
    ("xiangrui", "fire_lane_blocked", "祥瑞小区2栋消防通道", "私家车占用消防通道"),
    ("xiangrui", "signage", "祥瑞路沿街商铺", "店招店牌设置不规范"),
    ("xiangrui", "facility_damage", "祥瑞小区中心花园", "路面破损、积水"),
    ("xiangrui", "illegal_building", "祥瑞小区8栋楼顶", "楼顶私搭乱建"),
    ("xiangrui", "exposed_garbage", "祥瑞小区北门", "卫生死角，暴露垃圾"),
]
PAPERWORK = [
    ("jinlong", "“相约文明”教育活动签到表填写不规范"),
    ("jinlong", "没有提供社区工作人员和居民的学习笔记"),
    ("xiangrui", "“三清三建”工作台账不完整"),
]
# What becomes of the issues, in turn: a spread over every status.
FATES = [
    "assigned",
    "overdue",
    "rectified",
    "closed",
    "closed_after_rework",
    "extension_pending",
    "assigned",
    "overdue",
    "rectified",
    "closed",
    "cancelled",
    "reported",
    "assigned",
    "closed",
]


def demo_photo(seed: int, label: str, *, fixed: bool = False) -> bytes:
    """A synthetic 'site photo': a scene of blocks; the 'after' one is tidier and greener."""
    rnd = random.Random(seed)
    image = Image.new("RGB", (1280, 960), (150, 170, 190))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1280, 960), fill=(120, 120, 115))  # ground
    for x in range(0, 1280, 220):  # buildings
        draw.rectangle((x + 10, 180 + rnd.randint(0, 120), x + 200, 560), fill=(200, 190, 170), outline=(90, 80, 70))
    clutter = 2 if fixed else 14
    for _ in range(clutter):
        x, y = rnd.randint(40, 1200), rnd.randint(600, 900)
        colour = (60, 160, 70) if fixed else (rnd.randint(90, 200), rnd.randint(60, 120), rnd.randint(20, 80))
        draw.rectangle((x, y, x + rnd.randint(40, 120), y + rnd.randint(30, 80)), fill=colour)
    draw.text((30, 30), f"Xuncha demo: {label}", fill=(20, 20, 20))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


def seed_demo_issues(seed: int = 2026) -> int:
    rnd = random.Random(seed)
    users = {u.username: u for u in db.session.scalars(select(User))}
    communities = {u.code: u for u in db.session.scalars(select(OrgUnit).where(OrgUnit.kind == "community"))}
    count = 0
    for index, (community, category, location, description) in enumerate(FINDINGS):
        lat, lon = _point_in(communities[community], rnd)
        if FATES[index % len(FATES)] == "reported":
            lat, lon = 26.80 + rnd.random() * 0.01, 112.50 + rnd.random() * 0.01  # outside every community
        photo = _photo(users["inspector"], "before", index, category)
        new = NewIssue(
            client_id=str(uuid.uuid4()),
            category=category,
            photo_ids=[photo.public_id],
            lat=lat,
            lon=lon,
            accuracy_m=round(rnd.uniform(4, 25), 1),
            location_text=location,
            description=description,
        )
        issue, _ = create_issue(users["inspector"], new)
        fate = FATES[index % len(FATES)]
        _live_through(issue, fate, users, community, index)
        _age(issue, days=_age_for(issue, fate, rnd))
        count += 1
    for community, description in PAPERWORK:
        new = NewIssue(
            client_id=str(uuid.uuid4()),
            category="paperwork",
            community_id=communities[community].id,
            description=description,
            location_text=communities[community].name,
        )
        issue, _ = create_issue(users["inspector"], new)
        _age(issue, days=rnd.uniform(1, 6))
        count += 1
    db.session.flush()
    return count


def _live_through(issue: Issue, fate: str, users: dict[str, User], community: str, index: int) -> None:
    inspector, _supervisor, staff = users["inspector"], users["supervisor"], users[f"staff_{community}"]
    if fate in ("reported", "assigned", "overdue"):
        return
    if fate == "cancelled":
        _do(inspector, issue, "cancel", note="与已上报问题重复")
    elif fate == "extension_pending":
        _do(
            staff,
            issue,
            "request_extension",
            note="需协调城管部门联合拆除",
            requested_until=issue.deadline_at and issue.deadline_at + timedelta(days=10),
        )
    else:
        _rectify(staff, issue, index, "已清理完毕")
        if fate == "closed_after_rework":
            _do(inspector, issue, "reject", note="复查发现仍有少量堆物，请彻底清理")
            _rectify(staff, issue, index + 100, "已彻底清理")
        if fate.startswith("closed"):
            _do(inspector, issue, "verify", note="复查合格")


def _rectify(staff: User, issue: Issue, seed: int, note: str) -> None:
    photo = _photo(staff, "after", seed, issue.category.code)
    _do(staff, issue, "rectify", note=note, photo_ids=[photo.public_id])


def _do(actor: User, issue: Issue, action: str, **fields: Any) -> None:
    apply_action(actor, issue, ActionRequest(action=action, version=issue.version, **fields))


def _photo(uploader: User, kind: str, seed: int, label: str) -> Photo:
    photo, _ = create_photo(uploader, demo_photo(seed, label, fixed=kind == "after"), kind=kind, client_id=None)
    return photo


def _point_in(community: OrgUnit, rnd: random.Random) -> tuple[float, float]:
    polygon = shape(community.boundary)
    min_lon, min_lat, max_lon, max_lat = polygon.bounds
    while True:
        lon, lat = rnd.uniform(min_lon, max_lon), rnd.uniform(min_lat, max_lat)
        if polygon.contains(Point(lon, lat)):
            return round(lat, 6), round(lon, 6)


def _age_for(issue: Issue, fate: str, rnd: random.Random) -> float:
    """How many days ago the issue was found: overdue ones past their deadline, open ones not yet."""
    if issue.deadline_at is None:
        return rnd.uniform(0.5, 4)
    remaining = (issue.deadline_at - utcnow()).total_seconds() / 86400
    if fate == "overdue":
        return remaining + rnd.uniform(0.5, 4)
    if fate in ("assigned", "extension_pending"):
        return rnd.uniform(0.1, max(0.2, remaining * 0.8))
    return rnd.uniform(1, 20)


def _age(issue: Issue, days: float) -> None:
    """Move an issue's whole history back in time, as if reported ``days`` ago."""
    delta = timedelta(days=days)
    for column in (
        "created_at",
        "updated_at",
        "dispatched_at",
        "rectified_at",
        "closed_at",
        "cancelled_at",
        "deadline_at",
        "extension_requested_until",
    ):
        value = getattr(issue, column)
        if value is not None:
            setattr(issue, column, value - delta)
    for event in db.session.scalars(select(IssueEvent).where(IssueEvent.issue_id == issue.id)):
        event.created_at -= delta
        if event.acted_at is not None:
            event.acted_at -= delta
    for photo in db.session.scalars(select(Photo).where(Photo.issue_id == issue.id)):
        photo.created_at -= delta
    db.session.flush()
