"""The password policy: common weak passwords (shipped as data) and the user's own login or name are refused
wherever a password is set; the demo account is the one waiver."""
from __future__ import annotations

import pytest

from models.core.actor import Actor
from models.core.errors import ValidationError
from models.services import accounts
from models.services.password_policy import WEAK_LIST, check_not_guessable, weak_passwords

ADMIN = Actor("boss", "admin")


@pytest.mark.parametrize("password", ["password123", "PASSWORD123", "1qaz2wsx", "woaini1314", "Admin123", "abc12345!",
                                      "  qwerty123", "zuzhibu123"])
def test_common_passwords_are_refused(password):
    with pytest.raises(ValidationError, match="常见弱密码"):
        check_not_guessable(password, "zhangsan", "张三")


@pytest.mark.parametrize("password,words", [("zhangsan2026", "用户名"), ("My-ZhangSan-9", "用户名"),
                                             ("张三的密码99", "姓名"), ("9x张三x9", "姓名")])
def test_the_login_and_the_name_are_refused_inside_a_password(password, words):
    with pytest.raises(ValidationError, match=words):
        check_not_guessable(password, "zhangsan", "张三")


def test_good_passwords_and_short_logins_pass():
    check_not_guessable("river7-lantern", "zhangsan", "张三")
    check_not_guessable("li-mountain-42", "li", "李")  # a login of two letters is no guess


def test_the_list_is_data_and_every_entry_would_otherwise_pass_the_length_rule():
    assert WEAK_LIST.is_file() and WEAK_LIST.parent.parent.name == "resources"
    assert len(weak_passwords()) >= 100
    assert all(len(p) >= accounts.MIN_PASSWORD_LENGTH for p in weak_passwords())


def test_every_way_of_setting_a_password_applies_the_policy(db):
    with db.session() as s, pytest.raises(ValidationError, match="常见弱密码"):
        accounts.create_first_admin(s, "boss", "王主任", "password1")
    with db.session() as s:
        accounts.create_first_admin(s, "boss", "王主任", "kite8harbour")
    with db.session() as s:
        with pytest.raises(ValidationError, match="用户名"):
            accounts.create_user(s, ADMIN, "wangwu", "王五", "officer", "wangwu-2026")
        with pytest.raises(ValidationError, match="姓名"):
            accounts.create_user(s, ADMIN, "wangwu", "王五", "officer", "王五pass2026")
        accounts.create_user(s, ADMIN, "wangwu", "王五", "officer", "kite8harbour")
        with pytest.raises(ValidationError, match="常见弱密码"):
            accounts.reset_password(s, ADMIN, "wangwu", "qwerty123")
        actor = Actor("boss", "admin")
        with pytest.raises(ValidationError, match="用户名"):
            accounts.change_password(s, actor, "kite8harbour", "xboss-2026x")


def test_the_demo_account_keeps_its_printed_password(db):
    from models.demo import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_account

    with db.session() as s:
        assert ensure_demo_account(s)
        assert accounts.authenticate(s, DEMO_USERNAME, DEMO_PASSWORD).ok
        assert not ensure_demo_account(s)  # only while the database has no account
