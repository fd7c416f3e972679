"""Photo storage: one small interface, one backend per kind of ``STORAGE_URL``.

- ``file:///path/to/dir`` — a local directory (the embedded default)
- ``s3://bucket?endpoint=…&region=…&addressing=path&public_endpoint=…`` — any
  S3-compatible service (MinIO, Ceph, AWS, OSS, COS, Swift), credentials from
  the usual AWS variables

The app talks only to ``get_storage()``; nothing else knows which backend runs.
"""

from __future__ import annotations

from flask import Flask, current_app

from server.photos.storage.base import Storage, StorageUnavailable, StoredObject

__all__ = ["Storage", "StorageUnavailable", "StoredObject", "get_storage", "init_storage", "storage_from_url"]


def storage_from_url(url: str, app: Flask) -> Storage:
    if url.startswith("file://"):
        from server.photos.storage.local import LocalStorage

        return LocalStorage(url.removeprefix("file://"), secret_key=app.config["SECRET_KEY"])
    if url.startswith("s3://"):
        from server.photos.storage.s3 import S3Settings, S3Storage

        return S3Storage(S3Settings.from_url(url))
    raise ValueError(f"unsupported STORAGE_URL scheme: {url.split(':', 1)[0]}")


def init_storage(app: Flask) -> None:
    app.extensions["xuncha_storage"] = storage_from_url(app.config["STORAGE_URL"], app)


def get_storage() -> Storage:
    storage: Storage = current_app.extensions["xuncha_storage"]
    return storage
