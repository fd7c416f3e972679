"""Accounts and passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import func, select

from server.auth.models import Role, User
from server.db import utcnow
from server.errors import DomainError, ValidationFailed
from server.extensions import db
from server.orgs.models import OrgKind, OrgUnit

DEMO_PASSWORD = "demo1234"
MIN_PASSWORD_LENGTH = 8

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as much
# time as a wrong password and does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password")

# Which kinds of unit each role may belong to.
_ROLE_UNITS = {
    Role.INSPECTOR: {OrgKind.CITY, OrgKind.DISTRICT, OrgKind.STREET},
    Role.SUPERVISOR: {OrgKind.CITY, OrgKind.DISTRICT},
    Role.ADMIN: {OrgKind.CITY},
    Role.STREET_STAFF: {OrgKind.STREET},
    Role.COMMUNITY_STAFF: {OrgKind.COMMUNITY},
}


class LoginFailed(DomainError):
    status = 401
    code = "login_failed"
    message_zh = "用户名或密码错误"
    message_en = "Wrong username or password"


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    *, username: str, display_name: str, role: Role, org_unit: OrgUnit, password: str, phone: str | None = None
) -> User:
    if OrgKind(org_unit.kind) not in _ROLE_UNITS[role]:
        raise ValidationFailed(
            f"角色 {role} 不能属于「{org_unit.name}」这一级单位",
            f"A {role} cannot belong to a {org_unit.kind}",
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位", f"Passwords have at least {MIN_PASSWORD_LENGTH} characters"
        )
    if db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValidationFailed(f"用户名「{username}」已存在", f"The username '{username}' is taken")
    user = User(
        username=username,
        display_name=display_name,
        role=role,
        org_unit=org_unit,
        password_hash=hash_password(password),
        phone=phone,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User:
    """The active user with these credentials, or LoginFailed."""
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if not _verify(user.password_hash if user else _DUMMY_HASH, password) or user is None or not user.is_active:
        raise LoginFailed()
    if password == DEMO_PASSWORD and not current_app.config["XUNCHA_DEMO"]:
        raise LoginFailed(
            "演示密码只能在演示模式下使用，请联系管理员重设密码",
            "The demo password works only in demo mode; ask an admin to reset it",
            code="demo_password_refused",
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
