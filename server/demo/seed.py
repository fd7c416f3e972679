"""The demo city of DESIGN.md §8: 衡阳市, three communities, one user per role."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from server.auth.models import Role
from server.auth.operations import DEMO_PASSWORD, create_user
from server.categories.operations import load_categories
from server.extensions import db
from server.orgs.models import OrgUnit
from server.orgs.operations import load_tree

DATA = Path(__file__).parent / "data"

DEMO_USERS = [
    # username, display name, role, org unit code
    ("inspector", "王巡查（市创建办）", Role.INSPECTOR, "hengyang"),
    ("supervisor", "李组长（督查组）", Role.SUPERVISOR, "hengyang"),
    ("admin", "系统管理员", Role.ADMIN, "hengyang"),
    ("street_baishazhou", "白沙洲街道 赵干事", Role.STREET_STAFF, "baishazhou_street"),
    ("staff_jinlong", "金龙社区 刘主任", Role.COMMUNITY_STAFF, "jinlong"),
    ("staff_jinyuan", "金源社区 陈书记", Role.COMMUNITY_STAFF, "jinyuan"),
    ("staff_xiangrui", "祥瑞社区 周干事", Role.COMMUNITY_STAFF, "xiangrui"),
]


def read_data(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def is_seeded() -> bool:
    return db.session.scalar(select(OrgUnit.id).limit(1)) is not None


def seed_reference_data() -> None:
    """The org tree, the categories with their rules, and the demo users."""
    load_tree(read_data("hengyang.json"))
    load_categories(read_data("categories.json"))
    for username, display_name, role, unit_code in DEMO_USERS:
        unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == unit_code)).one()
        create_user(username=username, display_name=display_name, role=role, org_unit=unit, password=DEMO_PASSWORD)
    db.session.flush()
