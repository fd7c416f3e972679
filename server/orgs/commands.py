"""flask import-boundaries FILE.geojson."""

from __future__ import annotations

import json

import click

from server.errors import DomainError
from server.extensions import db
from server.orgs.operations import import_boundaries as import_op


@click.command("import-boundaries")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_boundaries(path: str) -> None:
    """Set org unit boundaries from a GeoJSON FeatureCollection (properties.code names the unit)."""
    with open(path, encoding="utf-8") as fh:
        try:
            data = json.load(fh)
        except json.JSONDecodeError as exc:
            raise click.ClickException(f"not JSON: {exc}") from exc
    try:
        units = import_op(data)
    except DomainError as exc:
        raise click.ClickException(exc.message_zh) from exc
    db.session.commit()
    for unit in units:
        click.echo(f"{unit.code}: boundary set, centroid {unit.centroid_lat}, {unit.centroid_lon}")
