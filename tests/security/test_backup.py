"""Backup and restore from the command line: round trip, refusals that leave the database untouched, daily backups."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.core import audit, backup, settings_store
from models.core.actor import CLI_ACTOR
from models.core.db import open_database
from models.entities import AuditEvent, Cadre
from tests.migration_helpers import database_at

ROOT = Path(__file__).resolve().parents[2]


def _main(tmp_path, *args):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args), "--user", "cli-admin"],
        capture_output=True, text=True, env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path.with_name(tmp_path.name + "_data"))},
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("select name from cadre order by id")]
    finally:
        conn.close()


@pytest.fixture
def filled(db, db_path, admin, cli_account):
    with db.session() as s:
        s.add(Cadre(name="张三", id_number="110101199003070011"))
        settings_store.put(s, admin, "org.name", "中共甲市纪委")
    cli_account(db)
    db.dispose()
    return db_path


@pytest.mark.slow
def test_backup_then_restore_round_trip_keeps_the_current_database_aside(filled, tmp_path):
    out = tmp_path / "备份 2026.sqlite3"
    proc = _main(tmp_path, "backup", "--db", filled, "--out", out)
    assert proc.returncode == 0, proc.stderr
    assert "已备份到" in proc.stdout and "干部 1 人" in proc.stdout
    assert out.exists() and not list(tmp_path.glob("*.part"))
    assert not Path(str(out) + "-wal").exists()
    # Work continues after the backup …
    db = open_database(filled)
    with db.session() as s:
        s.add(Cadre(name="李四", id_number="110101199003070038"))
    db.dispose()
    assert _names(filled) == ["张三", "李四"]
    # … then the backup is restored.
    proc = _main(tmp_path, "restore", out, "--db", filled)
    assert proc.returncode == 0, proc.stderr
    assert _names(filled) == ["张三"]
    aside = [p for p in filled.parent.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and _names(aside[0]) == ["张三", "李四"]
    assert str(aside[0]) in proc.stdout
    db = open_database(filled)
    with db.session() as s:
        assert audit.verify_chain(s) is None
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        assert actions[-2:] == ["backup", "restore_backup"] and settings_store.get(s, "org.name") == "中共甲市纪委"
    db.dispose()
    assert _main(tmp_path, "audit", "verify", "--db", filled).returncode == 0


def _real_backup(filled, tmp_path) -> Path:
    out = tmp_path / "good.sqlite3"
    backup.backup_database(filled, out, CLI_ACTOR)
    return out


def _damaged(filled, tmp_path) -> Path:
    path = _real_backup(filled, tmp_path)
    data = bytearray(path.read_bytes())
    for i in range(4096 * 2, len(data), 4096):  # scribble over every page after the first two
        data[i + 100:i + 600] = b"\xa5" * 500
    path.write_bytes(bytes(data))
    return path


def _newer(filled, tmp_path) -> Path:
    path = _real_backup(filled, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("update alembic_version set version_num='9999_future'")
    conn.commit()
    conn.close()
    return path


def _not_a_database(filled, tmp_path) -> Path:
    path = tmp_path / "表格.xlsx"
    path.write_bytes(b"PK\x03\x04 this is a spreadsheet" * 100)
    return path


def _foreign(filled, tmp_path) -> Path:
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices(id integer)")
    conn.commit()
    conn.close()
    return path


@pytest.mark.parametrize(
    "make,expected",
    [(_damaged, "已损坏"), (_newer, "更新版本"), (_not_a_database, "不是本程序的备份文件"), (_foreign, "其他程序"),
     (lambda f, t: t / "missing.sqlite3", "找不到备份文件")],
    ids=["damaged", "newer-revision", "not-a-database", "other-program", "missing"],
)
def test_restore_refuses_a_bad_file_and_changes_nothing(filled, tmp_path, make, expected):
    bad = make(filled, tmp_path)
    before = _digest(filled)
    listing = sorted(p.name for p in filled.parent.iterdir())
    proc = _main(tmp_path, "restore", bad, "--db", filled)
    assert proc.returncode == 2
    assert expected in proc.stderr and "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert _digest(filled) == before
    assert sorted(p.name for p in filled.parent.iterdir()) == listing  # nothing set aside, nothing created


def test_an_older_backup_is_upgraded_after_restore(tmp_path):
    from models.core.db import head_revision

    old = tmp_path / "old.sqlite3"
    engine = database_at(old, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("insert into cadre(name, name_pinyin, name_initials, id_number, is_party_member, is_grassroots, status, version)"
                             " values ('王五', 'wangwu', 'ww', '110101199003070011', 1, 0, '在职', 1)")
    engine.dispose()
    target = tmp_path / "live.sqlite3"
    proc = _main(tmp_path, "restore", old, "--db", target)
    assert proc.returncode == 0, proc.stderr
    assert "升级" in proc.stdout
    conn = sqlite3.connect(target)
    assert conn.execute("select version_num from alembic_version").fetchone()[0] == head_revision()
    conn.close()
    assert _names(target) == ["王五"]


@pytest.mark.slow
def test_backup_refuses_a_folder_and_the_database_itself(filled, tmp_path):
    proc = _main(tmp_path, "backup", "--db", filled, "--out", tmp_path)
    assert proc.returncode == 2 and "是文件夹" in proc.stderr
    proc = _main(tmp_path, "backup", "--db", filled, "--out", filled)
    assert proc.returncode == 2 and "数据库文件本身" in proc.stderr
    proc = _main(tmp_path, "backup", "--db", filled, "--out", tmp_path / "no" / "such" / "b.sqlite3")
    assert proc.returncode == 2 and "不存在" in proc.stderr


def test_automatic_backup_once_a_day_and_old_ones_removed(db, db_path, admin, tmp_path):
    folder = tmp_path / "backups"
    with db.session() as s:
        settings_store.put(s, admin, "backup.keep_days", 3)
    first = backup.auto_backup(db, folder, date(2026, 3, 1), admin)
    assert first is not None and first.name == "test-auto-20260301.sqlite3"
    assert backup.auto_backup(db, folder, date(2026, 3, 1), admin) is None  # already done today
    (folder / "notes.txt").write_text("keep me")
    (folder / "other-auto-20200101.sqlite3").write_bytes(b"another database's backup")
    for day in (2, 3, 4, 5):
        backup.auto_backup(db, folder, date(2026, 3, day), admin)
    kept = [d.day for d, _ in backup.list_auto_backups(folder, db_path)]
    assert kept == [2, 3, 4, 5]  # 2026-03-01 is older than 3 days on 2026-03-05
    assert (folder / "notes.txt").exists() and (folder / "other-auto-20200101.sqlite3").exists()
    info = backup.check_backup_file(folder / "test-auto-20260305.sqlite3")
    assert info.revision and info.audit_entries >= 5


def test_only_administrators_back_up_and_restore(filled, tmp_path, officer, viewer):
    from models.core.errors import PermissionDenied

    for actor in (officer, viewer):
        with pytest.raises(PermissionDenied):
            backup.backup_database(filled, tmp_path / "b.sqlite3", actor)
        with pytest.raises(PermissionDenied):
            backup.restore_database(filled, tmp_path / "x.sqlite3", actor)
    assert not (tmp_path / "b.sqlite3").exists() and not (tmp_path / "x.sqlite3").exists()


def test_postgresql_database_is_not_backed_up_by_file_copy(admin, tmp_path):
    with pytest.raises(Exception, match="pg_dump"):
        backup.backup_database("postgresql+psycopg://u@localhost:1/x", tmp_path / "b.sqlite3", admin)
