"""Fixtures for notification tests: issues made through the operations, a clock, local receivers.

Time is controlled by calling ``run_tick(now)`` (or ``flask tick --now``) with a moment
relative to the issue's deadline. Outbound channels talk to an HTTP receiver and an
SMTP sink on 127.0.0.1, never to the internet.
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from server.extensions import db
from server.issues.models import Issue
from server.issues.operations import NewIssue, create_issue
from server.notifications.models import NotificationChannel
from server.notifications.operations import add_channel
from server.notifications.tick import TickReport, run_tick
from tests.server.notifications.helpers import Mailbox, Received, Receiver, unit, user


@pytest.fixture(autouse=True)
def _deliver_inline(app: Flask) -> Iterator[None]:
    """Requests send their outbox rows right after the commit, in the test's thread."""
    saved = app.config["NOTIFY_DELIVERY"]
    app.config["NOTIFY_DELIVERY"] = "inline"
    yield
    app.config["NOTIFY_DELIVERY"] = saved


@pytest.fixture
def make_issue() -> Callable[..., Issue]:
    """make_issue(community="jinlong") → a paperwork issue, dispatched now with its rule's deadline."""

    def _make(community: str = "jinlong", **overrides: Any) -> Issue:
        fields: dict[str, Any] = {
            "client_id": str(uuid.uuid4()),
            "category": "paperwork",
            "community_id": unit(community).id,
            "location_text": "社区办公室",
            "description": "签到表填写不规范",
        }
        issue, _ = create_issue(user("inspector"), NewIssue(**(fields | overrides)))
        db.session.commit()
        return issue

    return _make


@pytest.fixture
def tick() -> Callable[[datetime], TickReport]:
    def _tick(now: datetime) -> TickReport:
        report = run_tick(now)
        db.session.expire_all()
        return report

    return _tick


@pytest.fixture
def make_channel() -> Callable[..., NotificationChannel]:
    def _make(unit_code: str, kind: str, target: str, secret: str | None = None) -> NotificationChannel:
        channel = add_channel(org_unit=unit(unit_code), kind=kind, target=target, secret=secret)
        db.session.commit()
        return channel

    return _make


# ------------------------------------------------------------------ local receivers


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(receiver.delay)
            receiver.requests.append(Received(self.path, json.loads(body)))
            status = receiver.statuses.pop(0) if receiver.statuses else 200
            answer = json.dumps({"errcode": 0 if status == 200 else status, "errmsg": "ok"}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(received))
    received.url = f"http://127.0.0.1:{server.server_port}/robot/send?key=test"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_sink(app: Flask) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it gets; the app sends there."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("SMTP_HOST", "SMTP_PORT")}
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port)
    try:
        yield mailbox
    finally:
        app.config.update(saved)
        controller.stop()
