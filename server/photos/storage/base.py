"""The storage interface every backend implements."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from server.errors import ServiceUnavailable


class StorageUnavailable(ServiceUnavailable):
    code = "storage_unavailable"
    message_zh = "照片存储暂时不可用，请稍后重试（照片仍保存在手机上）"
    message_en = "Photo storage is unavailable; try again later (the photo is kept on the phone)"


@dataclass(frozen=True)
class StoredObject:
    """One object as a listing shows it."""

    key: str
    size: int
    modified_at: datetime  # UTC-aware


class Storage(Protocol):
    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store ``data`` under ``key``, replacing what was there. Raises StorageUnavailable."""

    def put_many(self, objects: Iterable[tuple[str, bytes, str]]) -> None:
        """``put`` each (key, data, content type), concurrently where the backend gains from it."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key``; KeyError when there are none."""

    def delete(self, key: str) -> None:
        """Remove ``key``; a missing key is not an error."""

    def delete_many(self, keys: Iterable[str]) -> None:
        """Remove every key (in as few requests as the backend allows); missing keys are no error."""

    def objects(self, prefix: str) -> Iterator[StoredObject]:
        """Every object whose key starts with ``prefix``, in key order (for the sweep)."""

    def url(self, key: str, expires_in: int, content_type: str | None = None) -> str:
        """A short-lived URL a browser can GET ``key`` from, without other credentials."""

    def check(self) -> None:
        """Raise StorageUnavailable when the store cannot be reached (for /readyz)."""
