"""Local accounts (design §6): argon2 password hashes, roles, lock after failed logins, never deleted.

The first start creates the administrator (`create_first_admin`, only while no account exists). Every other
change is made by an administrator through these services, which check `actor.require("admin")` themselves,
so hiding a button is never the only guard.

A login is a write (the failed-login counter, the lock, the last login time, the audit entry), so `authenticate`
returns a `LoginResult` instead of raising: the caller's transaction commits and a wrong password is counted.
Times are passed in (`now`) by tests; the program uses the clock.
"""
from __future__ import annotations

import functools

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.core import audit, settings_store
from models.core.actor import ROLE_ADMIN, ROLE_LABELS, Actor
from models.entities import User
from models.core.errors import NotFoundError, PermissionDenied, ValidationError
from models.services.password_policy import check_not_guessable

from models.core.password_limits import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH  # noqa: E402,F401 - part of this API
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-\u4e00-\u9fff]{2,32}$")
_hasher = PasswordHasher()  # argon2id with the library's recommended parameters
# A hash of a random password: verifying against it costs the same time as a real account, so the answer
# time does not tell whether a user name exists.


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Hashed on first use, not at import (0.35 s at start-up)."""
    return _hasher.hash("dummy-password-never-used-4f1c")


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    role_label: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    last_login_at: datetime | None
    version: int


@dataclass(frozen=True)
class LoginResult:
    """ok → actor is set; otherwise message says what is wrong and what to do."""

    ok: bool
    actor: Actor | None = None
    message: str = ""
    locked_until: datetime | None = None
    must_change_password: bool = False  # an administrator chose the password: the user must set their own now


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now()).replace(microsecond=0)


def _row(u: User) -> UserRow:
    return UserRow(
        id=u.id, username=u.username, display_name=u.display_name, role=u.role,
        role_label=ROLE_LABELS.get(u.role, u.role), active=u.active, failed_logins=u.failed_logins,
        locked_until=u.locked_until, last_login_at=u.last_login_at, version=u.version,
    )


def actor_for(user: User | UserRow) -> Actor:
    return Actor(username=user.username, role=user.role, display_name=user.display_name)


def _snap(u: User) -> dict:
    return {k: v for k, v in audit.snapshot(u).items() if k != "password_hash"}


# --- validation ---------------------------------------------------------------------------------------------

def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text)


def _clean_username(username: str) -> str:
    name = (username or "").strip()
    if not _USERNAME_RE.match(name):
        raise ValidationError(
            "用户名须为 2–32 个字符，只能用字母、数字、汉字和 _ . -（不能有空格或其他符号）。请重新输入。", "username"
        )
    return name.lower()


def _clean_display_name(display_name: str) -> str:
    name = (display_name or "").strip()
    if not name or len(name) > 40 or _has_control(name):
        raise ValidationError("姓名须为 1–40 个字符，不能含控制字符。请重新输入。", "display_name")
    return name


def _check_role(role: str) -> str:
    if role not in ROLE_LABELS:
        raise ValidationError("角色只能是管理员、经办人或查阅人。请重新选择。", "role")
    return role


def check_password_strength(password: str, username: str = "", display_name: str = "") -> None:
    """Raise ValidationError when the password is too weak; the message says what a good one looks like."""
    if password is None or len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位。请设置更长的密码。", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"密码不能超过 {MAX_PASSWORD_LENGTH} 位。请设置短一些的密码。", "password")
    if _has_control(password):
        raise ValidationError("密码不能含控制字符（如换行、制表符）。请重新输入。", "password")
    if not (any(c.isalpha() for c in password) and any(c.isdigit() for c in password)):
        raise ValidationError("密码须同时包含字母和数字。请重新设置。", "password")
    if username and password.lower() == username.lower():
        raise ValidationError("密码不能与用户名相同。请重新设置。", "password")
    check_not_guessable(password, username, display_name)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(hash_: str, password: str) -> bool:
    """Whether `password` matches a stored hash (no counter, no audit: for a read-only check)."""
    try:
        return _hasher.verify(hash_, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_verify = verify_password


# --- queries ------------------------------------------------------------------------------------------------

def has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) > 0


def _find(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == (username or "").strip().lower()))


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise NotFoundError(f"没有用户名为“{username}”的账号。请检查用户名。")
    return user


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    actor.require("admin")
    return [_row(u) for u in session.scalars(select(User).order_by(User.active.desc(), User.username))]


def get_user(session: Session, actor: Actor, username: str) -> UserRow:
    if actor.username != (username or "").strip().lower():
        actor.require("admin")
    return _row(_get(session, username))


def idle_minutes(session: Session) -> int:
    """Minutes without keyboard or mouse before the window locks; 0 turns the idle lock off."""
    return max(0, int(settings_store.get(session, "security.idle_minutes")))


def _lock_policy(session: Session) -> tuple[int, int]:
    return (
        max(1, int(settings_store.get(session, "security.max_failed_logins"))),
        max(1, int(settings_store.get(session, "security.lock_minutes"))),
    )


# --- writes -------------------------------------------------------------------------------------------------

def create_first_admin(
    session: Session, username: str, display_name: str, password: str, *, now: datetime | None = None,
    demo: bool = False,
) -> UserRow:
    """The first start: create the administrator. Refused as soon as any account exists. `demo` (the demo
    database only, whose account is printed on screen) skips the policy against guessable passwords."""
    if has_users(session):
        raise PermissionDenied("已经建立过账号，不能再用首次启动的方式建立管理员。请用管理员账号登录后在“设置—账号与权限”中添加。")
    name = _clean_username(username)
    user = User(
        username=name, display_name=_clean_display_name(display_name), role=ROLE_ADMIN, active=True,
        failed_logins=0,
    )
    if not demo:
        check_password_strength(password, name, user.display_name)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    audit.record(session, actor_for(user), "create", "user", user.id, after=_snap(user),
                 summary=f"首次启动，建立管理员账号 {name}")
    return _row(user)


def create_user(
    session: Session, actor: Actor, username: str, display_name: str, role: str, password: str
) -> UserRow:
    actor.require("admin")
    name = _clean_username(username)
    if _find(session, name) is not None:
        raise ValidationError(f"用户名“{name}”已被使用（账号停用后也保留）。请换一个用户名。", "username")
    user = User(username=name, display_name=_clean_display_name(display_name), role=_check_role(role),
                active=True, failed_logins=0, must_change_password=True)  # the administrator knows it
    check_password_strength(password, name, user.display_name)
    user.password_hash = hash_password(password)
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, after=_snap(user),
                 summary=f"新建账号 {name}（{ROLE_LABELS[user.role]}）")
    return _row(user)


def authenticate(session: Session, username: str, password: str, *, now: datetime | None = None) -> LoginResult:
    """Check a login. Counts failures, locks after `security.max_failed_logins` for `security.lock_minutes`."""
    now = _now(now)
    user = _find(session, username)
    generic = "用户名或密码不正确。请检查后重试（注意大小写和输入法）。"
    if user is None:
        _verify(_dummy_hash(), password or "")
        return LoginResult(False, message=generic)
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(
            False, locked_until=user.locked_until,
            message=f"账号“{user.username}”因多次输错密码已锁定，请于 {user.locked_until:%H:%M} 后再试，或请管理员解锁。",
        )
    if not _verify(user.password_hash, password or ""):
        max_failed, lock_minutes = _lock_policy(session)
        user.failed_logins += 1
        if user.failed_logins >= max_failed:
            user.locked_until = now + timedelta(minutes=lock_minutes)
            user.failed_logins = 0
            session.flush()
            audit.record(session, actor_for(user), "lock", "user", user.id,
                         summary=f"连续 {max_failed} 次密码错误，账号 {user.username} 锁定 {lock_minutes} 分钟")
            return LoginResult(
                False, locked_until=user.locked_until,
                message=f"密码连续输错 {max_failed} 次，账号已锁定 {lock_minutes} 分钟。请稍后再试，或请管理员解锁。",
            )
        session.flush()
        audit.record(session, actor_for(user), "login_failed", "user", user.id,
                     summary=f"账号 {user.username} 密码错误（第 {user.failed_logins} 次）")
        left = max_failed - user.failed_logins
        return LoginResult(False, message=f"{generic}再输错 {left} 次账号将被锁定。")
    if not user.active:
        return LoginResult(False, message=f"账号“{user.username}”已停用。如需使用，请联系管理员重新启用。")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.flush()
    actor = actor_for(user)
    audit.record(session, actor, "login", "user", user.id, summary=f"{user.username} 登录")
    return LoginResult(True, actor=actor, must_change_password=user.must_change_password)


def change_password(session: Session, actor: Actor, old_password: str, new_password: str) -> None:
    """A user changes their own password; the old one must be given."""
    user = _get(session, actor.username)
    if not _verify(user.password_hash, old_password or ""):
        raise ValidationError("原密码不正确。请重新输入原密码。", "old_password")
    check_password_strength(new_password, user.username, user.display_name)
    if _verify(user.password_hash, new_password):
        raise ValidationError("新密码不能与原密码相同。请设置一个新密码。", "password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    session.flush()
    audit.record(session, actor, "password", "user", user.id, summary=f"{user.username} 修改了自己的密码")


def reset_password(session: Session, actor: Actor, username: str, new_password: str) -> None:
    """An administrator sets a new password for someone who forgot theirs; also lifts a lock."""
    actor.require("admin")
    user = _get(session, username)
    check_password_strength(new_password, user.username, user.display_name)
    user.password_hash = hash_password(new_password)
    user.failed_logins = 0
    user.locked_until = None
    user.must_change_password = user.username != actor.username  # the administrator knows it; the user changes it
    session.flush()
    audit.record(session, actor, "password_reset", "user", user.id, summary=f"重设账号 {user.username} 的密码")


def unlock(session: Session, actor: Actor, username: str) -> None:
    actor.require("admin")
    user = _get(session, username)
    before = _snap(user)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    b, a = audit.diff(before, _snap(user))
    audit.record(session, actor, "unlock", "user", user.id, before=b, after=a, summary=f"解锁账号 {user.username}")


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User).where(User.role == ROLE_ADMIN, User.active.is_(True)))


def update_user(
    session: Session, actor: Actor, username: str, *, display_name: str | None = None, role: str | None = None
) -> UserRow:
    actor.require("admin")
    user = _get(session, username)
    before = _snap(user)
    if display_name is not None:
        user.display_name = _clean_display_name(display_name)
    if role is not None and _check_role(role) != user.role:
        if user.role == ROLE_ADMIN and user.active and _active_admins(session) <= 1:
            raise ValidationError("这是唯一在用的管理员账号，不能改为其他角色。请先把另一个账号设为管理员。", "role")
        user.role = role
    session.flush()
    b, a = audit.diff(before, _snap(user))
    if a:
        audit.record(session, actor, "update", "user", user.id, before=b, after=a, summary=f"修改账号 {user.username}")
    return _row(user)


def set_active(session: Session, actor: Actor, username: str, active: bool, reason: str = "") -> UserRow:
    """Deactivate (never delete) or re-enable an account. A reason is required to deactivate."""
    actor.require("admin")
    user = _get(session, username)
    if user.active == active:
        return _row(user)
    if not active:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError("停用账号须填写原因（如：调离、退休）。请填写后再停用。", "reason")
        if len(reason) > 200 or _has_control(reason):
            raise ValidationError("停用原因不能超过 200 字，也不能含控制字符。请修改。", "reason")
        if user.username == actor.username:
            raise ValidationError("不能停用自己正在使用的账号。请用另一个管理员账号操作。", "username")
        if user.role == ROLE_ADMIN and _active_admins(session) <= 1:
            raise ValidationError("这是唯一在用的管理员账号，不能停用。请先把另一个账号设为管理员。", "username")
    user.active = active
    session.flush()
    audit.record(
        session, actor, "deactivate" if not active else "reactivate", "user", user.id,
        before={"active": not active}, after={"active": active},
        summary=(f"停用账号 {user.username}：{reason}" if not active else f"重新启用账号 {user.username}"),
    )
    return _row(user)
