"""Fixtures for the photo tests: uploading, fetching signed URLs, looking into the store, and S3.

The S3 fixtures talk to a real S3 HTTP service that checks signatures (the Swift
S3 API from ``tests/s3/start.sh``), never to a patched client. They are skipped,
with the reason, when no endpoint is configured: ``XUNCHA_TEST_S3_ENDPOINT``, or
a ``STORAGE_URL`` that starts with ``s3://``.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from server.photos.storage import Storage, get_storage
from server.photos.storage.local import LocalStorage
from server.photos.storage.s3 import S3Settings, S3Storage
from tests.server.photos.helpers import fetch_url

# The Swift test service's account (tests/s3/start.sh); the usual AWS variables win when set.
S3_TEST_ACCESS_KEY = "test:tester"
S3_TEST_SECRET = "testing"


@pytest.fixture
def storage(app: Flask) -> Storage:
    """The app's storage, whichever backend runs."""
    return get_storage()


@pytest.fixture
def local_storage(storage: Storage) -> LocalStorage:
    if not isinstance(storage, LocalStorage):
        pytest.skip("this test looks at the local storage's own signed links")
    return storage


@pytest.fixture
def stored_files(storage: Storage) -> Callable[[], set[str]]:
    """stored_files() → every key now under photos/ in the app's store (any backend)."""

    def _list() -> set[str]:
        return {obj.key for obj in storage.objects("photos/")}

    return _list


@pytest.fixture
def upload() -> Callable[..., Any]:
    """upload(api_client, data, filename="p.jpg", **form_fields) → the response of POST /api/v1/photos."""

    def _upload(client: Any, data: bytes, filename: str = "photo.jpg", **fields: Any) -> Any:
        values: dict[str, Any] = {key: str(value) for key, value in fields.items()}
        values["file"] = FileStorage(io.BytesIO(data), filename=filename, content_type="image/jpeg")
        # Encoded in memory: the test client would spool a big body to a temporary
        # file that it never closes (it only does when following redirects).
        boundary, body = encode_multipart(values)
        return client.post("/api/v1/photos", data=body, content_type=f"multipart/form-data; boundary={boundary}")

    return _upload


@pytest.fixture
def fetch(client: Any) -> Callable[[str], Any]:
    """fetch(signed_url) → the response, with no login: the signature is the only credential.

    App links (local storage) go through the test client; absolute links (S3) over real HTTP.
    """

    def _fetch(url: str) -> Any:
        return fetch_url(client, url)

    return _fetch


# -- S3 ------------------------------------------------------------------------------------


def s3_endpoint() -> str | None:
    if endpoint := os.environ.get("XUNCHA_TEST_S3_ENDPOINT"):
        return endpoint
    url = os.environ.get("STORAGE_URL", "")
    if url.startswith("s3://"):
        return parse_qs(urlsplit(url).query).get("endpoint", [None])[0]
    return None


@pytest.fixture(scope="session")
def s3_endpoint_url() -> str:
    endpoint = s3_endpoint()
    if endpoint is None:
        pytest.skip("no S3 service: set XUNCHA_TEST_S3_ENDPOINT (tests/s3/start.sh starts one) or an s3:// STORAGE_URL")
    return endpoint


@pytest.fixture(scope="session")
def s3_credentials() -> tuple[str, str]:
    return (
        os.environ.get("AWS_ACCESS_KEY_ID", S3_TEST_ACCESS_KEY),
        os.environ.get("AWS_SECRET_ACCESS_KEY", S3_TEST_SECRET),
    )


@pytest.fixture
def make_s3_storage(s3_endpoint_url: str, s3_credentials: tuple[str, str]) -> Callable[..., S3Storage]:
    """make_s3_storage(bucket, **settings) → an S3Storage on the test service."""

    def _make(bucket: str, secret: str | None = None, **settings: Any) -> S3Storage:
        values: dict[str, Any] = {"endpoint": s3_endpoint_url, "region": "us-east-1", "addressing": "path"}
        values.update(settings)
        access_key, real_secret = s3_credentials
        return S3Storage(S3Settings(bucket=bucket, **values), access_key=access_key, secret_key=secret or real_secret)

    return _make


@pytest.fixture
def s3_bucket(make_s3_storage: Callable[..., S3Storage]) -> Iterator[str]:
    """A fresh, empty bucket for one test; emptied and removed afterwards."""
    name = f"xuncha-t-{uuid.uuid4().hex[:12]}"
    admin = make_s3_storage(name)
    admin._client.create_bucket(Bucket=name)
    try:
        yield name
    finally:
        admin.delete_many(obj.key for obj in admin.objects(""))
        admin._client.delete_bucket(Bucket=name)


@pytest.fixture
def s3_storage(make_s3_storage: Callable[..., S3Storage], s3_bucket: str) -> S3Storage:
    return make_s3_storage(s3_bucket)


@pytest.fixture
def use_storage(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[Storage], Storage]:
    """use_storage(backend) → the app stores photos there for this test only."""

    def _use(backend: Storage) -> Storage:
        monkeypatch.setitem(app.extensions, "xuncha_storage", backend)
        return backend

    return _use
