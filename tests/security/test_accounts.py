"""Accounts and roles, enforced in the services (no GUI): first administrator, hashes, lock, deactivation."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from models.services import accounts
from models.core import settings_store
from models.entities import AuditEvent, User
from models.core.errors import NotFoundError, PermissionDenied, ValidationError

T0 = datetime(2026, 3, 2, 9, 0, 0)


def _first_admin(db):
    with db.session() as s:
        accounts.create_first_admin(s, "Admin", "王管理", "tiger4lamp", now=T0)
    with db.session() as s:
        return accounts.authenticate(s, "admin", "tiger4lamp", now=T0).actor


def test_first_start_creates_the_administrator_once_with_an_argon2_hash(db):
    with db.session() as s:
        assert not accounts.has_users(s)
        row = accounts.create_first_admin(s, "Admin", "王管理", "tiger4lamp", now=T0)
    assert row.username == "admin" and row.role == "admin" and row.role_label == "管理员"
    with db.session() as s:
        user = s.scalar(select(User))
        assert user.password_hash.startswith("$argon2id$") and "tiger4lamp" not in user.password_hash
        events = s.scalars(select(AuditEvent)).all()
        assert [e.action for e in events] == ["create"] and "password_hash" not in (events[0].after or {})
    with pytest.raises(PermissionDenied, match="已经建立过账号"):
        with db.session() as s:
            accounts.create_first_admin(s, "other", "李四", "tiger4lamp")
    with db.session() as s:
        assert s.scalar(select(User.username).where(User.username == "other")) is None


@pytest.mark.parametrize(
    "username,password,field",
    [("a", "tiger4lamp", "username"), ("bad name", "tiger4lamp", "username"), ("x'; drop table app_user;--", "tiger4lamp", "username"),
     ("zhang", "short1", "password"), ("zhang", "onlyletters", "password"), ("zhang", "12345678", "password"),
     ("zhang", "abc\n12345", "password"), ("zhang1234", "ZHANG1234", "password")],
)
def test_bad_usernames_and_weak_passwords_are_refused(db, username, password, field):
    with pytest.raises(ValidationError) as err:
        with db.session() as s:
            accounts.create_first_admin(s, username, "张三", password)
    assert err.value.field == field and err.value.message.endswith("。")
    with db.session() as s:
        assert not accounts.has_users(s)


def test_login_right_and_wrong_and_unknown_user_give_the_same_message(db):
    _first_admin(db)
    with db.session() as s:
        good = accounts.authenticate(s, "ADMIN", "tiger4lamp", now=T0)
        assert good.ok and good.actor.role == "admin" and good.actor.display_name == "王管理"
    with db.session() as s:
        wrong = accounts.authenticate(s, "admin", "Tiger4lamp", now=T0)
        unknown = accounts.authenticate(s, "nobody", "tiger4lamp", now=T0)
    assert not wrong.ok and not unknown.ok
    assert wrong.message.startswith("用户名或密码不正确") and unknown.message.startswith("用户名或密码不正确")
    with db.session() as s:
        assert s.scalar(select(User.failed_logins)) == 1
        assert s.scalar(select(User.last_login_at)) == T0


def test_lock_after_max_failed_logins_then_unlock_after_lock_minutes(db):
    admin = _first_admin(db)
    with db.session() as s:
        settings_store.put(s, admin, "security.max_failed_logins", 3)
        settings_store.put(s, admin, "security.lock_minutes", 20)
    messages = []
    for i in range(3):
        with db.session() as s:
            messages.append(accounts.authenticate(s, "admin", "wrong999", now=T0 + timedelta(seconds=i)).message)
    assert "再输错 2 次" in messages[0] and "再输错 1 次" in messages[1]
    assert "锁定 20 分钟" in messages[2]
    # Locked: even the right password is refused, and the message says until when.
    with db.session() as s:
        res = accounts.authenticate(s, "admin", "tiger4lamp", now=T0 + timedelta(minutes=10))
    assert not res.ok and "09:20" in res.message and res.locked_until == T0 + timedelta(minutes=20, seconds=2)
    with db.session() as s:
        assert accounts.authenticate(s, "admin", "tiger4lamp", now=T0 + timedelta(minutes=21)).ok
    with db.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions.count("lock") == 1 and actions.count("login_failed") == 2 and actions[-1] == "login"


def test_admin_unlocks_and_resets_a_forgotten_password(db):
    admin = _first_admin(db)
    with db.session() as s:
        accounts.create_user(s, admin, "li", "李经办", "officer", "first123")
    for _ in range(5):
        with db.session() as s:
            accounts.authenticate(s, "li", "nope1234", now=T0)
    with db.session() as s:
        assert accounts.get_user(s, admin, "li").locked_until is not None
        accounts.unlock(s, admin, "li")
    with db.session() as s:
        assert accounts.authenticate(s, "li", "first123", now=T0).ok
        accounts.reset_password(s, admin, "li", "second123")
    with db.session() as s:
        assert not accounts.authenticate(s, "li", "first123", now=T0).ok
        assert accounts.authenticate(s, "li", "second123", now=T0).ok


def test_user_changes_own_password_only_with_the_old_one(db):
    admin = _first_admin(db)
    with pytest.raises(ValidationError, match="原密码不正确"):
        with db.session() as s:
            accounts.change_password(s, admin, "wrong123", "newpass123")
    with pytest.raises(ValidationError, match="不能与原密码相同"):
        with db.session() as s:
            accounts.change_password(s, admin, "tiger4lamp", "tiger4lamp")
    with db.session() as s:
        accounts.change_password(s, admin, "tiger4lamp", "newpass123")
    with db.session() as s:
        assert accounts.authenticate(s, "admin", "newpass123").ok


def test_only_admins_manage_accounts(db, officer, viewer):
    admin = _first_admin(db)
    for actor in (officer, viewer):
        with pytest.raises(PermissionDenied, match="系统管理"):
            with db.session() as s:
                accounts.create_user(s, actor, "wang", "王五", "admin", "tiger4lamp")
        with pytest.raises(PermissionDenied):
            with db.session() as s:
                accounts.list_users(s, actor)
        with pytest.raises(PermissionDenied):
            with db.session() as s:
                accounts.reset_password(s, actor, "admin", "hacked123")
        with pytest.raises(PermissionDenied):
            with db.session() as s:
                accounts.update_user(s, actor, "admin", role="viewer")
    with db.session() as s:
        assert [u.username for u in accounts.list_users(s, admin)] == ["admin"]
        assert accounts.authenticate(s, "admin", "tiger4lamp").ok


def test_deactivate_never_deletes_and_the_last_admin_stays(db):
    admin = _first_admin(db)
    with db.session() as s:
        accounts.create_user(s, admin, "cyr", "查阅员", "viewer", "view1234")
    with pytest.raises(ValidationError, match="原因"):
        with db.session() as s:
            accounts.set_active(s, admin, "cyr", False, "")
    with db.session() as s:
        accounts.set_active(s, admin, "cyr", False, "调离")
    with db.session() as s:
        res = accounts.authenticate(s, "cyr", "view1234")
        assert not res.ok and "已停用" in res.message
        assert [(u.username, u.active) for u in accounts.list_users(s, admin)] == [("admin", True), ("cyr", False)]
    with pytest.raises(ValidationError, match="已被使用"):
        with db.session() as s:
            accounts.create_user(s, admin, "CYR", "另一人", "viewer", "view1234")
    with pytest.raises(ValidationError, match="唯一在用的管理员"):
        with db.session() as s:
            accounts.update_user(s, admin, "admin", role="officer")
    with pytest.raises(ValidationError, match="自己"):
        with db.session() as s:
            accounts.set_active(s, admin, "admin", False, "测试")
    with db.session() as s:
        accounts.set_active(s, admin, "cyr", True)
        accounts.update_user(s, admin, "cyr", role="officer")
    with db.session() as s:
        res = accounts.authenticate(s, "cyr", "view1234")
        assert res.ok and res.actor.role == "officer" and res.actor.can("write")
    with pytest.raises(NotFoundError):
        with db.session() as s:
            accounts.unlock(s, admin, "ghost")


def test_idle_minutes_setting(db):
    admin = _first_admin(db)
    with db.session() as s:
        assert accounts.idle_minutes(s) == 10
        settings_store.put(s, admin, "security.idle_minutes", 0)
    with db.session() as s:
        assert accounts.idle_minutes(s) == 0


def test_a_password_an_administrator_chose_must_be_changed_by_its_user(db):
    admin = _first_admin(db)
    with db.session() as s:
        assert not accounts.authenticate(s, "admin", "tiger4lamp", now=T0).must_change_password  # chose it himself
        accounts.create_user(s, admin, "li", "李经办", "officer", "first123")
    with db.session() as s:
        first = accounts.authenticate(s, "li", "first123", now=T0)
        assert first.ok and first.must_change_password
        accounts.change_password(s, first.actor, "first123", "mine12345")
    with db.session() as s:
        assert not accounts.authenticate(s, "li", "mine12345", now=T0).must_change_password
        accounts.reset_password(s, admin, "li", "reset1234")  # forgotten: the administrator sets one …
    with db.session() as s:
        again = accounts.authenticate(s, "li", "reset1234", now=T0)
        assert again.ok and again.must_change_password  # … which li must replace at the next login
        accounts.reset_password(s, admin, "admin", "harbor5new")  # an administrator resetting his own: no need
    with db.session() as s:
        assert not accounts.authenticate(s, "admin", "harbor5new", now=T0).must_change_password
