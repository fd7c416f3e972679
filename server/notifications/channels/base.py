"""The one small interface every outbound channel implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


class DeliveryError(Exception):
    """The channel did not take the message; the delivery is retried later."""


@dataclass(frozen=True)
class Target:
    """Where to send: a URL or e-mail addresses, and an optional signing secret."""

    address: str
    secret: str | None = None


class Sender(Protocol):
    def send(self, target: Target, payload: dict[str, Any]) -> None:
        """Send ``payload`` (``messages.outbound``) or raise ``DeliveryError``."""
