"""Fixtures for the whole suite.

The schema is built once per run by the Alembic migrations (never create_all),
on SQLite by default or on PostgreSQL when ``DATABASE_URL`` is set. Reference
data (the demo city's org tree, categories and users) is loaded once and
committed; every test then runs inside a transaction that is rolled back, so
tests never see each other's writes.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSQLAlchemySession
from sqlalchemy import event

from server import create_app
from server.extensions import db, limiter
from server.photos.storage import Storage, get_storage

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT.parent / "shared" / "testdata" / "exif-samples"


def _database_url(tmp: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("xuncha")
    os.environ.setdefault("XUNCHA_INSTANCE_DIR", str(tmp / "instance"))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
            "STORAGE_URL": os.environ.get("STORAGE_URL") or f"file://{tmp / 'photos'}",
            "SECRET_KEY": "test-secret",
            "XUNCHA_DEMO": True,
        }
    )
    with app.app_context():
        from flask_migrate import downgrade, upgrade

        downgrade(revision="base")  # a reused PostgreSQL database starts empty too
        upgrade()
        from server.demo.seed import seed_reference_data

        seed_reference_data()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        from flask_migrate import downgrade

        downgrade(revision="base")
        db.engine.dispose()


class _ConnectionSession(FlaskSQLAlchemySession):
    """Flask-SQLAlchemy's session always picks the app's engine; use the test's connection."""

    def get_bind(self, *args: Any, **kwargs: Any) -> Any:
        return self.bind


@pytest.fixture(autouse=True)
def _rollback(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run each test in a transaction that is rolled back afterwards.

    Requests commit as usual; on this connection a commit only releases a
    SAVEPOINT, so the outer transaction still holds (and then drops) everything.
    Tests marked ``live`` run a real server on a database of their own instead.
    """
    if request.node.get_closest_marker("live"):
        yield
        # What a live test leaves behind (apps, engines, the sessions of server threads) is finalised
        # here, in its own teardown; left to the collector's timing, a psycopg connection to a dropped
        # database would be finalised, with a ResourceWarning, in the middle of some later test.
        gc.collect()
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"class_": _ConnectionSession, "bind": connection, "join_transaction_mode": "create_savepoint"}
        )
        limiter.reset()
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def _remove_new_photo_files(request: pytest.FixtureRequest) -> Iterator[None]:
    """The database rolls back after each test; the photo objects a test stored go too (any backend).

    Live tests run a server on a database of their own, but share an S3 bucket with the rest.
    """
    backend = _test_storage(request)
    if backend is None:
        yield
        return
    before = {obj.key for obj in backend.objects("photos/")}
    yield
    backend.delete_many({obj.key for obj in backend.objects("photos/")} - before)


def _test_storage(request: pytest.FixtureRequest) -> Storage | None:
    if not request.node.get_closest_marker("live"):
        with request.getfixturevalue("app").app_context():
            return get_storage()
    url = os.environ.get("STORAGE_URL", "")
    if url.startswith("s3://"):
        from server.photos.storage.s3 import S3Settings, S3Storage

        return S3Storage(S3Settings.from_url(url))
    return None  # a live server's local photos stay in the test's own temporary directory


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class ApiClient:
    """A test client logged in as one user, sending the CSRF header on unsafe requests."""

    def __init__(self, client: FlaskClient, csrf: str, user: dict[str, Any]) -> None:
        self.raw = client
        self.csrf = csrf
        self.user = user

    def _send(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = kwargs.pop("headers", {}) or {}
        if method not in ("get", "head"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return getattr(self.raw, method)(url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self._send("get", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self._send("post", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> Any:
        return self._send("patch", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self._send("delete", url, **kwargs)


@pytest.fixture
def login(app: Flask) -> Callable[[str], ApiClient]:
    """login("staff_jinlong") → an ApiClient for that demo user."""

    def _login(username: str, password: str = "demo1234") -> ApiClient:
        client = app.test_client()
        response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        return ApiClient(client, body["csrf_token"], body["user"])

    return _login


@pytest.fixture
def inspector(login: Callable[[str], ApiClient]) -> ApiClient:
    return login("inspector")


@pytest.fixture
def supervisor(login: Callable[[str], ApiClient]) -> ApiClient:
    return login("supervisor")


@pytest.fixture
def staff_jinlong(login: Callable[[str], ApiClient]) -> ApiClient:
    return login("staff_jinlong")


@pytest.fixture
def staff_jinyuan(login: Callable[[str], ApiClient]) -> ApiClient:
    return login("staff_jinyuan")


@pytest.fixture
def photo_bytes() -> Callable[[str], bytes]:
    """photo_bytes("jpg/orientation/landscape_1.jpg") → the bytes of a shared test photo."""

    def _read(relative: str) -> bytes:
        path = TESTDATA / relative
        if not path.exists():
            pytest.fail(f"missing shared test photo {path}")
        return path.read_bytes()

    return _read


@pytest.fixture
def small_jpeg() -> Callable[..., bytes]:
    """small_jpeg(color=(200, 30, 30)) → a small valid JPEG made in memory."""
    import io

    from PIL import Image

    def _make(color: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (640, 480)) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", size, color).save(buffer, "JPEG", quality=85)
        return buffer.getvalue()

    return _make


@pytest.fixture
def query_counter(app: Flask) -> Callable[[], Any]:
    """with query_counter() as count: ... ; count.n is the number of SQL statements run."""
    from contextlib import contextmanager

    @contextmanager
    def _count() -> Iterator[Any]:
        class Counter:
            n = 0

        def on_execute(*_args: Any) -> None:
            Counter.n += 1

        engine = db.engine
        event.listen(engine, "before_cursor_execute", on_execute)
        try:
            yield Counter
        finally:
            event.remove(engine, "before_cursor_execute", on_execute)

    return _count
