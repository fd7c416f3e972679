"""企业微信 group robot: {"msgtype": "markdown", "markdown": {"content": …}}, at most 4096 bytes."""

from __future__ import annotations

from typing import Any

from server.notifications.channels.base import Target
from server.notifications.channels.http import check_errcode, post_json

MAX_BYTES = 4096


def clip(text: str, max_bytes: int) -> str:
    """Cut ``text`` to ``max_bytes`` of UTF-8 without splitting a character."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - len("…".encode())].decode("utf-8", errors="ignore") + "…"


class WecomSender:
    def send(self, target: Target, payload: dict[str, Any]) -> None:
        content = payload["markdown"]
        if len(content.encode("utf-8")) > MAX_BYTES:  # keep the link: it is the last line
            link_line = f"\n[查看详情]({payload['link']})"
            content = clip(content, MAX_BYTES - len(link_line.encode("utf-8"))) + link_line
        check_errcode(post_json(target.address, {"msgtype": "markdown", "markdown": {"content": content}}))
