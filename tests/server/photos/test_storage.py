"""The storage interface against both backends: a local directory, and a real S3 service.

The S3 tests run against an S3 HTTP service that checks signatures (Swift's S3
API, tests/s3/start.sh), so a tampered or expired link is refused by the store
itself, as it would be on AWS or MinIO.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
import requests

from server.photos.storage import Storage, StorageUnavailable
from server.photos.storage.local import LocalStorage
from server.photos.storage.s3 import S3Settings, S3Storage

MakeS3 = Callable[..., S3Storage]


@pytest.fixture(params=["local", pytest.param("s3", marks=pytest.mark.s3)])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    """Each contract test once per backend."""
    if request.param == "local":
        return LocalStorage(str(tmp_path / "store"), secret_key="test")
    storage: S3Storage = request.getfixturevalue("s3_storage")
    return storage


# -- the contract ----------------------------------------------------------------------------


def test_put_get_replace_delete(backend: Storage) -> None:
    backend.put("photos/2026/11/a/display.jpg", b"first", "image/jpeg")
    assert backend.get("photos/2026/11/a/display.jpg") == b"first"
    backend.put("photos/2026/11/a/display.jpg", b"second", "image/jpeg")
    assert backend.get("photos/2026/11/a/display.jpg") == b"second"
    backend.delete("photos/2026/11/a/display.jpg")
    with pytest.raises(KeyError):
        backend.get("photos/2026/11/a/display.jpg")
    backend.delete("photos/2026/11/a/display.jpg")  # a missing key is no error


def test_put_many_stores_each_with_its_type(backend: Storage) -> None:
    backend.put_many(
        [
            ("photos/2026/11/a/original.heic", b"heic", "image/heic"),
            ("photos/2026/11/a/display.jpg", b"display", "image/jpeg"),
            ("photos/2026/11/a/thumb.jpg", b"thumb", "image/jpeg"),
        ]
    )
    assert backend.get("photos/2026/11/a/original.heic") == b"heic"
    assert backend.get("photos/2026/11/a/thumb.jpg") == b"thumb"
    assert len(list(backend.objects("photos/2026/11/a/"))) == 3


def test_listing_is_in_key_order_with_sizes_and_times(backend: Storage) -> None:
    keys = ["photos/2026/12/b/thumb.jpg", "photos/2026/11/a/original.heic", "photos/2026/11/a/display.jpg", "other/x"]
    for number, key in enumerate(keys):
        backend.put(key, b"x" * (number + 1), "application/octet-stream")
    listed = list(backend.objects("photos/"))
    assert [obj.key for obj in listed] == sorted(keys[:3])
    assert {obj.key: obj.size for obj in listed}["photos/2026/11/a/original.heic"] == 2
    now = datetime.now(UTC)
    assert all(now - timedelta(minutes=5) < obj.modified_at <= now + timedelta(minutes=5) for obj in listed)
    assert [obj.key for obj in backend.objects("photos/2026/11/")] == sorted(keys[1:3])


def test_delete_many_removes_every_key_in_few_requests(backend: Storage) -> None:
    keys = [f"photos/2026/11/{n}/thumb.jpg" for n in range(5)]
    for key in keys:
        backend.put(key, b"x", "image/jpeg")
    backend.delete_many([*keys[:4], "photos/never/was.jpg"])
    assert [obj.key for obj in backend.objects("photos/")] == keys[4:]


def test_check_passes_when_reachable(backend: Storage) -> None:
    backend.check()


def test_local_delete_removes_the_photo_directory_but_not_the_month(tmp_path: Path) -> None:
    store = LocalStorage(str(tmp_path), secret_key="test")
    store.put("photos/2026/11/a/display.jpg", b"x", "image/jpeg")
    store.put("photos/2026/11/a/thumb.jpg", b"x", "image/jpeg")
    store.delete_many(["photos/2026/11/a/display.jpg", "photos/2026/11/a/thumb.jpg"])
    assert not (tmp_path / "photos/2026/11/a").exists()
    assert (tmp_path / "photos/2026/11").is_dir()


# -- S3: settings --------------------------------------------------------------------------


def test_settings_from_storage_url() -> None:
    settings = S3Settings.from_url(
        "s3://photos-bucket?endpoint=http://10.0.0.5:9000&region=cn-north-1&addressing=path"
        "&public_endpoint=https://img.example.cn&connect_timeout=1.5&read_timeout=4&max_attempts=3"
    )
    assert settings == S3Settings(
        bucket="photos-bucket",
        endpoint="http://10.0.0.5:9000",
        public_endpoint="https://img.example.cn",
        region="cn-north-1",
        addressing="path",
        connect_timeout=1.5,
        read_timeout=4.0,
        max_attempts=3,
    )
    assert S3Settings.from_url("s3://b").endpoint is None  # AWS itself, region from the environment


@pytest.mark.parametrize(
    "url", ["s3://", "s3://b?endpointt=http://x", "s3://b?addressing=sideways", "file:///tmp/x", "s3://b?secret=x"]
)
def test_bad_storage_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match=r"STORAGE_URL|addressing"):
        S3Settings.from_url(url)


# -- S3: unreachable stores fail fast and clearly ------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unreachable_s3(**settings: object) -> S3Storage:
    values: dict[str, object] = {"endpoint": f"http://127.0.0.1:{_closed_port()}", "region": "us-east-1"}
    values.update(settings)
    return S3Storage(S3Settings(bucket="nowhere", addressing="path", **values), access_key="k", secret_key="s")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "call",
    [
        lambda s: s.put("photos/k.jpg", b"x", "image/jpeg"),
        lambda s: s.put_many([("photos/k.jpg", b"x", "image/jpeg"), ("photos/t.jpg", b"y", "image/jpeg")]),
        lambda s: s.get("photos/k.jpg"),
        lambda s: s.delete("photos/k.jpg"),
        lambda s: s.delete_many(["photos/k.jpg"]),
        lambda s: list(s.objects("photos/")),
        lambda s: s.check(),
    ],
    ids=["put", "put_many", "get", "delete", "delete_many", "objects", "check"],
)
def test_unreachable_endpoint_is_storage_unavailable(call: Callable[[S3Storage], object]) -> None:
    started = time.monotonic()
    with pytest.raises(StorageUnavailable) as raised:
        call(unreachable_s3())
    assert raised.value.status == 503
    assert time.monotonic() - started < 5


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never answers: a hung store."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(sock.getsockname()[1])
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        sock.close()


def test_a_hung_store_times_out_within_the_configured_bound(silent_server: int) -> None:
    store = unreachable_s3(endpoint=f"http://127.0.0.1:{silent_server}", read_timeout=0.5, max_attempts=2)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable):
        store.put("photos/k.jpg", b"x", "image/jpeg")
    # Two attempts of half a second and one back-off (≤ 2 s), not boto's default minute each.
    assert time.monotonic() - started < 5


# -- S3: the real service --------------------------------------------------------------------


@pytest.mark.s3
def test_objects_carry_their_content_type(s3_storage: S3Storage) -> None:
    s3_storage.put("photos/2026/11/a/original.heic", b"heic bytes", "image/heic")
    head = s3_storage._client.head_object(Bucket=s3_storage.bucket, Key="photos/2026/11/a/original.heic")
    assert head["ContentType"] == "image/heic"


@pytest.mark.s3
def test_presigned_url_works_with_plain_http(s3_storage: S3Storage) -> None:
    s3_storage.put("photos/2026/11/a/display.jpg", b"\xff\xd8 a jpeg", "image/jpeg")
    url = s3_storage.url("photos/2026/11/a/display.jpg", 900)
    response = requests.get(url, timeout=10)
    assert response.status_code == 200
    assert response.content == b"\xff\xd8 a jpeg"
    assert response.headers["Content-Type"] == "image/jpeg"
    # Caches keep it no longer than the signature lives.
    assert response.headers["Cache-Control"] == "private"
    assert "max-age" not in response.headers["Cache-Control"]
    lifetime = _http_date(response.headers["Expires"]) - _http_date(response.headers["Date"])
    assert timedelta(seconds=890) <= lifetime <= timedelta(seconds=900)


@pytest.mark.s3
def test_the_bucket_is_private(s3_storage: S3Storage) -> None:
    s3_storage.put("photos/2026/11/a/display.jpg", b"x", "image/jpeg")
    unsigned = s3_storage.url("photos/2026/11/a/display.jpg", 60).split("?")[0]
    assert requests.get(unsigned, timeout=10).status_code in (400, 403)  # Swift says 400, AWS and MinIO 403


def _with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.mark.s3
def test_tampered_urls_are_refused_by_the_store(s3_storage: S3Storage) -> None:
    s3_storage.put("photos/2026/11/a/display.jpg", b"x", "image/jpeg")
    s3_storage.put("photos/2026/11/a/original.jpg", b"y", "image/jpeg")
    url = s3_storage.url("photos/2026/11/a/display.jpg", 900)
    signature = parse_qs(urlsplit(url).query)["X-Amz-Signature"][0]
    flipped = ("0" if signature[0] != "0" else "1") + signature[1:]
    assert requests.get(url, timeout=10).status_code == 200
    for tampered in (
        _with_query(url, **{"X-Amz-Signature": flipped}),
        _with_query(url, **{"X-Amz-Expires": "604800"}),  # a longer life, same signature
        url.replace("/display.jpg", "/original.jpg"),  # another object, same signature
        _with_query(url, **{"response-cache-control": "public, max-age=31536000"}),
    ):
        assert requests.get(tampered, timeout=10).status_code == 403, tampered


@pytest.mark.s3
def test_expired_url_is_refused_by_the_store(s3_storage: S3Storage) -> None:
    s3_storage.put("photos/2026/11/a/display.jpg", b"x", "image/jpeg")
    url = s3_storage.url("photos/2026/11/a/display.jpg", 1)
    time.sleep(2.1)
    assert requests.get(url, timeout=10).status_code == 403


@pytest.mark.s3
def test_urls_are_signed_for_the_public_endpoint(make_s3_storage: MakeS3, s3_bucket: str, s3_endpoint_url: str) -> None:
    """Phones reach the store by another name than the app does: sign for that name, never rewrite it."""
    internal = urlsplit(s3_endpoint_url)
    public = f"{internal.scheme}://localhost:{internal.port}"
    store = make_s3_storage(s3_bucket, public_endpoint=public)
    store.put("photos/2026/11/a/display.jpg", b"x", "image/jpeg")
    url = store.url("photos/2026/11/a/display.jpg", 900)
    assert url.startswith(f"{public}/{s3_bucket}/photos/2026/11/a/display.jpg?")
    assert requests.get(url, timeout=10).status_code == 200
    # The same URL with its host rewritten to the internal name no longer matches its signature.
    rewritten = url.replace(public, f"{internal.scheme}://{internal.netloc}")
    assert requests.get(rewritten, timeout=10).status_code == 403


@pytest.mark.s3
def test_wrong_credentials_or_missing_bucket_fail_the_check(make_s3_storage: MakeS3, s3_bucket: str) -> None:
    with pytest.raises(StorageUnavailable):
        make_s3_storage(s3_bucket, secret="not-the-secret").check()
    with pytest.raises(StorageUnavailable):
        make_s3_storage(f"{s3_bucket}-missing").check()


def _http_date(value: str) -> datetime:
    from email.utils import parsedate_to_datetime

    return parsedate_to_datetime(value)
