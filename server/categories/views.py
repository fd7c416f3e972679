"""HTTP handlers for categories and their deadline rules."""

from __future__ import annotations

from flask import Response, jsonify, request

from server.auth.models import Role
from server.auth.session import require_user, roles_required
from server.categories import bp
from server.categories.operations import list_categories, update_category_rule
from server.categories.schemas import CategoryRuleSchema, CategorySchema
from server.schemas import load_json


@bp.get("/categories")
def index() -> Response:
    """Problem categories with their deadline rules.
    ---
    get:
      summary: Active categories, grouped by group_code in order (all=1 includes disabled ones)
      responses:
        200: {description: "{items: [category]}"}
    """
    require_user()
    include_inactive = request.args.get("all") == "1"
    return jsonify({"items": CategorySchema(many=True).dump(list_categories(include_inactive=include_inactive))})


@bp.patch("/categories/<code>")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def update(code: str) -> Response:
    """Change a category's deadline rule or disable it.
    ---
    patch:
      summary: Edit a deadline rule (supervisor); issues already dispatched keep their deadline
      requestBody:
        content:
          application/json:
            schema: CategoryRuleSchema
      responses:
        200: {description: the category}
    """
    data = load_json(CategoryRuleSchema())
    return jsonify(CategorySchema().dump(update_category_rule(code, **data)))
