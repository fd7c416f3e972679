"""SQLite settings that make the embedded default behave like a real database."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy import Engine, event

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def configure_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin
        # (the module's own handling breaks SAVEPOINT and hides BEGIN).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA busy_timeout = 30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # A request that writes takes the write lock when it begins. With a plain
        # BEGIN two writers both read, then one fails at once with "database is
        # locked" on upgrading its lock; BEGIN IMMEDIATE makes it wait its turn.
        writes = not has_request_context() or request.method not in _READ_METHODS
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")
