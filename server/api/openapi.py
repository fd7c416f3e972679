"""The OpenAPI document, built from the views' docstrings and the marshmallow schemas."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec_webframeworks.flask import FlaskPlugin
from flask import current_app


def build_spec() -> dict[str, Any]:
    spec = APISpec(
        title="Xuncha 巡查 API",
        version="1",
        openapi_version="3.0.3",
        plugins=[FlaskPlugin(), MarshmallowPlugin()],
        info={"description": "Field inspection for civilized-city campaigns (创城)."},
    )
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    spec.components.security_scheme("csrf", {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"})
    for name, view in current_app.view_functions.items():
        rule = next(current_app.url_map.iter_rules(name), None)
        if rule is None or not rule.rule.startswith("/api/v1/") or not (view.__doc__ or "").count("---"):
            continue
        spec.path(view=view, app=current_app)
    return spec.to_dict()
