"""Any S3-compatible service as photo storage, through boto3.

``STORAGE_URL=s3://BUCKET?endpoint=http://127.0.0.1:8080&region=us-east-1&addressing=path``
with optional ``public_endpoint=`` (the host phones reach, if not the internal one),
``connect_timeout=``, ``read_timeout=`` (seconds) and ``max_attempts=``. Credentials come
from the usual AWS variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE`` …), never from the URL.

Written for the strictest of the services it must work with (MinIO, Ceph, AWS,
Aliyun OSS, Tencent COS, OpenStack Swift's s3api): SigV4, checksums only where
the API demands them (Swift and older MinIO refuse the newer CRC headers), and
an explicit Content-MD5 on DeleteObjects, which Swift requires and new boto3 no
longer sends. The bucket stays private: browsers get presigned GET URLs, signed
by a second client for the public endpoint, because a signature covers the
host and rewriting it afterwards breaks the URL.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.photos.storage.base import StorageUnavailable, StoredObject

# DeleteObjects takes up to 1000 keys, but Swift deletes them one by one before it
# answers: in batches of 100 an answer comes well within the short read timeout.
_DELETE_BATCH = 100
_MISSING_KEY_CODES = frozenset({"NoSuchKey", "404", "NotFound"})
# Network waits, not CPU: a few threads shared by all requests (boto3 clients are thread-safe).
_IO_POOL = ThreadPoolExecutor(max_workers=6, thread_name_prefix="s3")


@dataclass(frozen=True)
class S3Settings:
    bucket: str
    endpoint: str | None = None  # None: AWS itself
    public_endpoint: str | None = None  # None: the same as endpoint
    region: str | None = None  # None: AWS_DEFAULT_REGION or the profile's
    addressing: str = "auto"  # "path" for MinIO/Swift/Ceph, "virtual" for AWS/OSS/COS
    # A phone is waiting for the answer: fail fast and let it retry, rather than hang
    # (worst case: attempts × (connect or read timeout) plus one back-off of ≤ 2 s).
    connect_timeout: float = 2.0
    read_timeout: float = 5.0
    max_attempts: int = 2  # the first try and one retry

    @classmethod
    def from_url(cls, url: str) -> S3Settings:
        parts = urlsplit(url)
        if parts.scheme != "s3" or not parts.netloc:
            raise ValueError("STORAGE_URL for S3 is s3://BUCKET?endpoint=…&region=…")
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        unknown = set(query) - {f for f in cls.__dataclass_fields__ if f != "bucket"}
        if unknown:
            raise ValueError(f"unknown STORAGE_URL parameters: {', '.join(sorted(unknown))}")
        if query.get("addressing", "auto") not in ("auto", "path", "virtual"):
            raise ValueError("addressing must be path, virtual or auto")
        return cls(
            bucket=parts.netloc,
            endpoint=query.get("endpoint"),
            public_endpoint=query.get("public_endpoint"),
            region=query.get("region"),
            addressing=query.get("addressing", "auto"),
            connect_timeout=float(query.get("connect_timeout", cls.connect_timeout)),
            read_timeout=float(query.get("read_timeout", cls.read_timeout)),
            max_attempts=int(query.get("max_attempts", cls.max_attempts)),
        )


class S3Storage:
    def __init__(self, settings: S3Settings, *, access_key: str | None = None, secret_key: str | None = None) -> None:
        """Credentials are normally None here: boto3 then reads the usual AWS variables."""
        self.settings = settings
        self.bucket = settings.bucket
        # A session per storage: boto3's default session is not thread-safe to create clients from.
        session = boto3.session.Session(
            aws_access_key_id=access_key, aws_secret_access_key=secret_key, region_name=settings.region
        )
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": settings.addressing},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            connect_timeout=settings.connect_timeout,
            read_timeout=settings.read_timeout,
            retries={"total_max_attempts": settings.max_attempts, "mode": "standard"},
        )
        self._client = session.client("s3", endpoint_url=settings.endpoint, config=config)
        self._client.meta.events.register("before-call.s3.DeleteObjects", _add_content_md5)
        # Signing is local (no request is sent), so this client never talks to the public host.
        self._signer = session.client("s3", endpoint_url=settings.public_endpoint or settings.endpoint, config=config)

    def __repr__(self) -> str:
        return f"<S3Storage {self.bucket} at {self.settings.endpoint or 'AWS'}>"

    # -- objects ---------------------------------------------------------------------------

    def put(self, key: str, data: bytes, content_type: str) -> None:
        with _storage_errors():
            self._client.put_object(Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def put_many(self, objects: Iterable[tuple[str, bytes, str]]) -> None:
        """All at once: an upload's three objects cost one round trip of waiting, not three."""
        futures = [_IO_POOL.submit(self.put, *item) for item in objects]
        errors = [exc for future in futures if (exc := future.exception()) is not None]
        if errors:
            raise errors[0]

    def get(self, key: str) -> bytes:
        with _storage_errors(missing_key=key):
            body: bytes = self._client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return body

    def delete(self, key: str) -> None:
        with _storage_errors():
            self._client.delete_object(Bucket=self.bucket, Key=key)

    def delete_many(self, keys: Iterable[str]) -> None:
        batch = list(dict.fromkeys(keys))
        for start in range(0, len(batch), _DELETE_BATCH):
            objects = [{"Key": key} for key in batch[start : start + _DELETE_BATCH]]
            with _storage_errors():
                answer = self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
            if errors := answer.get("Errors"):
                raise StorageUnavailable(details={"reason": "delete failed", "errors": errors[:5]})

    def objects(self, prefix: str) -> Iterator[StoredObject]:
        paginator = self._client.get_paginator("list_objects_v2")
        with _storage_errors():
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for item in page.get("Contents", []):
                    modified = item["LastModified"].astimezone(UTC)
                    yield StoredObject(item["Key"], int(item["Size"]), modified)

    # -- links and health ------------------------------------------------------------------

    def url(self, key: str, expires_in: int, content_type: str | None = None) -> str:
        """A presigned GET for the public endpoint (every object carries its ContentType already).

        Caches may keep the photo exactly as long as the signature lives: an absolute
        ``Expires`` at the signature's end, and ``private`` without a ``max-age`` (which
        would count from the moment of the fetch, not of the signing).
        """
        expires_at = datetime.now(UTC) + timedelta(seconds=expires_in)
        params: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "ResponseCacheControl": "private",
            "ResponseExpires": expires_at,
        }
        with _storage_errors():
            url: str = self._signer.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in)
        return url

    def check(self) -> None:
        with _storage_errors():
            self._client.head_bucket(Bucket=self.bucket)


def _add_content_md5(params: dict[str, Any], **_kwargs: Any) -> None:
    """Swift (and S3 itself, historically) wants Content-MD5 on DeleteObjects; boto3 ≥ 1.36 sends a CRC instead."""
    body = params.get("body")
    if isinstance(body, str):
        body = body.encode()
    if isinstance(body, bytes):
        params["headers"]["Content-MD5"] = base64.b64encode(hashlib.md5(body, usedforsecurity=False).digest()).decode()


@contextmanager
def _storage_errors(*, missing_key: str | None = None) -> Iterator[None]:
    """Boto errors become StorageUnavailable (a 503 the phone retries); a missing ``missing_key`` a KeyError."""
    try:
        yield
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if missing_key is not None and code in _MISSING_KEY_CODES:
            raise KeyError(missing_key) from None
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        raise StorageUnavailable(details={"reason": f"{code or 'error'} ({status})"}) from exc
    except BotoCoreError as exc:  # connection refused, timeouts, no credentials …
        raise StorageUnavailable(details={"reason": type(exc).__name__}) from exc
