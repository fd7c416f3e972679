"""The logged-in user of a request, the session cookie and CSRF protection.

The session cookie (Flask's signed cookie, HttpOnly, SameSite=Lax) holds the
user id and a CSRF token. Every unsafe request under /api/ must echo the token
in ``X-CSRF-Token``; the login request is exempt because it has no session yet.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Flask, g, request, session

from server.auth.models import Role, User
from server.errors import DomainError, NotAuthenticated, RoleNotAllowed
from server.extensions import db

F = TypeVar("F", bound=Callable[..., Any])

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_EXEMPT_ENDPOINTS = {"auth.login"}
# What this app keeps on g for the length of one request.
_REQUEST_STATE = ("user", "work_calendar", "after_commit", "on_rollback")


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"
    message_zh = "页面已过期，请刷新后重试"
    message_en = "Missing or wrong CSRF token; reload and try again"


def start_session(user: User) -> str:
    """Log ``user`` in on a fresh session; return the new CSRF token."""
    session.clear()  # no session fixation: nothing survives from before the login
    session["uid"] = user.id
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True
    return cast(str, session["csrf"])


def end_session() -> None:
    session.clear()


def csrf_token() -> str | None:
    return session.get("csrf")


def current_user() -> User | None:
    if "user" not in g:
        uid = session.get("uid")
        user = db.session.get(User, uid) if uid is not None else None
        g.user = user if user is not None and user.is_active else None
    return cast(User | None, g.user)


def require_user() -> User:
    user = current_user()
    if user is None:
        raise NotAuthenticated()
    return user


def login_required(view: F) -> F:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        require_user()
        return view(*args, **kwargs)

    return cast(F, wrapper)


def roles_required(*roles: Role) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if require_user().role not in roles:
                raise RoleNotAllowed()
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


def register_session_handling(app: Flask) -> None:
    from datetime import timedelta

    app.permanent_session_lifetime = timedelta(days=30)  # field staff stay logged in on their phone

    @app.before_request
    def forget_request_state() -> None:
        # g outlives a request when an app context is reused (tests, CLI): never
        # let one request see the user, calendar or callbacks of the one before.
        for key in _REQUEST_STATE:
            g.pop(key, None)

    @app.before_request
    def check_csrf() -> None:
        if request.method in _SAFE_METHODS or not request.path.startswith("/api/"):
            return
        if request.endpoint in CSRF_EXEMPT_ENDPOINTS or "uid" not in session:
            return  # no session: the view answers 401 itself
        sent = request.headers.get("X-CSRF-Token", "")
        expected = session.get("csrf", "")
        if not expected or not hmac.compare_digest(sent, expected):
            raise CsrfFailed()
