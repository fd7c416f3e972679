"""Fetching an Open311 ``media_url`` photo — only from hosts the deployment allows.

OPEN311_MEDIA_HOSTS lists them ("host" allows any port, "host:port" one port);
by default none, and the URL is only kept in the description. Redirects are not
followed (they could lead anywhere), only http(s), with a timeout and the
photo size limit.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urlsplit

from flask import current_app

from server.errors import ValidationFailed

TIMEOUT_SECONDS = 10


class MediaUnavailable(ValidationFailed):
    code = "media_unavailable"
    message_zh = "无法从 media_url 获取照片"
    message_en = "The photo at media_url could not be fetched"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 3xx then surfaces as an HTTPError


def allowed_hosts() -> set[str]:
    raw = str(current_app.config.get("OPEN311_MEDIA_HOSTS") or "")
    return {host.strip().lower() for host in raw.split(",") if host.strip()}


def is_allowed(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    hosts = allowed_hosts()
    host = parts.hostname.lower()
    return host in hosts or (parts.port is not None and f"{host}:{parts.port}" in hosts)


def fetch(url: str) -> bytes:
    """The bytes at ``url`` (an allowed host), at most PHOTO_MAX_BYTES; MediaUnavailable otherwise."""
    limit = int(current_app.config["PHOTO_MAX_BYTES"])
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers={"Accept": "image/*"}), timeout=TIMEOUT_SECONDS) as reply:
            data: bytes = reply.read(limit + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MediaUnavailable(details={"media_url": url, "reason": str(exc)}) from exc
    if len(data) > limit:
        raise MediaUnavailable("media_url 的照片超过大小限制", "The photo at media_url is too large")
    return data
