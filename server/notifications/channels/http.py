"""A JSON POST with a short timeout, for the webhook-like channels (stdlib only)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from flask import current_app

from server.notifications.channels.base import DeliveryError

_MAX_ANSWER = 64 * 1024


def post_json(url: str, body: dict[str, Any]) -> Any:
    """POST ``body`` as JSON; return the decoded JSON answer (None if it is not JSON)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "xuncha-notify/1"},
    )
    timeout = current_app.config["NOTIFY_HTTP_TIMEOUT"]
    try:
        # Only http(s) URLs are accepted when a channel is configured (schemas.ChannelInSchema).
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(_MAX_ANSWER)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DeliveryError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
    try:
        return json.loads(answer) if answer else None
    except ValueError:
        return None


def check_errcode(answer: Any) -> None:
    """企业微信 and 钉钉 answer HTTP 200 with {"errcode": non-zero} when they refuse a message."""
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise DeliveryError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
