"""A local directory as photo storage (the embedded default).

URLs point back at the app (``/api/v1/files/<key>``) and carry an expiry and an
HMAC signature, so a photo is reachable only through a short-lived link and
never through a guessable path.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from flask import url_for

from server.photos.storage.base import StorageUnavailable, StoredObject

# The type a file is served with, from its key's extension: the keys are written
# by this app (``photos/…/original.heic``, ``display.jpg``), and anything else is
# served as opaque bytes, never as something a browser might run.
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".heic": "image/heic",
    ".heif": "image/heif",
}


class LocalStorage:
    def __init__(self, root: str, *, secret_key: str) -> None:
        self.root = Path(root)
        self._key = hashlib.sha256(b"xuncha-file-url:" + secret_key.encode()).digest()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()) or ".." in Path(key).parts:
            raise KeyError(key)
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Write then rename: a reader never sees half a photo.
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:
            raise StorageUnavailable(details={"reason": str(exc)}) from exc

    def put_many(self, objects: Iterable[tuple[str, bytes, str]]) -> None:
        for key, data, content_type in objects:
            self.put(key, data, content_type)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        try:
            path = self._path(key)
        except KeyError:  # a key outside the root was never stored
            return
        path.unlink(missing_ok=True)
        # The photo's own directory goes when its last file does (never the shared month
        # directories: a concurrent upload may be creating its directory inside one).
        with contextlib.suppress(OSError):
            path.parent.rmdir()

    def delete_many(self, keys: Iterable[str]) -> None:
        for key in keys:
            self.delete(key)

    def objects(self, prefix: str) -> Iterator[StoredObject]:
        """Files under ``prefix`` in key order, like an S3 listing (half-written temporary files too)."""
        start = self.root / prefix.rsplit("/", 1)[0] if "/" in prefix else self.root
        if not start.is_dir():
            return
        keys = sorted(
            key
            for path in start.rglob("*")
            if path.is_file() and (key := path.relative_to(self.root).as_posix()).startswith(prefix)
        )
        for key in keys:
            with contextlib.suppress(FileNotFoundError):  # deleted while we listed
                stat = (self.root / key).stat()
                yield StoredObject(key, stat.st_size, datetime.fromtimestamp(stat.st_mtime, UTC))

    def content_type(self, key: str) -> str:
        return CONTENT_TYPES.get(Path(key).suffix.lower(), "application/octet-stream")

    def exists(self, key: str) -> bool:
        try:
            return self._path(key).is_file()
        except KeyError:
            return False

    def url(self, key: str, expires_in: int, content_type: str | None = None) -> str:
        # content_type is not needed here: the file route derives it from the key.
        expires = int(time.time()) + expires_in
        query = urlencode({"exp": expires, "sig": self.signature(key, expires)})
        return f"{url_for('photos.serve_file', key=key)}?{query}"

    def signature(self, key: str, expires: int) -> str:
        return hmac.new(self._key, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()

    def verify(self, key: str, expires: int, signature: str) -> bool:
        return expires >= time.time() and hmac.compare_digest(self.signature(key, expires), signature)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".readyz"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StorageUnavailable(details={"reason": str(exc)}) from exc
