"""Open311 GeoReport v2 through the test client: formats, filters, errors, filing a request."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from server.extensions import db
from server.issues.models import Issue
from tests.server.issues.helpers import act, report
from tests.server.open311.conftest import API_KEY, PhotoServer

BASE = "/open311/v2"
JINLONG = {"lat": "26.86", "long": "112.6"}


@pytest.fixture
def shed(inspector: Any, small_jpeg: Any) -> dict[str, Any]:
    response = report(inspector, small_jpeg(), location_text="金龙小区7栋", description="违规搭棚3处")
    assert response.status_code == 201
    return response.get_json()  # type: ignore[no-any-return]


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.data
    body = response.get_json()
    assert isinstance(body, list)
    assert body[0]["code"] == status
    return str(body[0]["description"])


# ------------------------------------------------------------------ discovery and services


def test_discovery(client: Any) -> None:
    body = client.get(f"{BASE}/discovery.json").get_json()
    endpoint = body["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    root = ET.fromstring(client.get(f"{BASE}/discovery.xml").data)
    assert root.tag == "discovery"
    assert [f.text for f in root.iter("format")] == ["application/json", "text/xml"]


def test_services_one_per_active_category(client: Any) -> None:
    services = client.get(f"{BASE}/services.json").get_json()
    by_code = {s["service_code"]: s for s in services}
    assert len(by_code) == 17
    assert by_code["illegal_shed"] | {"description": "", "keywords": ""} == {
        "service_code": "illegal_shed",
        "service_name": "违规搭棚",
        "description": "",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": "违章搭建",
    }
    assert by_code["paperwork"]["metadata"] is True  # 软件资料 names its community
    root = ET.fromstring(client.get(f"{BASE}/services.xml").data)
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == set(by_code)
    assert root.find("service/metadata").text in ("true", "false")  # type: ignore[union-attr]


def test_service_definitions(client: Any) -> None:
    assert client.get(f"{BASE}/services/debris.json").get_json() == {"service_code": "debris", "attributes": []}
    paperwork = client.get(f"{BASE}/services/paperwork.json").get_json()
    attribute = paperwork["attributes"][0]
    assert (attribute["code"], attribute["datatype"], attribute["required"]) == ("community", "singlevaluelist", True)
    assert {"key": "jinlong", "name": "金龙社区"} in attribute["values"]
    root = ET.fromstring(client.get(f"{BASE}/services/paperwork.xml").data)
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    assert "nope" in _error(client.get(f"{BASE}/services/nope.json"), 404)


# ------------------------------------------------------------------ reading requests (public)


def test_requests_are_public_and_say_only_public_things(client: Any, shed: dict[str, Any]) -> None:
    found = client.get(f"{BASE}/requests.json").get_json()
    assert len(found) == 1
    item = found[0]
    assert item["service_request_id"] == shed["id"]
    assert (item["status"], item["service_code"], item["service_name"]) == ("open", "illegal_shed", "违规搭棚")
    assert (item["agency_responsible"], item["address"], item["description"]) == (
        "金龙社区",
        "金龙小区7栋",
        "违规搭棚3处",
    )
    assert item["expected_datetime"].endswith("+08:00")
    assert item["expected_datetime"][:16] == _local_minute(shed["deadline_at"])
    assert (item["lat"], item["long"]) == (26.86, 112.6)
    assert item["status_notes"] is None
    text = str(found)
    assert "王巡查" not in text
    assert "inspector" not in text
    media = urlsplit(item["media_url"])
    assert media.scheme == "http"
    assert client.get(f"{media.path}?{media.query}").mimetype == "image/jpeg"  # a working signed link


def _local_minute(iso: str) -> str:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%dT%H:%M")


def test_status_notes_and_closed(client: Any, shed: dict[str, Any], inspector: Any) -> None:
    act(inspector, shed, "cancel", note="经核实为临时搭设，已自行拆除")
    item = client.get(f"{BASE}/requests/{shed['id']}.json").get_json()[0]
    assert (item["status"], item["status_notes"]) == ("closed", "经核实为临时搭设，已自行拆除")


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("status=open", 1),
        ("status=closed", 0),
        ("status=open,closed", 1),
        ("service_code=illegal_shed", 1),
        ("service_code=debris,illegal_shed", 1),
        ("service_code=debris", 0),
        ("start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z", 0),
        ("jurisdiction_id=hengyang", 1),
    ],
)
def test_request_filters(client: Any, shed: dict[str, Any], query: str, count: int) -> None:
    assert len(client.get(f"{BASE}/requests.json?{query}").get_json()) == count


def test_request_by_id_overrides_other_filters(client: Any, shed: dict[str, Any]) -> None:
    found = client.get(f"{BASE}/requests.json?service_request_id={shed['id']}&status=closed").get_json()
    assert [r["service_request_id"] for r in found] == [shed["id"]]


def test_requests_xml(client: Any, shed: dict[str, Any]) -> None:
    response = client.get(f"{BASE}/requests/{shed['id']}.xml")
    assert response.mimetype == "text/xml"
    root = ET.fromstring(response.data)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert request.findtext("service_request_id") == shed["id"]
    assert request.findtext("agency_responsible") == "金龙社区"
    assert request.find("zipcode") is not None  # empty elements are still there


def test_read_errors_in_open311_format(client: Any, shed: dict[str, Any]) -> None:
    assert "status" in _error(client.get(f"{BASE}/requests.json?status=pending"), 400)
    assert "90" in _error(client.get(f"{BASE}/requests.json?start_date=2026-01-01&end_date=2026-06-01"), 400)
    _error(client.get(f"{BASE}/requests.json?start_date=yesterday"), 400)
    _error(client.get(f"{BASE}/requests/00000000-0000-0000-0000-000000000000.json"), 404)
    _error(client.get(f"{BASE}/nothing-here.json"), 404)
    xml = ET.fromstring(client.get(f"{BASE}/requests/nope.xml").data)
    assert (xml.tag, xml.findtext("error/code")) == ("errors", "404")


# ------------------------------------------------------------------ filing requests


def _post(client: Any, fmt: str = "json", **fields: str) -> Any:
    return client.post(f"{BASE}/requests.{fmt}", data=fields)


@pytest.mark.usefixtures("open311_config")
def test_post_fetches_media_from_an_allowed_host(client: Any, photo_server: PhotoServer) -> None:
    response = _post(
        client,
        api_key=API_KEY,
        service_code="illegal_shed",
        address_string="棕榈园三期南门早餐店",
        description="早餐店私自搭棚",
        media_url=f"{photo_server.base}/shed.jpg",
        email="citizen@example.com",
        phone="13800000000",
        first_name="张",
        **JINLONG,
    )
    assert response.status_code == 201, response.data
    created = response.get_json()[0]
    assert created["service_notice"].startswith("已受理，已派发至金龙社区，整改时限 ")
    assert photo_server.requests == ["/shed.jpg"]
    issue = db.session.scalars(db.select(Issue).where(Issue.public_id == created["service_request_id"])).one()
    assert (issue.status, issue.community.name, issue.reporter.username) == ("assigned", "金龙社区", "inspector")
    assert "13800000000" not in issue.description  # personal data is not kept
    item = client.get(f"{BASE}/requests/{issue.public_id}.json").get_json()[0]
    assert item["media_url"]
    assert item["expected_datetime"] is not None


@pytest.mark.usefixtures("open311_config")
def test_a_retried_post_is_one_issue(client: Any, photo_server: PhotoServer) -> None:
    fields = {"api_key": API_KEY, "service_code": "debris", "media_url": f"{photo_server.base}/heap.jpg"}
    first = _post(client, client_request_id="phone-42", **fields, **JINLONG)
    again = _post(client, client_request_id="phone-42", **fields, **JINLONG)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()[0]["service_request_id"] == again.get_json()[0]["service_request_id"]


@pytest.mark.usefixtures("open311_config")
def test_media_from_other_hosts_is_never_fetched(client: Any, photo_server: PhotoServer) -> None:
    # A site category needs a photo; a URL elsewhere is not fetched, so the request is refused …
    refused = _post(client, api_key=API_KEY, service_code="illegal_shed", media_url="http://10.0.0.1/x.jpg", **JINLONG)
    assert "media_url" in _error(refused, 400)
    # … and a redirect from an allowed host to another one is not followed.
    moved = _post(client, api_key=API_KEY, service_code="debris", media_url=f"{photo_server.base}/moved.jpg", **JINLONG)
    _error(moved, 400)
    assert photo_server.requests == ["/moved.jpg"]
    # A paperwork finding needs no photo: the URL is kept in the description.
    kept = _post(
        client,
        api_key=API_KEY,
        service_code="paperwork",
        description="签到表填写不规范",
        media_url="https://example.com/scan.jpg",
        **{"attribute[community]": "jinlong"},
    )
    assert kept.status_code == 201, kept.data
    issue = db.session.scalars(
        db.select(Issue).where(Issue.public_id == kept.get_json()[0]["service_request_id"])
    ).one()
    assert issue.description == "签到表填写不规范\n（附件：https://example.com/scan.jpg）"
    assert issue.community.code == "jinlong"


@pytest.mark.usefixtures("open311_config")
@pytest.mark.parametrize(
    ("fields", "status", "says"),
    [
        ({"service_code": "debris"}, 403, "api_key"),
        ({"api_key": "wrong", "service_code": "debris"}, 403, "api_key"),
        ({"api_key": "k-staff", "service_code": "paperwork", "attribute[community]": "jinlong"}, 403, ""),
        ({"api_key": API_KEY, "service_code": "nope", **JINLONG}, 400, "nope"),
        ({"api_key": API_KEY, "service_code": "debris", **JINLONG}, 400, "照片"),
        ({"api_key": API_KEY, "service_code": "paperwork"}, 400, "社区"),
        ({"api_key": API_KEY, "service_code": "debris", "lat": "26.86"}, 400, "lat"),
    ],
)
def test_post_errors(client: Any, fields: dict[str, str], status: int, says: str) -> None:
    assert says in _error(_post(client, **fields), status)
    assert db.session.scalar(db.select(db.func.count()).select_from(Issue)) == 0


@pytest.mark.usefixtures("open311_config")
def test_post_answers_in_xml(client: Any) -> None:
    response = _post(client, "xml", api_key=API_KEY, service_code="paperwork", **{"attribute[community]": "jinyuan"})
    assert response.status_code == 201
    root = ET.fromstring(response.data)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_notice", "").startswith("已受理，已派发至金源社区")
