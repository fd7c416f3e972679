"""flask calendar …: holiday and 调休 overrides for years the package does not know."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import click
from flask.cli import AppGroup
from marshmallow import ValidationError

from server.deadlines import operations as ops
from server.deadlines.schemas import OverrideInSchema
from server.errors import DomainError
from server.extensions import db

calendar_cli = AppGroup("calendar", help="Working-day calendar overrides (holidays, 调休).")

_DAY = click.DateTime(formats=["%Y-%m-%d"])
T = TypeVar("T")


@calendar_cli.command("coverage")
def coverage() -> None:
    """Which years the working-day calendar knows."""
    info = ops.coverage()
    click.echo(f"package:   {_years(info['package_years'])}")
    click.echo(f"overrides: {_years(info['override_years'])}")
    if not info["next_year_covered"]:
        click.echo(
            f"warning: {info['next_year']} is not covered; working-day deadlines reaching it ignore its holidays. "
            "Add its holidays with `flask calendar import` or upgrade chinesecalendar.",
            err=True,
        )


def _years(years: list[int]) -> str:
    if not years:
        return "none"
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


@calendar_cli.command("add")
@click.argument("day", type=_DAY)
@click.option("--holiday", "kind", flag_value="holiday", help="The day is off (e.g. 春节).")
@click.option("--workday", "kind", flag_value="workday", help="The day is worked (e.g. a 调休 Saturday).")
@click.option("--note", default="", help="Why, e.g. '2027 春节'.")
def add(day: datetime, kind: str | None, note: str) -> None:
    """Mark DAY (YYYY-MM-DD) as a holiday or a working day."""
    if kind is None:
        raise click.UsageError("give --holiday or --workday")
    override = _run(lambda: ops.add_override(day.date(), kind == "workday", note))
    db.session.commit()
    click.echo(f"{override.day}: {'workday' if override.is_workday else 'holiday'} {override.note}".rstrip())


@calendar_cli.command("remove")
@click.argument("day", type=_DAY)
def remove(day: datetime) -> None:
    """Remove the override of DAY (YYYY-MM-DD)."""
    _run(lambda: ops.remove_override(day.date()))
    db.session.commit()
    click.echo(f"{day.date()}: override removed")


@calendar_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_overrides(file: Path) -> None:
    """Load overrides from a JSON list of {"day", "is_workday", "note"}; existing days are replaced."""
    try:
        rows = OverrideInSchema(many=True).load(json.loads(file.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{file}: not JSON ({exc})") from exc
    except ValidationError as exc:
        raise click.ClickException(f"{file}: {exc.messages}") from exc
    try:
        for row in rows:
            ops.add_override(row["day"], row["is_workday"], row["note"])
    except DomainError as exc:
        db.session.rollback()  # all or nothing
        raise click.ClickException(f"{row['day']}: {exc.message_zh}") from exc
    db.session.commit()
    click.echo(f"imported {len(rows)} override(s) from {file}")


def _run(action: Callable[[], T]) -> T:
    """Run an operation, turning its domain error into a CLI error."""
    try:
        return action()
    except DomainError as exc:
        raise click.ClickException(exc.message_zh) from exc
