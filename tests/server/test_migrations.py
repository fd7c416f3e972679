"""The schema comes only from migrations: one head, and they go down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from server import create_app
from server.extensions import db
from tests.live import fresh_database

pytestmark = [pytest.mark.live, pytest.mark.slow]

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_single_head() -> None:
    from alembic.config import Config

    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    with fresh_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_URL": f"file://{tmp_path}"})
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"issues", "issue_events", "photos", "users", "org_units", "categories"} <= tables
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            assert set(inspect(db.engine).get_table_names()) == tables
            db.session.remove()
            db.engine.dispose()


def test_models_match_migrations(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with fresh_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_URL": f"file://{tmp_path}"})
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True})
                diff = compare_metadata(context, db.metadata)
            db.session.remove()
            db.engine.dispose()
    assert diff == []


def test_event_action_check_follows_the_workflow(tmp_path: Path) -> None:
    """After all migrations the database refuses an unknown action and accepts every known one."""

    from server.issues.states import Action

    with fresh_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_URL": f"file://{tmp_path}"})
        with app.app_context():
            upgrade()
            downgrade(revision="-1")
            upgrade()
            checks = {c["name"]: c["sqltext"] for c in inspect(db.engine).get_check_constraints("issue_events")}
            db.session.remove()
            db.engine.dispose()
    action_check = checks["ck_issue_events_valid_action"]  # PostgreSQL rewrites IN (…) as = ANY (ARRAY[…])
    for action in Action:
        assert f"'{action.value}'" in action_check
