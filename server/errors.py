"""Domain errors and their JSON form.

Operations raise ``DomainError`` subclasses; one handler turns them into
``{"error": {"code", "message", "details"}}`` with the right HTTP status. The
message is Chinese unless the client asks for English (``Accept-Language: en``);
``code`` is for programs and never changes with the language.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    status = 400
    code = "bad_request"
    message_zh = "请求有误"
    message_en = "Bad request"

    def __init__(
        self,
        message_zh: str | None = None,
        message_en: str | None = None,
        *,
        code: str | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message_en or self.message_en)
        self.message_zh = message_zh or self.message_zh
        self.message_en = message_en or self.message_en
        self.code = code or self.code
        self.details = details


class ValidationFailed(DomainError):
    status = 422
    code = "validation_failed"
    message_zh = "提交的内容有误，请检查后重试"
    message_en = "The submitted data is invalid"


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    message_zh = "请先登录"
    message_en = "Please log in"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    message_zh = "没有权限执行此操作"
    message_en = "You are not allowed to do this"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message_zh = "找不到该对象，或您无权查看"
    message_en = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    message_zh = "操作冲突，请刷新后重试"
    message_en = "Conflict; reload and try again"


class TooLarge(DomainError):
    status = 413
    code = "too_large"
    message_zh = "文件太大"
    message_en = "The file is too large"


class UnsupportedMedia(DomainError):
    status = 415
    code = "unsupported_media_type"
    message_zh = "不支持的文件类型，请上传 JPEG、PNG、WebP 或 HEIC 照片"
    message_en = "Unsupported file type; upload a JPEG, PNG, WebP or HEIC photo"


class ServiceUnavailable(DomainError):
    status = 503
    code = "service_unavailable"
    message_zh = "服务暂时不可用，请稍后重试"
    message_en = "Service temporarily unavailable; try again later"


# Werkzeug's own errors (routing, body size, method) in the same JSON shape.
_HTTP_MESSAGES: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "请求有误", "Bad request"),
    404: ("not_found", "找不到该地址", "Not found"),
    405: ("method_not_allowed", "不支持该请求方法", "Method not allowed"),
    413: ("too_large", "上传内容太大", "Request body too large"),
    429: ("rate_limited", "尝试次数过多，请稍后再试", "Too many attempts; try again later"),
    500: ("internal_error", "服务器出错了，请稍后重试", "Internal server error"),
}


def wants_english() -> bool:
    best = request.accept_languages.best_match(["zh", "en"], default="zh")
    return best == "en"


def error_response(status: int, code: str, message_zh: str, message_en: str, details: Any = None) -> Response:
    message = message_en if wants_english() else message_zh
    response = jsonify({"error": {"code": code, "message": message, "details": details}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def handle_domain_error(exc: DomainError) -> Response:
        return error_response(exc.status, exc.code, exc.message_zh, exc.message_en, exc.details)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code, zh, en = _HTTP_MESSAGES.get(status, ("http_error", exc.name, exc.name))
        response = error_response(status, code, zh, en)
        if status == 429 and exc.response is not None:  # keep Retry-After from Flask-Limiter
            for header in ("Retry-After", "X-RateLimit-Reset"):
                if header in exc.response.headers:
                    response.headers[header] = exc.response.headers[header]
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        code, zh, en = _HTTP_MESSAGES[500]
        return error_response(500, code, zh, en)


class RoleNotAllowed(Forbidden):
    """A role that may never use this endpoint (e.g. staff creating issues)."""

    code = "role_not_allowed"
    message_zh = "您的角色不能执行此操作"
    message_en = "Your role may not do this"
