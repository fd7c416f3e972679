"""Open311 arguments: the GET filters and the form-encoded POST, as the spec names them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, validate

from server.open311.operations import NewRequest, RequestQuery
from server.reports.periods import local_zone


class W3CDateTime(fields.Field[datetime]):
    """A W3C/ISO 8601 datetime ("2026-03-02T09:00:00+08:00", "…Z", or a date); no zone = local."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("expected a W3C datetime, e.g. 2026-03-02T09:00:00+08:00") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=local_zone())


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class RequestsArgsSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # jurisdiction_id, page_size … are accepted and ignored

    service_request_id = fields.String(load_default=None)
    service_code = fields.String(load_default=None)
    start_date = W3CDateTime(load_default=None)
    end_date = W3CDateTime(load_default=None)
    status = fields.String(load_default=None)

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> RequestQuery:
        statuses = _split(data["status"])
        if any(s not in ("open", "closed") for s in statuses):
            raise ValidationError("status is open or closed", "status")
        return RequestQuery(
            ids=_split(data["service_request_id"]),
            service_codes=_split(data["service_code"]),
            start=data["start_date"],
            end=data["end_date"],
            statuses=statuses,
        )


class PostRequestSchema(Schema):
    """The spec's POST fields; personal ones (email, names, phone, device) are ignored on purpose."""

    class Meta:
        unknown = EXCLUDE

    api_key = fields.String(load_default="")
    service_code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    lat = fields.Float(load_default=None, validate=validate.Range(-90, 90))
    long = fields.Float(load_default=None, validate=validate.Range(-180, 180))
    address_string = fields.String(load_default="", validate=validate.Length(max=200))
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    media_url = fields.Url(load_default=None, schemes={"http", "https"})
    community = fields.String(data_key="attribute[community]", load_default=None)
    # Not in the spec: the client's own id for this request, so that a retried POST is one issue.
    client_request_id = fields.String(load_default=None, validate=validate.Length(max=100))

    @post_load
    def _make(self, data: dict[str, Any], **_: Any) -> NewRequest:
        if (data["lat"] is None) != (data["long"] is None):
            raise ValidationError("lat and long go together", "lat")
        return NewRequest(
            api_key=data["api_key"],
            service_code=data["service_code"],
            lat=data["lat"],
            lon=data["long"],
            address_string=data["address_string"],
            description=data["description"],
            media_url=data["media_url"],
            community_code=data["community"],
            client_request_id=data["client_request_id"],
        )
