"""Outbound deliveries leave after the commit, off the request's thread.

``NOTIFY_DELIVERY``: "background" hands the new rows to a small worker pool once the
request committed (the response never waits for a webhook); "inline" sends them in
the request's after-commit step (tests); "tick" leaves them to the next tick. In every
mode a row that could not be sent stays in the outbox for ``tick`` to retry.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, current_app, has_request_context

from server.db import utcnow
from server.extensions import db
from server.notifications.outbox import deliver
from server.transaction import after_commit

_EXECUTOR = "xuncha_notify_executor"


def send_after_commit(delivery_ids: Iterable[int]) -> None:
    """Send these outbox rows once the current request has committed (nothing if it fails)."""
    ids = list(delivery_ids)
    mode = current_app.config["NOTIFY_DELIVERY"]
    if not ids or not has_request_context() or mode == "tick":
        return  # outside a request (tick, CLI) the caller or the next tick sends them
    if mode == "inline":
        after_commit(lambda: _deliver_now(ids))
        return
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    after_commit(lambda: _submit(app, ids))


def stop_background(app: Flask) -> None:
    """Wait for the deliveries already handed over, then stop the pool (before disposing the engine)."""
    executor = app.extensions.pop(_EXECUTOR, None)
    if executor is not None:
        executor.shutdown(wait=True)


def _deliver_now(ids: list[int]) -> None:
    deliver(ids, utcnow())


def _submit(app: Flask, ids: list[int]) -> None:
    executor = app.extensions.get(_EXECUTOR)
    if executor is None:  # created lazily: an app that never sends starts no thread
        executor = app.extensions.setdefault(
            _EXECUTOR, ThreadPoolExecutor(max_workers=2, thread_name_prefix="xuncha-notify")
        )
    executor.submit(_deliver_in_context, app, ids)


def _deliver_in_context(app: Flask, ids: list[int]) -> None:
    with app.app_context():
        try:
            deliver(ids, utcnow())
        except Exception:  # the rows stay pending; tick retries them
            app.logger.exception("sending deliveries %s after commit failed", ids)
        finally:
            db.session.remove()
