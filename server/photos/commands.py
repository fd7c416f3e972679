"""``flask photos …``: keeping the photo store and the database in agreement."""

from __future__ import annotations

from datetime import timedelta

import click

from server.photos import bp


@bp.cli.command("sweep")
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@click.option(
    "--older-than-hours",
    type=click.FloatRange(min=0),
    default=24.0,
    show_default=True,
    help="Delete orphans only when older than this (younger ones may be uploads in flight).",
)
def sweep(dry_run: bool, older_than_hours: float) -> None:
    """Delete stored objects no photo row owns; list rows whose objects are missing.

    Exits with status 1 when rows miss objects: that needs a person, not a script.
    """
    from server.db import utcnow
    from server.photos.storage import get_storage
    from server.photos.sweep import describe, sweep_photos

    older_than = timedelta(hours=older_than_hours)
    now = utcnow()
    report = sweep_photos(get_storage(), older_than=older_than, dry_run=dry_run, now=now)
    for line in describe(report, dry_run=dry_run, older_than=older_than, now=now):
        click.echo(line)
    if report.missing:
        raise click.exceptions.Exit(1)
