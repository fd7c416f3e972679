"""One commit per request, in one place; work for after the commit.

Operations flush and never commit. A successful request commits once here; a
failed one rolls back, so an error changes nothing. Side effects that must not
happen unless the data is saved (notifications, jobs, deleting stored files)
are queued with ``after_commit`` and run once the commit succeeded.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, g
from sqlalchemy.orm.exc import StaleDataError

from server.errors import Conflict, error_response
from server.extensions import db


def after_commit(callback: Callable[[], None]) -> None:
    g.setdefault("after_commit", []).append(callback)


def on_rollback(callback: Callable[[], None]) -> None:
    """Undo work outside the database (e.g. a stored file) if the request fails."""
    g.setdefault("on_rollback", []).append(callback)


def _run(name: str, app: Flask) -> None:
    for callback in g.pop(name, []):
        try:
            callback()
        except Exception:  # one failing side effect must not hide the others
            app.logger.exception("%s callback failed", name)


def register_transaction_handling(app: Flask) -> None:
    @app.after_request
    def commit_or_rollback(response: Response) -> Response:
        if response.status_code < 400:
            db.session.commit()
            g.pop("on_rollback", None)
            _run("after_commit", app)
        else:
            db.session.rollback()
            g.pop("after_commit", None)
            _run("on_rollback", app)
        return response

    @app.teardown_request
    def rollback_on_exception(exc: BaseException | None) -> None:
        if exc is not None:
            db.session.rollback()
            _run("on_rollback", app)

    @app.errorhandler(StaleDataError)
    def stale(_exc: StaleDataError) -> Response:
        # Another request changed the row between our read and our write.
        err = StaleVersion()
        return error_response(err.status, err.code, err.message_zh, err.message_en)


class StaleVersion(Conflict):
    code = "stale_version"
    message_zh = "该问题已被他人更新，请刷新后重试"
    message_en = "The issue was changed by someone else; reload and try again"
