"""flask seed-demo, flask seed-categories."""

from __future__ import annotations

import click
from flask import current_app

from server.categories.operations import load_categories
from server.demo.seed import DEMO_USERS, is_seeded, read_data, seed_reference_data
from server.extensions import db


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo city (only in demo mode, only into an empty database)."""
    if not current_app.config["XUNCHA_DEMO"]:
        raise click.ClickException("seed-demo runs only in demo mode (XUNCHA_DEMO=1)")
    if is_seeded():
        click.echo("database already has data; demo seed skipped")
        return
    seed_reference_data()
    from server.demo.issues import seed_demo_issues

    count = seed_demo_issues()
    db.session.commit()
    click.echo(f"demo city loaded: {len(DEMO_USERS)} users, {count} issues")


@click.command("seed-categories")
def seed_categories() -> None:
    """Create or update the starting categories and deadline rules (DESIGN.md §3)."""
    categories = load_categories(read_data("categories.json"))
    db.session.commit()
    click.echo(f"{len(categories)} categories loaded")
