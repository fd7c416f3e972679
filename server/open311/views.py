"""Open311 GeoReport v2 endpoints: ``…/<resource>.json`` or ``.xml``; errors in the spec's format.

These are not under /api/ (no session, no CSRF): reads are public, a POST is
authorised by its ``api_key``.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, url_for
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from server.db import utcnow
from server.errors import DomainError, NotFound, wants_english
from server.open311 import bp
from server.open311.formats import FORMATS, JSON, render, render_error
from server.open311.operations import (
    RequestQuery,
    file_request,
    find_requests,
    service_definition,
    service_notice,
    services,
)
from server.open311.schemas import PostRequestSchema, RequestsArgsSchema

_FMT = "<any(json, xml):fmt>"
SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01T00:00:00+08:00"  # when the list of endpoints last changed


@bp.get(f"/discovery.{_FMT}")
def discovery(fmt: str) -> Response:
    """Where and how this server speaks Open311."""
    url = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    endpoint = {
        "specification": SPECIFICATION,
        "url": url,
        "changeset": CHANGESET,
        "type": "production",
        "formats": ["application/json", "text/xml"],
    }
    payload = {
        "changeset": CHANGESET,
        "contact": current_app.config.get("OPEN311_CONTACT") or "",
        "key_service": "API keys are issued by the administrator (OPEN311_API_KEYS)",
        "endpoints": [endpoint],
    }
    return render("discovery", payload, fmt)


@bp.get(f"/services.{_FMT}")
def service_list(fmt: str) -> Response:
    """One service per active category (service_code = the category's code)."""
    return render("services", services(), fmt)


@bp.get(f"/services/<code>.{_FMT}")
def service_detail(code: str, fmt: str) -> Response:
    """A service's attributes: none, except 软件资料 categories, which name their community."""
    try:
        definition = service_definition(code)
    except DomainError:
        raise NotFound(f"未知的服务「{code}」", f"Unknown service_code '{code}'") from None
    return render("service_definition", definition, fmt)


@bp.get(f"/requests.{_FMT}")
def request_list(fmt: str) -> Response:
    """Service requests (public): filters service_request_id, service_code, start_date, end_date, status."""
    query = _load(RequestsArgsSchema(), request.args.to_dict())
    return render("service_requests", find_requests(query, utcnow()), fmt)


@bp.post(f"/requests.{_FMT}")
def request_create(fmt: str) -> Response:
    """File a request (form-encoded, with api_key); it becomes an issue like any other."""
    issue, created = file_request(_load(PostRequestSchema(), request.form.to_dict()))
    payload = [{"service_request_id": issue.public_id, "service_notice": service_notice(issue), "account_id": None}]
    return render("service_requests", payload, fmt, 201 if created else 200)


@bp.get(f"/requests/<request_id>.{_FMT}")
def request_detail(request_id: str, fmt: str) -> Response:
    """One request, as a list of one (the spec's shape)."""
    found = find_requests(RequestQuery([request_id], [], None, None, []), utcnow())
    if not found:
        raise NotFound(f"找不到服务请求「{request_id}」", f"No service request '{request_id}'")
    return render("service_requests", found, fmt)


@bp.route("/<path:rest>", methods=["GET", "POST"])
def unknown(rest: str) -> Response:
    raise NotFound("没有这个 Open311 接口", "No such Open311 resource")


# ------------------------------------------------------------------ errors, in the spec's format


def _load(schema: Any, data: dict[str, Any]) -> Any:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise BadRequest(details=exc.messages) from exc


class BadRequest(DomainError):
    status = 400
    code = "bad_request"


def _fmt() -> str:
    fmt = (request.view_args or {}).get("fmt") or request.path.rsplit(".", 1)[-1]
    return fmt if fmt in FORMATS else JSON


@bp.errorhandler(DomainError)
def domain_error(exc: DomainError) -> Response:
    # The spec's codes are HTTP statuses; a refused value is a 400 there, not our 422.
    status = 400 if exc.status == 422 else exc.status
    message = exc.message_en if wants_english() else exc.message_zh
    if exc.details and isinstance(exc.details, dict) and exc.status in (400, 422):
        message = f"{message}：{_details(exc.details)}"
    return render_error(status, message, _fmt())


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Response:
    return render_error(exc.code or 500, exc.description or exc.name, _fmt())


def _details(details: dict[str, Any]) -> str:
    return "; ".join(f"{field}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for field, v in details.items())
