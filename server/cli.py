"""Flask CLI commands; each package contributes its own in ``commands.py``."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from server.auth.commands import create_user
    from server.deadlines.commands import calendar_cli
    from server.demo.commands import seed_categories, seed_demo
    from server.map.commands import map_cli, seed_bench
    from server.notifications.commands import notifications_cli, tick
    from server.orgs.commands import import_boundaries

    for command in (
        create_user,
        seed_demo,
        seed_categories,
        import_boundaries,
        calendar_cli,
        seed_bench,
        map_cli,
        tick,
        notifications_cli,
    ):
        app.cli.add_command(command)
