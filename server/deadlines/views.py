"""The working-day calendar: which years it covers, and the admin-entered overrides."""

from __future__ import annotations

from flask import Response, jsonify

from server.auth.models import Role
from server.auth.session import login_required, roles_required
from server.deadlines import bp
from server.deadlines import operations as ops
from server.deadlines.schemas import (
    CoverageSchema,
    DaySchema,
    OverrideInSchema,
    OverrideListArgsSchema,
    OverrideSchema,
)
from server.schemas import load, load_args, load_json


@bp.get("/calendar/coverage")
@login_required
def get_coverage() -> Response:
    """Which years the working-day calendar knows.
    ---
    get:
      summary: Years with a holiday calendar (package and overrides)
      responses:
        200:
          content:
            application/json:
              schema: CoverageSchema
        401:
          description: not logged in
    """
    return jsonify(CoverageSchema().dump(ops.coverage()))


@bp.get("/calendar/overrides")
@login_required
def get_overrides() -> Response:
    """The admin-entered calendar days.
    ---
    get:
      summary: Calendar overrides (holidays and 调休 workdays), by day
      parameters:
        - in: query
          schema: OverrideListArgsSchema
      responses:
        200:
          content:
            application/json:
              schema:
                type: array
                items: OverrideSchema
        401:
          description: not logged in
        422:
          description: bad year
    """
    args = load_args(OverrideListArgsSchema())
    return jsonify(OverrideSchema(many=True).dump(ops.list_overrides(args.get("year"))))


@bp.post("/calendar/overrides")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def post_override() -> Response:
    """Set a day as a holiday or a working day.
    ---
    post:
      summary: Create or replace the override of one day
      requestBody:
        content:
          application/json:
            schema: OverrideInSchema
      responses:
        200:
          content:
            application/json:
              schema: OverrideSchema
        403:
          description: only supervisors and admins
        422:
          description: invalid day, flag or note
    """
    data = load_json(OverrideInSchema())
    override = ops.add_override(data["day"], data["is_workday"], data["note"])
    return jsonify(OverrideSchema().dump(override))


@bp.delete("/calendar/overrides/<day>")
@roles_required(Role.SUPERVISOR, Role.ADMIN)
def delete_override(day: str) -> Response:
    """Remove the override of one day.
    ---
    delete:
      summary: Remove the override of one day (YYYY-MM-DD)
      parameters:
        - in: path
          name: day
          required: true
          schema:
            type: string
            format: date
      responses:
        204:
          description: removed
        403:
          description: only supervisors and admins
        404:
          description: no override for that day
        422:
          description: not a date
    """
    ops.remove_override(load(DaySchema(), {"day": day})["day"])
    return Response(status=204)
