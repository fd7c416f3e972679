"""A generic webhook: the message as JSON, for any system that wants to hear about issues."""

from __future__ import annotations

from typing import Any

from server.notifications.channels.base import Target
from server.notifications.channels.http import post_json


class WebhookSender:
    def send(self, target: Target, payload: dict[str, Any]) -> None:
        body = {
            "kind": payload["kind"],
            "title": payload["title"],
            "text": payload["text"],
            "link": payload["link"],
            **payload.get("data", {}),
        }
        post_json(target.address, body)
