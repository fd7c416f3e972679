"""Login, logout and who am I."""

from __future__ import annotations

from flask import Response, current_app, jsonify, request

from server.auth import bp
from server.auth.operations import authenticate
from server.auth.schemas import LoginSchema, SessionSchema
from server.auth.session import csrf_token, end_session, require_user, start_session
from server.extensions import limiter
from server.schemas import load_json


def _login_username() -> str:
    body = request.get_json(silent=True)
    name = body.get("username") if isinstance(body, dict) else None
    return f"login-user:{str(name or '').strip().lower()[:64]}"


def _failed(response: Response) -> bool:
    return response.status_code == 401


@bp.post("/auth/login")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_USER"], key_func=_login_username, deduct_when=_failed)
def login() -> Response:
    """Log in with username and password.
    ---
    post:
      summary: Log in (sets the session cookie)
      requestBody:
        content:
          application/json:
            schema: LoginSchema
      responses:
        200:
          content:
            application/json:
              schema: SessionSchema
        401:
          description: wrong username or password
        429:
          description: too many failed attempts for this user or address
    """
    data = load_json(LoginSchema())
    user = authenticate(data["username"], data["password"])
    token = start_session(user)
    return jsonify(SessionSchema().dump({"user": user, "csrf_token": token}))


@bp.post("/auth/logout")
def logout() -> Response:
    """Log out.
    ---
    post:
      summary: Log out (clears the session)
      responses:
        200:
          description: logged out
    """
    end_session()
    return jsonify({"status": "ok"})


@bp.get("/me")
def me() -> Response:
    """The logged-in user.
    ---
    get:
      summary: The logged-in user and the CSRF token
      responses:
        200:
          content:
            application/json:
              schema: SessionSchema
        401:
          description: not logged in
    """
    user = require_user()
    return jsonify(SessionSchema().dump({"user": user, "csrf_token": csrf_token()}))
