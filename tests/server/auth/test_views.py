from __future__ import annotations

from typing import Any


def test_login_returns_user_and_csrf_token(client: Any) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["user"]["username"] == "inspector"
    assert body["user"]["role"] == "inspector"
    assert body["user"]["org_unit"]["name"] == "衡阳市"
    assert len(body["csrf_token"]) > 20
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_is_401_in_chinese(client: Any) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "inspector", "password": "wrong-password"})
    assert response.status_code == 401
    assert response.get_json()["error"] == {"code": "login_failed", "message": "用户名或密码错误", "details": None}


def test_unknown_user_looks_like_wrong_password(client: Any) -> None:
    response = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "demo1234"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "login_failed"


def test_login_validation(client: Any) -> None:
    assert client.post("/api/v1/auth/login", json={"username": "inspector"}).status_code == 422
    response = client.post("/api/v1/auth/login", data="username=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_failed_logins_are_limited_per_user(client: Any, app: Any) -> None:
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json={"username": "supervisor", "password": "nope"}).status_code == 401
    locked = client.post("/api/v1/auth/login", json={"username": "supervisor", "password": "demo1234"})
    assert locked.status_code == 429
    assert locked.get_json()["error"]["code"] == "rate_limited"
    assert locked.get_json()["error"]["message"] == "尝试次数过多，请稍后再试"
    assert "Retry-After" in locked.headers
    # Another user from the same address is not locked out by someone else's typos.
    assert client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"}).status_code == 200


def test_failed_logins_are_limited_per_address(client: Any, app: Any) -> None:
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "3 per 5 minutes"
    try:
        for name in ("a1", "a2", "a3"):
            assert client.post("/api/v1/auth/login", json={"username": name, "password": "x"}).status_code == 401
        response = client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"})
        assert response.status_code == 429
    finally:
        app.config["LOGIN_LIMIT_PER_ADDRESS"] = "30 per 5 minutes"


def test_successful_logins_do_not_count(client: Any) -> None:
    for _ in range(8):
        assert (
            client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"}).status_code == 200
        )


def test_me_and_logout(inspector: Any) -> None:
    me = inspector.get("/api/v1/me")
    assert me.status_code == 200
    assert me.get_json()["user"]["username"] == "inspector"
    assert me.get_json()["csrf_token"] == inspector.csrf
    assert inspector.post("/api/v1/auth/logout").status_code == 200
    assert inspector.get("/api/v1/me").status_code == 401


def test_unsafe_requests_need_the_csrf_token(inspector: Any) -> None:
    response = inspector.raw.post("/api/v1/issues", json={})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    wrong = inspector.raw.post("/api/v1/issues", json={}, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert inspector.post("/api/v1/issues", json={}).status_code == 422  # with the token: reaches validation


def test_demo_password_refused_outside_demo_mode(client: Any, app: Any) -> None:
    app.config["XUNCHA_DEMO"] = False
    try:
        response = client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"})
    finally:
        app.config["XUNCHA_DEMO"] = True
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "demo_password_refused"


def test_inactive_user_cannot_log_in_and_is_logged_out(inspector: Any, client: Any) -> None:
    from server.auth.models import User
    from server.extensions import db

    user = db.session.query(User).filter_by(username="inspector").one()
    user.is_active = False
    db.session.commit()  # the test's outer transaction still rolls it back afterwards
    assert inspector.get("/api/v1/me").status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": "inspector", "password": "demo1234"}).status_code == 401
