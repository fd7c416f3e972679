"""flask seed-bench, flask map rebuild, flask map compact."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup

from server.db import utcnow
from server.extensions import db
from server.map import counts
from server.map.counts import due_hour

map_cli = AppGroup("map", help="The map's maintained per-cell counts.")


@click.command("seed-bench")
@click.option("--issues", "count", type=click.IntRange(min=1), default=100_000, show_default=True)
@click.option("--seed", type=int, default=6, show_default=True, help="Random seed (same seed, same issues).")
def seed_bench(count: int, seed: int) -> None:
    """Bulk synthetic issues in the demo city, for benchmarks (demo mode only)."""
    from server.demo.seed import is_seeded, seed_reference_data
    from server.map.seed import seed_bench as insert_issues

    if not current_app.config["XUNCHA_DEMO"]:
        raise click.ClickException("seed-bench runs only in demo mode (XUNCHA_DEMO=1): it writes synthetic issues")
    if not is_seeded():
        seed_reference_data()
    timings = insert_issues(count, seed)
    db.session.commit()
    click.echo(
        f"{count} issues inserted in {timings['insert_s']:.1f} s; map counts rebuilt in {timings['rebuild_s']:.1f} s "
        f"({timings['cells']:.0f} cell rows, {timings['dues']:.0f} due rows); analysed in {timings['analyze_s']:.1f} s"
    )


@map_cli.command("rebuild")
def rebuild() -> None:
    """Recompute the counts from the issues (after bulk SQL that bypassed the ORM)."""
    cells, dues = counts.rebuild(db.session.connection(), due_hour(utcnow()))
    db.session.commit()
    click.echo(f"map counts rebuilt: {cells} cell rows, {dues} due rows")


@map_cli.command("compact")
@click.option("--every", type=click.FloatRange(min=60), default=None, help="Keep running, compacting every N seconds.")
def compact(every: float | None) -> None:
    """Fold past due hours into one row per cell (hourly; the counts are right without it, only slower)."""
    while True:
        folded = counts.compact(db.session.connection(), due_hour(utcnow()))
        db.session.commit()
        click.echo(f"map counts compacted: {folded} past-hour rows folded")
        if every is None:
            return
        time.sleep(every)
