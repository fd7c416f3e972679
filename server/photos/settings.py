"""The photo package's settings, from the environment, with embedded defaults.

Applied as defaults when the photos blueprint is registered, so a value given to
``create_app(config)`` (tests, deployments) always wins.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Config


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def photo_settings() -> dict[str, Any]:
    return {
        # 水印 on the display copy (time, place, category, who); the original is never touched.
        "PHOTO_WATERMARK": _bool("PHOTO_WATERMARK", True),
        # A font file with CJK glyphs; empty: the first of the known Debian paths that exists.
        "PHOTO_WATERMARK_FONT": os.environ.get("PHOTO_WATERMARK_FONT", ""),
        # Evidence checks on "after" photos (warnings for the verifying inspector, never a block).
        "EVIDENCE_MAX_DISTANCE_M": float(os.environ.get("EVIDENCE_MAX_DISTANCE_M", "50")),
        # Perceptual-hash distance (of 64 bits) at or below which two photos look the same.
        # Tuned on the shared samples: re-encoded or resized copies ≤ 2, brightness or
        # contrast changed ≤ 4, 2 % cropped ≤ 10 (median 4); different photos ≥ 20, and a
        # re-shot "after" of the same scene 10–22. See tests/server/photos/test_evidence.py.
        "EVIDENCE_PHASH_MAX_DISTANCE": int(os.environ.get("EVIDENCE_PHASH_MAX_DISTANCE", "8")),
        # A device time this far *ahead* of the server's receive time is a wrong clock.
        "EVIDENCE_MAX_CLOCK_AHEAD_S": int(os.environ.get("EVIDENCE_MAX_CLOCK_AHEAD_S", "300")),
        # … and this far *behind* it: a wrong clock, or a photo not sent from the scene
        # (an outbox replayed after a day offline looks the same, hence a warning only).
        "EVIDENCE_MAX_CLOCK_BEHIND_S": int(os.environ.get("EVIDENCE_MAX_CLOCK_BEHIND_S", str(24 * 3600))),
    }


def apply_photo_settings(config: Config) -> None:
    for name, value in photo_settings().items():
        config.setdefault(name, value)
