"""Helpers shared by every package's marshmallow schemas."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from server.errors import ValidationFailed


def load_json(schema: Schema) -> Any:
    """Validate the JSON body with ``schema``; 422 with per-field messages when invalid."""
    payload = request.get_json(silent=True)
    if payload is None:
        raise ValidationFailed("请求体必须是 JSON", "The request body must be JSON", code="invalid_json")
    return load(schema, payload)


def load_args(schema: Schema) -> Any:
    """Validate query-string arguments with ``schema``."""
    return load(schema, request.args.to_dict())


def load(schema: Schema, data: Any) -> Any:
    try:
        return schema.load(data)
    except ValidationError as exc:
        raise ValidationFailed(details=exc.messages) from exc
