"""flask create-user."""

from __future__ import annotations

import click
from sqlalchemy import select

from server.auth.models import Role
from server.auth.operations import create_user as create_user_op
from server.errors import DomainError
from server.extensions import db
from server.orgs.models import OrgUnit


@click.command("create-user")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="显示名称 (display name)")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--unit", "unit_code", required=True, help="Org unit code, e.g. jinlong")
@click.option("--phone", default=None)
@click.password_option()
def create_user(username: str, display_name: str, role: str, unit_code: str, phone: str | None, password: str) -> None:
    """Create a user who can log in."""
    unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
    if unit is None:
        raise click.ClickException(f"no org unit with code '{unit_code}'")
    try:
        user = create_user_op(
            username=username, display_name=display_name, role=Role(role), org_unit=unit, password=password, phone=phone
        )
    except DomainError as exc:
        raise click.ClickException(exc.message_zh) from exc
    db.session.commit()
    click.echo(f"created {user.username} ({user.role}) in {unit.name}")
