"""Encryption at rest with SQLCipher: the file is unreadable without the passphrase; a wrong one gets a clear
message and changes nothing."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from models.core import audit, encryption
from models.core.db import open_database
from models.entities import Cadre
from models.core.errors import DatabaseUnusable, PermissionDenied, ValidationError

pytestmark = pytest.mark.skipif(not encryption.available(), reason="sqlcipher3 is not installed")
PASS = "正确的口令 Correct-horse-7"


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(db, db_path, admin, tmp_path, cli_account):
    with db.session() as s:
        s.add(Cadre(name="张三", id_number="110101199003070011", resume="机密履历ABCDEF"))
        audit.record(s, admin, "create", "cadre", 1, summary="新增干部 张三")
    cli_account(db)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return encryption.encrypt_database(db_path, tmp_path / "secret.sqlite3", PASS, admin)


def test_encrypted_file_holds_no_readable_text(encrypted):
    data = encrypted.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    for needle in ("张三", "110101199003070011", "机密履历ABCDEF", "cadre"):
        assert needle.encode("utf-8") not in data


def test_right_passphrase_opens_reads_and_writes(encrypted, admin):
    db = encryption.open_encrypted_database(encrypted, PASS)
    try:
        with db.session() as s:
            assert s.scalar(select(Cadre.resume)) == "机密履历ABCDEF"
            s.add(Cadre(name="李四", id_number="110101199003070038"))
            audit.record(s, admin, "create", "cadre", 2, summary="新增干部 李四")
        with db.session() as s:
            assert audit.verify_chain(s) is None and len(s.scalars(select(Cadre)).all()) == 2
    finally:
        db.dispose()
    assert "李四".encode() not in encrypted.read_bytes()


@pytest.mark.parametrize("wrong", ["错误的口令 wrong-7", "", PASS.lower()])
def test_wrong_passphrase_gets_a_clear_message_and_changes_nothing(encrypted, wrong, capfd):
    before = _digest(encrypted)
    with pytest.raises(DatabaseUnusable) as err:
        encryption.open_encrypted_database(encrypted, wrong)
    assert "口令不正确" in err.value.message and "请核对口令" in err.value.message
    assert _digest(encrypted) == before
    assert "ERROR CORE" not in capfd.readouterr().err  # SQLCipher's own log is silenced


def test_plain_open_refuses_the_encrypted_file_unchanged(encrypted):
    before = _digest(encrypted)
    with pytest.raises(DatabaseUnusable, match="不是本程序的数据库"):
        open_database(encrypted)
    assert _digest(encrypted) == before


def test_new_encrypted_database_and_decrypted_copy(tmp_path, admin):
    with pytest.raises(ValidationError, match="至少需要 8"):
        encryption.open_encrypted_database(tmp_path / "new.sqlite3", "short")
    db = encryption.open_encrypted_database(tmp_path / "new.sqlite3", PASS)
    with db.session() as s:
        s.add(Cadre(name="王五", id_number="110101199003070011"))
    db.dispose()
    assert encryption.is_encrypted(tmp_path / "new.sqlite3")
    plain = encryption.decrypt_database(tmp_path / "new.sqlite3", tmp_path / "plain.sqlite3", PASS, admin)
    reopened = open_database(plain)
    with reopened.session() as s:
        assert s.scalar(select(Cadre.name)) == "王五"
    reopened.dispose()


def test_only_administrators_encrypt(db_path, officer, tmp_path):
    with pytest.raises(PermissionDenied):
        encryption.encrypt_database(db_path, tmp_path / "x.sqlite3", PASS, officer)
    assert not (tmp_path / "x.sqlite3").exists()


def test_backup_of_an_encrypted_database_stays_encrypted_and_restores(encrypted, admin, tmp_path):
    from models.core import backup
    from models.core.errors import AppError

    db = encryption.open_encrypted_database(encrypted, PASS)
    try:
        out = tmp_path / "备份.sqlite3"
        info = backup.backup_database(db, out, admin)  # the passphrase comes from the open database
    finally:
        db.dispose()
    assert info.cadres == 1 and encryption.is_encrypted(out)
    assert "机密履历ABCDEF".encode() not in out.read_bytes()
    with pytest.raises(AppError, match="请提供数据库口令"):
        backup.check_backup_file(out)
    with pytest.raises(AppError, match="口令不正确"):
        backup.check_backup_file(out, "错误的口令 wrong-7")
    assert backup.check_backup_file(out, PASS).audit_entries == info.audit_entries

    target = tmp_path / "restored.sqlite3"
    result = backup.restore_database(out, target, admin, passphrase=PASS)
    assert result.aside is None and encryption.is_encrypted(target)
    again = encryption.open_encrypted_database(target, PASS)
    try:
        with again.session() as s:
            assert s.scalar(select(Cadre.resume)) == "机密履历ABCDEF"
            assert audit.verify_chain(s) is None
    finally:
        again.dispose()


@pytest.mark.slow
def test_backup_and_restore_commands_take_the_passphrase_from_the_environment(encrypted, tmp_path, monkeypatch):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**__import__("os").environ, "CADRECARE_PASSPHRASE": PASS, "CADRECARE_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "b.sqlite3"
    run = lambda *args: subprocess.run([sys.executable, "main.py", *args, "--user", "cli-admin"], cwd=root, env=env,  # noqa: E731
                                       capture_output=True, text=True, encoding="utf-8", timeout=300)
    made = run("backup", "--db", str(encrypted), "--out", str(out))
    assert made.returncode == 0, made.stderr
    before = _digest(encrypted)
    restored = run("restore", str(out), "--db", str(encrypted))
    assert restored.returncode == 0, restored.stderr
    assert encryption.is_encrypted(encrypted) and _digest(encrypted) != before
    aside = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and encryption.is_encrypted(aside[0])  # the replaced database is kept, still encrypted
    del env["CADRECARE_PASSPHRASE"]
    refused = run("backup", "--db", str(encrypted), "--out", str(tmp_path / "c.sqlite3"))
    assert refused.returncode == 2 and "口令" in refused.stderr


def test_the_open_program_refuses_a_restore_that_would_switch_encryption(encrypted, admin, tmp_path):
    from models.core import backup
    from models.core.errors import AppError

    db = encryption.open_encrypted_database(encrypted, PASS)
    try:
        out = backup.backup_database(db, tmp_path / "b.sqlite3", admin).path
    finally:
        db.dispose()
    plain = open_database(tmp_path / "plain.sqlite3")  # the program running on a plain database
    try:
        before = _digest(tmp_path / "plain.sqlite3")
        with pytest.raises(AppError, match="加密方式不同"):
            backup.restore_database(out, plain, admin, passphrase=PASS)
        assert _digest(tmp_path / "plain.sqlite3") == before  # nothing replaced, nothing aside
        assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    finally:
        plain.dispose()
