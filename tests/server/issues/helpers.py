"""Building blocks for issue tests, all through the HTTP API."""

from __future__ import annotations

import io
import uuid
from typing import Any

from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

# Inside 金龙社区's demo boundary (金龙小区).
JINLONG_POINT = (26.8600, 112.6000)


def upload_photo(api: Any, data: bytes, kind: str = "before", **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {key: str(value) for key, value in fields.items()}
    values["kind"] = kind
    values["file"] = FileStorage(io.BytesIO(data), filename="photo.jpg", content_type="image/jpeg")
    # Encoded in memory: the test client spools big bodies to a temporary file it never closes.
    boundary, body = encode_multipart(values)
    response = api.post("/api/v1/photos", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()  # type: ignore[no-any-return]


def report(
    api: Any, photo: bytes, category: str = "illegal_shed", at: tuple[float, float] = JINLONG_POINT, **overrides: Any
) -> Any:
    photo_id = upload_photo(api, photo)["id"]
    body = {
        "client_id": str(uuid.uuid4()),
        "category": category,
        "lat": at[0],
        "lon": at[1],
        "accuracy_m": 8,
        "location_text": "金龙小区7栋",
        "description": "违规搭棚3处",
        "photo_ids": [photo_id],
    }
    body.update(overrides)
    return api.post("/api/v1/issues", json=body)


def act(api: Any, issue: dict[str, Any], action: str, **fields: Any) -> Any:
    body = {"action": action, "version": issue["version"], **fields}
    return api.post(f"/api/v1/issues/{issue['id']}/actions", json=body)
