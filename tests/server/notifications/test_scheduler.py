"""The in-process scheduler: off unless asked for, and one tick at a time per machine."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from flask import Flask

from server.notifications import scheduler
from server.notifications.scheduler import start_scheduler, stop_scheduler, tick_guarded


def test_off_by_default(app: Flask) -> None:
    assert app.config["XUNCHA_SCHEDULER"] == "off"
    assert start_scheduler(app) is None


def test_inprocess_starts_one_daemon_thread_and_stops() -> None:
    app = Flask("scheduler-test")
    app.config["XUNCHA_SCHEDULER"] = "inprocess"
    thread = start_scheduler(app, interval=3600)
    assert thread is not None
    assert thread.daemon
    assert thread.is_alive()
    assert start_scheduler(app, interval=3600) is None  # one per app
    stop_scheduler(app)
    assert not thread.is_alive()


def test_not_in_a_flask_command_like_db_upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # set by the flask command line
    app = Flask("scheduler-test")
    app.config["XUNCHA_SCHEDULER"] = "inprocess"
    assert start_scheduler(app, interval=3600) is None


def test_a_tick_is_skipped_while_another_runs_in_this_process(app: Flask) -> None:
    with scheduler._local_lock:
        assert tick_guarded(app) is None


def test_a_tick_is_skipped_while_another_process_holds_the_machine_lock(app: Flask, tmp_path: Path) -> None:
    lock = tmp_path / "tick.lock"
    with scheduler._machine_lock(lock) as first:
        assert first is True
        acquired: list[bool] = []

        def other() -> None:  # flock is per open file: a second open is a second holder
            with scheduler._machine_lock(lock) as got:
                acquired.append(got)

        worker = threading.Thread(target=other)
        worker.start()
        worker.join()
    assert acquired == [False]
    with scheduler._machine_lock(lock) as again:
        assert again is True


@pytest.mark.live
def test_a_guarded_tick_runs(tmp_path: Path) -> None:
    from server import create_app
    from tests.live import fresh_database

    with fresh_database(tmp_path) as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "STORAGE_URL": f"file://{tmp_path}"})
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
        report = tick_guarded(app)
        assert report is not None
        assert report.notifications == 0
        with app.app_context():
            from server.extensions import db

            db.engine.dispose()
