"""Running ``tick`` every minute: in-process for the embedded default, or as a clock process.

``start_scheduler(app)`` starts a daemon thread when ``XUNCHA_SCHEDULER=inprocess``
(``create_app`` calls it through the blueprint's registration). Each web process of a
deployment may start one; ``tick_guarded`` lets only one tick run at a time per
machine (a thread lock, then a non-blocking ``flock`` on ``instance/tick.lock``) so
they do not all do the same work. Correctness never depends on these locks: the
unique keys in the database are what keep two ticks from sending anything twice.

``run_forever`` is the same loop in the foreground, for ``flask tick --every 60``
(a ``clock:`` process of the Procfile).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import click
from flask import Flask

from server.db import utcnow
from server.extensions import db
from server.notifications.tick import TickReport, run_tick

_THREAD = "xuncha_scheduler"
_local_lock = threading.Lock()


def start_scheduler(app: Flask, interval: float = 60.0) -> threading.Thread | None:
    """Tick every ``interval`` seconds in a daemon thread, if the config asks for it."""
    if app.config.get("XUNCHA_SCHEDULER", "off") != "inprocess" or _THREAD in app.extensions:
        return None
    if _in_flask_command():
        return None
    stop = threading.Event()
    thread = threading.Thread(target=run_forever, args=(app, interval, stop), name="xuncha-tick", daemon=True)
    app.extensions[_THREAD] = (thread, stop)
    thread.start()
    return thread


def _in_flask_command() -> bool:
    """True inside a ``flask`` command other than ``flask run`` (db upgrade, tick …): those do not serve."""
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return False
    context = click.get_current_context(silent=True)
    return context is None or context.info_name != "run"


def stop_scheduler(app: Flask) -> None:
    entry = app.extensions.pop(_THREAD, None)
    if entry is not None:
        thread, stop = entry
        stop.set()
        thread.join(timeout=30)


def run_forever(app: Flask, interval: float = 60.0, stop: threading.Event | None = None) -> None:
    """Tick at every multiple of ``interval`` seconds until ``stop`` is set."""
    stop = stop or threading.Event()
    while not stop.wait(_until_next(interval)):
        try:
            report = tick_guarded(app)
        except Exception:  # one failed tick must not end the loop
            app.logger.exception("tick failed")
            continue
        if report is not None and (report.notifications or report.delivery.sent or report.delivery.failed):
            app.logger.info(report.summary())


def _until_next(interval: float) -> float:
    now = utcnow().timestamp()
    return interval - (now % interval) + 0.5  # just after the boundary, so --now-less runs line up


def tick_guarded(app: Flask) -> TickReport | None:
    """One tick, unless another thread or process on this machine is ticking (then None)."""
    if not _local_lock.acquire(blocking=False):
        return None
    try:
        with _machine_lock(Path(app.config.get("INSTANCE_DIR", app.instance_path)) / "tick.lock") as acquired:
            if not acquired:
                return None
            with app.app_context():
                try:
                    return run_tick(utcnow())
                finally:
                    db.session.remove()
    finally:
        _local_lock.release()


@contextlib.contextmanager
def _machine_lock(path: Path) -> Iterator[bool]:
    """A non-blocking exclusive ``flock`` (POSIX); where there is none, every caller gets it."""
    try:
        import fcntl
    except ImportError:  # not POSIX: rely on the database guards alone
        yield True
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
