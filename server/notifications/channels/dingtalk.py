"""钉钉 group robot: {"msgtype": "markdown", "markdown": {"title", "text"}}, optionally signed.

With a signing secret ("加签"), the URL carries ``timestamp`` (ms) and ``sign`` =
base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), URL-encoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from typing import Any

from server.notifications.channels.base import Target
from server.notifications.channels.http import check_errcode, post_json
from server.notifications.channels.wecom import clip

MAX_BYTES = 20000


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


class DingtalkSender:
    def send(self, target: Target, payload: dict[str, Any]) -> None:
        url = signed_url(target.address, target.secret) if target.secret else target.address
        text = clip(payload["markdown"].replace("\n", "\n\n"), MAX_BYTES)  # 钉钉 needs blank lines between lines
        body = {"msgtype": "markdown", "markdown": {"title": payload["title"], "text": text}}
        check_errcode(post_json(url, body))
