"""Categories and their deadline rules."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from server.categories.models import Category, CategoryKind
from server.deadlines.units import MAX_AMOUNT, DeadlineUnit
from server.errors import NotFound, ValidationFailed
from server.extensions import db


def list_categories(*, include_inactive: bool = False) -> list[Category]:
    query = select(Category).order_by(Category.sort_order, Category.id)
    if not include_inactive:
        query = query.where(Category.is_active.is_(True))
    return list(db.session.scalars(query))


def get_category(code: str, *, active: bool = True) -> Category:
    category = db.session.scalar(select(Category).where(Category.code == code))
    if category is None or (active and not category.is_active):
        raise ValidationFailed(
            f"问题类别「{code}」不存在或已停用",
            f"Unknown or disabled category '{code}'",
            code="unknown_category",
            details={"category": [code]},
        )
    return category


def load_categories(data: dict[str, Any]) -> list[Category]:
    """Create or update categories from the rule table (demo/data/categories.json)."""
    categories = []
    order = 0
    for group in data["groups"]:
        for item in group["categories"]:
            order += 10
            category = db.session.scalar(select(Category).where(Category.code == item["code"])) or Category(
                code=item["code"]
            )
            category.group_code, category.group_zh, category.group_en = group["code"], group["zh"], group["en"]
            category.name_zh, category.name_en = item["zh"], item["en"]
            category.kind = CategoryKind(item.get("kind", "site"))
            category.deadline_unit = DeadlineUnit(item["unit"])
            category.deadline_amount = int(item["amount"])
            category.sort_order = order
            db.session.add(category)
            categories.append(category)
    db.session.flush()
    return categories


def _check_rule(unit: DeadlineUnit, amount: int) -> None:
    if not 0 < amount <= MAX_AMOUNT[unit]:
        raise ValidationFailed(
            f"整改时限须在 1 到 {MAX_AMOUNT[unit]} 之间",
            f"The amount must be between 1 and {MAX_AMOUNT[unit]}",
            details={"amount": ["out_of_range"]},
        )


def update_category_rule(
    code: str, *, unit: DeadlineUnit | None, amount: int | None, is_active: bool | None
) -> Category:
    """A supervisor changes a rule. Issues already dispatched keep their deadline."""
    category = db.session.scalar(select(Category).where(Category.code == code))
    if category is None:
        raise NotFound()
    if unit is not None:
        category.deadline_unit = unit
    if amount is not None:
        category.deadline_amount = amount
    _check_rule(DeadlineUnit(category.deadline_unit), category.deadline_amount)
    if is_active is not None:
        category.is_active = is_active
    db.session.flush()
    return category
