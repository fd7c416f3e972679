"""Configuration from the environment, with embedded defaults.

Every setting a deployment may change is read here once; the rest of the code
reads ``current_app.config``. Defaults give the embedded mode: a SQLite file and
a photo directory under ``instance/``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

MB = 1024 * 1024


def _instance_dir(root: Path) -> Path:
    path = Path(os.environ.get("XUNCHA_INSTANCE_DIR", root / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(48))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_config(root: Path) -> dict[str, Any]:
    instance = _instance_dir(root)
    return {
        "INSTANCE_DIR": str(instance),
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "STORAGE_URL": os.environ.get("STORAGE_URL", f"file://{instance / 'photos'}"),
        "HOST": os.environ.get("HOST", "127.0.0.1"),
        "PORT": int(os.environ.get("PORT", "5000")),
        "XUNCHA_TIMEZONE": os.environ.get("XUNCHA_TIMEZONE", "Asia/Shanghai"),
        # Office hours for 工作时 deadlines, local time, "HH:MM-HH:MM" comma separated.
        "XUNCHA_OFFICE_HOURS": os.environ.get("XUNCHA_OFFICE_HOURS", "08:30-12:00,14:00-18:00"),
        # Demo mode allows the demo password and the seed-demo command.
        "XUNCHA_DEMO": _bool("XUNCHA_DEMO", True),
        # Routing: an issue outside every boundary goes to the nearest community
        # centroid within this distance, else it waits for manual dispatch.
        "ROUTING_MAX_DISTANCE_M": float(os.environ.get("ROUTING_MAX_DISTANCE_M", "1500")),
        # Before reporting: known issues this close, open or closed this recently, are shown.
        "DUPLICATE_RADIUS_M": float(os.environ.get("DUPLICATE_RADIUS_M", "50")),
        "DUPLICATE_CLOSED_DAYS": int(os.environ.get("DUPLICATE_CLOSED_DAYS", "30")),
        # Photos.
        "PHOTO_MAX_BYTES": int(os.environ.get("PHOTO_MAX_BYTES", str(25 * MB))),
        "PHOTO_MAX_PIXELS": int(os.environ.get("PHOTO_MAX_PIXELS", str(64_000_000))),
        "PHOTO_URL_TTL_SECONDS": int(os.environ.get("PHOTO_URL_TTL_SECONDS", "900")),
        # Werkzeug refuses bodies above this with 413 before any view runs; a little
        # above the photo limit for the multipart envelope.
        "MAX_CONTENT_LENGTH": int(os.environ.get("PHOTO_MAX_BYTES", str(25 * MB))) + MB,
        # Login throttling (Flask-Limiter syntax); storage is shared by all web
        # processes when RATELIMIT_STORAGE_URI points at Redis.
        "LOGIN_LIMIT_PER_USER": os.environ.get("LOGIN_LIMIT_PER_USER", "5 per 5 minutes"),
        "LOGIN_LIMIT_PER_ADDRESS": os.environ.get("LOGIN_LIMIT_PER_ADDRESS", "30 per 5 minutes"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Session cookie: HttpOnly and SameSite=Lax always; Secure when served over https.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "PREFERRED_URL_SCHEME": os.environ.get("PREFERRED_URL_SCHEME", "http"),
        # Behind a reverse proxy / load balancer: how many proxies set X-Forwarded-*.
        # Without it every client looks like the proxy's address to the login throttle.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "JSON_SORT_KEYS": False,
        "COMPRESS_MIMETYPES": [
            "application/json",
            "application/javascript",
            "text/javascript",
            "text/css",
            "text/html",
            "application/manifest+json",
            "image/svg+xml",
            "application/geo+json",
        ],
        # --- Reports and Open311 (issue #6) ---
        # The issuing body printed on 整改通知单 and under 督查通报.
        "XUNCHA_ISSUER": os.environ.get("XUNCHA_ISSUER", "衡阳市创建全国文明城市工作指挥部办公室"),
        # A CJK font file (.ttc/.otf/.ttf) for PDFs; empty: Debian's fonts-noto-cjk.
        "XUNCHA_PDF_FONT": os.environ.get("XUNCHA_PDF_FONT", ""),
        # Open311 POST keys: "key1:username1,key2:username2" (each key files issues as that user).
        "OPEN311_API_KEYS": os.environ.get("OPEN311_API_KEYS", ""),
        # Hosts Open311 media_url photos may be fetched from ("host" or "host:port", comma
        # separated); empty: never fetch, keep the URL in the description.
        "OPEN311_MEDIA_HOSTS": os.environ.get("OPEN311_MEDIA_HOSTS", ""),
        # Shown in discovery.json.
        "OPEN311_CONTACT": os.environ.get("OPEN311_CONTACT", ""),
        # --- Map (issue #6) ---
        # GET /api/v1/map/issues sends single issues while the viewport's grid cells hold
        # at most this many matching issues, and grid clusters above it.
        "MAP_CLUSTER_THRESHOLD": int(os.environ.get("MAP_CLUSTER_THRESHOLD", "300")),
        # Size of a cluster grid cell on screen, in pixels: 32, 64 or 128 (a power of two).
        "MAP_CLUSTER_CELL_PX": _cell_px(os.environ.get("MAP_CLUSTER_CELL_PX", "64")),
        # The base map (GET /api/v1/map/config): osm (OpenStreetMap), tianditu (天地图, needs
        # TIANDITU_KEY) or amap (高德, GCJ-02: the browser shifts what it draws). MAP_TILE_URL, a
        # Leaflet URL template ({s} {z} {x} {y}), replaces the provider's tiles (an own tile server).
        "MAP_TILES": os.environ.get("MAP_TILES", "osm"),
        "MAP_TILE_URL": os.environ.get("MAP_TILE_URL", ""),
        "TIANDITU_KEY": os.environ.get("TIANDITU_KEY", ""),
        # Where the map opens, "lat,lon" (WGS-84), and at which zoom: the demo city.
        "MAP_CENTER": os.environ.get("MAP_CENTER", "26.8800,112.5900"),
        "MAP_ZOOM": int(os.environ.get("MAP_ZOOM", "12")),
        # --- Deadline reminders, escalation and notifications (issue #7) ---
        # Links in outbound messages (WeCom, DingTalk, e-mail) point here.
        "XUNCHA_PUBLIC_URL": os.environ.get("XUNCHA_PUBLIC_URL", "http://127.0.0.1:5000"),
        # "inprocess": each web process runs `tick` every minute in a daemon thread
        # (the embedded default); "off": cron or the Procfile's clock process does.
        "XUNCHA_SCHEDULER": os.environ.get("XUNCHA_SCHEDULER", "off"),
        # Which deadline rules tick applies: any of reminder, overdue, digest.
        "NOTIFY_RULES": os.environ.get("NOTIFY_RULES", "reminder,overdue,digest"),
        # Remind the community when this many hours remain, or this share of the
        # allowed time (deadline − dispatch), whichever is shorter.
        "NOTIFY_REMIND_HOURS": float(os.environ.get("NOTIFY_REMIND_HOURS", "24")),
        "NOTIFY_REMIND_FRACTION": float(os.environ.get("NOTIFY_REMIND_FRACTION", "0.2")),
        # The daily digest (per street, and for supervisors) goes out from this local hour.
        "NOTIFY_DIGEST_HOUR": int(os.environ.get("NOTIFY_DIGEST_HOUR", "8")),
        # Outbound deliveries: "background" sends them in a worker thread right after
        # the commit, "inline" in the request's after-commit step (tests), "tick"
        # leaves them to the next tick. A failed send is retried by tick with
        # exponential backoff (base × 2^(attempt−1), capped), then marked failed.
        "NOTIFY_DELIVERY": os.environ.get("NOTIFY_DELIVERY", "background"),
        "NOTIFY_MAX_ATTEMPTS": int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "8")),
        "NOTIFY_RETRY_BASE_SECONDS": int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60")),
        "NOTIFY_RETRY_MAX_SECONDS": int(os.environ.get("NOTIFY_RETRY_MAX_SECONDS", "21600")),
        "NOTIFY_HTTP_TIMEOUT": float(os.environ.get("NOTIFY_HTTP_TIMEOUT", "5")),
        # E-mail channels over SMTP; with SMTP_HOST empty e-mail deliveries fail and retry.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_FROM": os.environ.get("SMTP_FROM", "xuncha@localhost"),
        "SMTP_STARTTLS": _bool("SMTP_STARTTLS", False),
        "SMTP_SSL": _bool("SMTP_SSL", False),  # implicit TLS, e.g. port 465
        "SMTP_TIMEOUT": float(os.environ.get("SMTP_TIMEOUT", "10")),
    }


def _cell_px(value: str) -> int:
    """The map's cluster cell size: a power of two from 16 to 256 pixels (grid levels follow tile zooms)."""
    px = int(value)
    if px not in (16, 32, 64, 128, 256):
        raise ValueError(f"MAP_CLUSTER_CELL_PX must be 16, 32, 64, 128 or 256, not {value}")
    return px


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'xuncha.db'}")
    # Heroku-style URLs name the old driver; use psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
