"""Deadline reminders, escalation and notifications (消息, 企业微信, 钉钉, webhooks, e-mail).

Registering the blueprint also subscribes to the issue event log (a session
listener, ``events.py``) and, with ``XUNCHA_SCHEDULER=inprocess``, starts the
in-process scheduler (``scheduler.py``).
"""

from typing import cast

from flask import Blueprint, Flask
from flask.blueprints import BlueprintSetupState

bp = Blueprint("notifications", __name__, url_prefix="/api/v1")


def _on_register(state: BlueprintSetupState) -> None:
    from server.notifications.events import listen_to_issue_events
    from server.notifications.scheduler import start_scheduler

    listen_to_issue_events()
    start_scheduler(cast(Flask, state.app))


bp.record_once(_on_register)
