"""Insert-or-skip on a unique key, the one idempotency primitive of this package.

``INSERT … ON CONFLICT (key) DO NOTHING RETURNING key`` on SQLite and PostgreSQL
alike: the rows whose key already exists are skipped, and the keys actually
inserted come back. Under PostgreSQL a concurrent transaction inserting the same
key waits for the first to commit and then skips (or inserts, if the first rolled
back); SQLite takes writers one at a time. Rows go out sorted by key so two
writers meet their conflicts in the same order (no deadlock).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, FromClause
from sqlalchemy.dialects import postgresql, sqlite


def insert_or_skip(connection: Connection, table: FromClause, rows: Sequence[dict[str, Any]]) -> dict[str, int]:
    """Insert the rows whose ``key`` is new; return {key: id} of those inserted."""
    if not rows:
        return {}
    dialect: Any = postgresql if connection.dialect.name == "postgresql" else sqlite
    ordered = sorted(rows, key=lambda row: row["key"])
    statement = (
        dialect.insert(table)
        .values(ordered)
        .on_conflict_do_nothing(index_elements=[table.c.key])
        .returning(table.c.key, table.c.id)
    )
    return {row.key: row.id for row in connection.execute(statement)}
