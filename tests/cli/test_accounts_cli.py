"""Accounts on the command line (design §4): `--user`, password from CADRECARE_PASSWORD or a prompt, the role
applied, the account in the audit log; a missing or wrong account exits 2 with one line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

import main
from models.entities import AuditEvent, User

ROOT = Path(__file__).resolve().parents[2]


def _err_line(capsys) -> str:
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_a_command_without_user_exits_2_and_names_the_option(db_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CADRECARE_PASSWORD", "whatever123")
    assert main.main(["export", "cadres", "--db", str(db_path), "--out", str(tmp_path / "a.xlsx")]) == 2
    assert "--user" in _err_line(capsys)
    assert not (tmp_path / "a.xlsx").exists()


def test_wrong_password_exits_2_and_is_counted(db, db_path, tmp_path, capsys, cli_account, monkeypatch):
    user = cli_account(db)
    monkeypatch.setenv("CADRECARE_PASSWORD", "not-the-password-1")
    assert main.main(["export", "cadres", "--db", str(db_path), *user, "--out", str(tmp_path / "a.xlsx")]) == 2
    err = _err_line(capsys)
    assert "用户名或密码不正确" in err and "not-the-password-1" not in err
    with db.session() as s:
        assert s.scalar(select(User.failed_logins).where(User.username == "cli-admin")) == 1
        assert s.scalars(select(AuditEvent.action)).all()[-1] == "login_failed"


def test_unknown_user_exits_2(db, db_path, tmp_path, capsys, cli_account):
    cli_account(db)
    assert main.main(["audit", "verify", "--db", str(db_path), "--user", "nobody"]) == 2
    assert "用户名或密码不正确" in _err_line(capsys)


def test_the_role_is_applied_and_the_account_is_in_the_audit_log(db, db_path, tmp_path, capsys, cli_account):
    viewer = cli_account(db, role="viewer")
    assert main.main(["export", "cadres", "--db", str(db_path), *viewer, "--out", str(tmp_path / "a.xlsx")]) == 2
    assert "没有“导出”的权限" in _err_line(capsys)
    assert main.main(["backup", "--db", str(db_path), *viewer, "--out", str(tmp_path / "b.sqlite3")]) == 2
    assert "系统管理" in _err_line(capsys)
    officer = cli_account(db, role="officer")
    assert main.main(["export", "cadres", "--db", str(db_path), *officer, "--out", str(tmp_path / "a.xlsx")]) == 0
    with db.session() as s:
        events = s.execute(select(AuditEvent.actor, AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert ("cli-officer", "login") in events and events[-1] == ("cli-officer", "export")
    assert not any(actor == "cli" for actor, _ in events), events  # nobody acts as the old anonymous administrator


def test_an_account_whose_password_the_administrator_set_must_change_it_first(db, db_path, tmp_path, capsys,
                                                                             cli_account):
    user = cli_account(db, role="officer")
    with db.session() as s:
        s.query(User).filter_by(username="cli-officer").update({"must_change_password": True})
    assert main.main(["export", "cadres", "--db", str(db_path), *user, "--out", str(tmp_path / "a.xlsx")]) == 2
    assert "图形界面" in _err_line(capsys)


def test_a_database_without_accounts_says_how_to_make_one(db_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CADRECARE_PASSWORD", "whatever123")
    assert main.main(["audit", "verify", "--db", str(db_path), "--user", "admin"]) == 2
    assert "还没有任何账号" in _err_line(capsys)


def test_no_password_and_no_terminal_is_a_clear_error(db, db_path, cli_account, tmp_path):
    user = cli_account(db)
    db.dispose()
    env = {k: v for k, v in __import__("os").environ.items() if k != "CADRECARE_PASSWORD"}
    proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", str(db_path), *user],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    assert proc.returncode == 2 and "CADRECARE_PASSWORD" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("argv", [["rules", "--help"], ["demo", "--help"]])
def test_demo_and_rules_take_no_account(argv, capsys):
    with pytest.raises(SystemExit):
        main.main(argv)
    assert "--user" not in capsys.readouterr().out


def test_every_command_that_touches_records_takes_user(capsys):
    parser = main.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in ("import", "export", "pdf", "backup", "restore", "audit", "encrypt"):
        options = {o for a in sub.choices[name]._actions for o in a.option_strings}
        assert "--user" in options, name


def test_restore_checks_the_account_without_writing_to_the_database_it_replaces(db, db_path, tmp_path, capsys,
                                                                                  cli_account, monkeypatch):
    import hashlib

    admin, viewer = cli_account(db), cli_account(db, role="viewer")
    db.dispose()
    out = tmp_path / "b.sqlite3"
    assert main.main(["backup", "--db", str(db_path), *admin, "--out", str(out)]) == 0
    digest = hashlib.sha256(db_path.read_bytes()).hexdigest()
    assert main.main(["restore", str(out), "--db", str(db_path), *viewer]) == 2
    assert "系统管理" in _err_line(capsys)
    monkeypatch.setenv("CADRECARE_PASSWORD", "wrong-password-9")
    assert main.main(["restore", str(out), "--db", str(db_path), *admin]) == 2
    assert "用户名或密码不正确" in _err_line(capsys)
    assert hashlib.sha256(db_path.read_bytes()).hexdigest() == digest  # nothing written, nothing counted
    assert not list(tmp_path.glob("*.before-restore-*"))
