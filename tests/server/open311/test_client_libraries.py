"""Independent Open311 clients from PyPI against a live server.

- civicbot (its Open311Client): list services, file a request, read it back;
- georeport: read the same request back, in JSON and in XML (its xmltodict parsing).

The request's photo is a media_url on a local photo server that the deployment
allows (OPEN311_MEDIA_HOSTS=127.0.0.1).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from civicbot import Endpoint, HttpError, HttpTransport, Open311Client
from civicbot.http import RateLimiter
from georeport import GeoReport

from tests.live import live_server
from tests.server.open311.conftest import API_KEY, PhotoServer

pytestmark = [pytest.mark.live, pytest.mark.slow]


def test_an_open311_client_lists_files_and_reads_back(
    tmp_path: Path, photo_server: PhotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPEN311_API_KEYS", f"{API_KEY}:inspector")
    monkeypatch.setenv("OPEN311_MEDIA_HOSTS", "127.0.0.1")
    with live_server(tmp_path) as base:
        endpoint = Endpoint(id="xuncha", name="巡查", base_url=f"{base}/open311/v2", write=True)
        client = Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))

        services = {s["service_code"]: s for s in client.list_services()}
        assert services["illegal_shed"]["service_name"] == "违规搭棚"

        filed = client.create_request(
            "illegal_shed",
            dry_run=False,
            confirm="SEND",
            api_key=API_KEY,
            lat=26.86,
            lng=112.6,
            address_string="金龙小区7栋",
            description="违规搭棚3处",
            media_url=f"{photo_server.base}/shed.jpg",
        )
        request_id = filed.response[0]["service_request_id"]

        back = client.get_request(request_id)
        assert back is not None
        assert (back["status"], back["agency_responsible"], back["address"]) == ("open", "金龙社区", "金龙小区7栋")
        expected = datetime.fromisoformat(back["expected_datetime"])
        assert expected > datetime.fromisoformat(back["requested_datetime"])
        assert back["expected_datetime"].endswith("T23:59:59+08:00")  # 15 working days, end of day, local
        assert back["media_url"].startswith(base)

        with pytest.raises(HttpError) as refused:
            client.create_request("debris", dry_run=False, confirm="SEND", api_key="wrong", lat=26.86, lng=112.6)
        assert refused.value.status == 403

        for fmt in ("json", "xml"):
            reader = GeoReport(f"{base}/open311/v2", output_format=fmt)
            assert reader.get_service_request(request_id)["expected_datetime"] == back["expected_datetime"]
            listed = reader.get_service_requests(status="open")
            assert request_id in str(listed)
