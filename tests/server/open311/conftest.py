"""A photo server on 127.0.0.1 for media_url, and the Open311 settings the tests use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

API_KEY = "k-inspector-001"


class PhotoServer:
    def __init__(self, photos: dict[str, bytes]) -> None:
        self.photos = photos
        self.requests: list[str] = []
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests.append(self.path)
                if self.path == "/moved.jpg":
                    self.send_response(302)
                    self.send_header("Location", "http://example.com/elsewhere.jpg")
                    self.end_headers()
                    return
                data = outer.photos.get(self.path)
                self.send_response(200 if data else 404)
                self.send_header("Content-Type", "image/jpeg")
                self.send_header("Content-Length", str(len(data or b"")))
                self.end_headers()
                self.wfile.write(data or b"")

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


@pytest.fixture
def photo_server(small_jpeg: Any) -> Iterator[PhotoServer]:
    server = PhotoServer({"/shed.jpg": small_jpeg((120, 60, 20)), "/heap.jpg": small_jpeg((20, 60, 120))})
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(timeout=5)


@pytest.fixture
def open311_config(app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "OPEN311_API_KEYS", f"{API_KEY}:inspector, k-staff:staff_jinlong")
    monkeypatch.setitem(app.config, "OPEN311_MEDIA_HOSTS", "127.0.0.1")
