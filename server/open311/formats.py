"""GeoReport v2 wire formats: JSON, and XML with the spec's element names; its error lists.

JSON  [{"service_request_id": …}, …]
XML   <service_requests><request><service_request_id>…</service_request_id>…</request></service_requests>
error [{"code": 400, "description": "…"}]
      <errors><error><code>400</code><description>…</description></error></errors>
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from flask import Response

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)

# The element name of one item of each list, per the spec's XML examples.
_ITEM = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def render(root: str, payload: Any, fmt: str, status: int = 200) -> Response:
    """``payload`` (a list of items, or one object) as JSON, or as XML under ``<root>``."""
    if fmt == XML:
        body = ET.tostring(_element(root, payload), encoding="unicode", xml_declaration=False)
        text = '<?xml version="1.0" encoding="utf-8"?>\n' + body
        return Response(text, status=status, mimetype="text/xml")
    return Response(json.dumps(payload, ensure_ascii=False), status=status, mimetype="application/json")


def render_error(status: int, description: str, fmt: str) -> Response:
    return render("errors", [{"code": status, "description": description}], fmt, status)


def _element(name: str, value: Any) -> ET.Element:
    element = ET.Element(name)
    if isinstance(value, dict):
        for key, child in value.items():
            element.append(_element(key, child))
    elif isinstance(value, list):
        item = _ITEM.get(name, "item")
        for child in value:
            element.append(_element(item, child))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element
