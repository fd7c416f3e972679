"""A real server on 127.0.0.1 with a database of its own, for concurrency tests.

The per-test rollback of conftest binds every session to one connection, which
is right for ordinary tests but would serialise (or corrupt) truly concurrent
requests. These tests get a fresh database — a SQLite file, or a new PostgreSQL
database beside the one in DATABASE_URL — and a threaded WSGI server.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from server import create_app


@contextmanager
def fresh_database(tmp: Path) -> Iterator[str]:
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp / 'live.db'}"
        return
    import psycopg

    url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"xuncha_live_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def web_dist() -> dict[str, str]:
    """XUNCHA_TEST_WEB_DIST serves another build of the web app (say, one per parallel worker)."""
    path = os.environ.get("XUNCHA_TEST_WEB_DIST")
    return {"WEB_DIST_DIR": path} if path else {}


def prepare_database(app: Flask, *, seed_demo: bool = False, prepare: Callable[[], None] | None = None) -> None:
    """Migrate a fresh database and seed the demo city's reference data (and, if asked, its issues)."""
    from flask_migrate import upgrade

    from server.demo.seed import seed_reference_data
    from server.extensions import db

    with app.app_context():
        upgrade()
        seed_reference_data()
        if seed_demo:
            from server.demo.issues import seed_demo_issues

            seed_demo_issues()
        if prepare is not None:
            prepare()
        db.session.commit()


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """A threaded WSGI server for ``app`` on 127.0.0.1; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def close_app(app: Flask) -> None:
    """Let go of everything an app holds on its database, before the database is dropped.

    The delivery pool first: a delivery still running (say, on a slow robot) holds a
    connection, which would be finalised, with a ResourceWarning, in some later test.
    """
    from server.extensions import db
    from server.notifications.background import stop_background

    stop_background(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@contextmanager
def live_server(
    tmp: Path,
    config: dict[str, Any] | None = None,
    *,
    seed_demo: bool = False,
    prepare: Callable[[], None] | None = None,
) -> Iterator[str]:
    """Serve a seeded app; yield its base URL.

    ``config`` adds to (or overrides) the app's settings; ``seed_demo`` adds the demo
    city's issues (as ``flask seed-demo``); ``prepare`` runs in the app context after
    the seeding, before the commit (say, to age an issue).
    """
    with fresh_database(tmp) as database_url:
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": database_url,
                "SECRET_KEY": "live-secret",
                "STORAGE_URL": os.environ.get("STORAGE_URL") or f"file://{tmp / 'photos'}",
                "XUNCHA_DEMO": True,
                **web_dist(),
                **(config or {}),
            }
        )
        prepare_database(app, seed_demo=seed_demo, prepare=prepare)
        try:
            with serving(app) as base:
                yield base
        finally:
            close_app(app)
