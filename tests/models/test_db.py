"""Storage: opening, creating, upgrading and refusing databases."""
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
from sqlalchemy.exc import IntegrityError

from models.core.db import head_revision, open_database, resolve_url
from models.entities import Cadre, Handling
from models.core.errors import DatabaseUnusable
from tests.migration_helpers import database_at

ROOT = Path(__file__).resolve().parents[2]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_file_is_created_at_head(tmp_path):
    db = open_database(tmp_path / "new.sqlite3")
    conn = sqlite3.connect(tmp_path / "new.sqlite3")
    assert conn.execute("select version_num from alembic_version").fetchone()[0] == head_revision()
    names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"cadre", "handling", "restriction", "audit_event", "clarification", "visit_plan"} <= names
    db.dispose()


def test_resolve_url_accepts_paths_and_urls(tmp_path):
    assert resolve_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert resolve_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"


def test_foreign_keys_and_unique_id_number_are_enforced(db):
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Handling(cadre_id=999, regime="gov", kind="warning", effective_on=date(2024, 1, 1)))
    with db.session() as s:
        s.add(Cadre(name="张三", id_number="110101199003070011"))
    with pytest.raises(IntegrityError):
        with db.session() as s:
            s.add(Cadre(name="李四", id_number="110101199003070011"))
    with db.session() as s:
        assert s.scalar(select(Cadre.name)) == "张三"


@pytest.mark.parametrize(
    "content",
    [b"this is a spreadsheet, not a database" * 10, b"SQLite format 3\x00" + b"\xff" * 5000],
    ids=["not-a-database", "damaged"],
)
def test_bad_file_is_refused_and_left_unchanged(tmp_path, content):
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(content)
    before = _digest(path)
    with pytest.raises(DatabaseUnusable) as err:
        open_database(path)
    assert "数据库" in err.value.message
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.sqlite3"]


def test_foreign_sqlite_database_is_refused_unchanged(tmp_path):
    path = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("create table invoices(id integer)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseUnusable, match="其他程序"):
        open_database(path)
    assert _digest(path) == before


def test_read_only_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: make the permission check see what a normal user would
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode))
    try:
        with pytest.raises(DatabaseUnusable, match="权限"):
            open_database(folder / "x.sqlite3")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_newer_schema_is_refused(db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("update alembic_version set version_num='9999_future'")
    conn.commit()
    conn.close()
    before = _digest(db_path)
    with pytest.raises(DatabaseUnusable, match="更新版本"):
        open_database(db_path)
    assert _digest(db_path) == before


def test_older_file_is_copied_aside_and_upgraded_with_its_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    engine = database_at(path, "0001")
    with engine.begin() as conn:
        conn.exec_driver_sql("insert into unit(id, name, path, sort_order, is_grassroots, version) values (1, '市委办', '/1/', 0, 0, 1)")
        conn.exec_driver_sql(
            "insert into cadre(id, name, name_pinyin, name_initials, id_number, is_party_member, is_grassroots, status, unit_id, version)"
            " values (7, '王五', 'wangwu', 'ww', '110101199003070011', 1, 0, '在职', 1, 1)"
        )
    engine.dispose()
    db = open_database(path)
    assert db.upgraded_from == "0001"
    assert db.backup_path is not None and db.backup_path.exists()
    with db.session() as s:
        cadre = s.get(Cadre, 7)
        assert cadre.name == "王五" and cadre.unit.name == "市委办"
    db.dispose()
    old = sqlite3.connect(db.backup_path)
    assert old.execute("select version_num from alembic_version").fetchone()[0] == "0001"
    assert old.execute("select name from cadre").fetchone()[0] == "王五"


def test_cli_refuses_damaged_file_with_exit_2(tmp_path):
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"garbage" * 100)
    before = _digest(path)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(path), "--cadres", "5"],
        capture_output=True, text=True, env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "不是本程序的数据库" in proc.stderr
    assert _digest(path) == before


def test_failed_upgrade_puts_the_file_back_and_says_so(tmp_path):
    """SQLite runs DDL outside the transaction: a half-done upgrade must not stay in the user's file."""
    path = tmp_path / "old.sqlite3"
    engine = database_at(path, "0002")
    with engine.begin() as conn:  # an index the next revision creates, made by hand: that revision fails on it
        conn.exec_driver_sql("CREATE INDEX ix_cadre_off_live ON cadre (off_date)")
    engine.dispose()
    with pytest.raises(DatabaseUnusable, match="恢复为升级前") as err:
        open_database(path)
    assert "技术支持" in err.value.message
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("select version_num from alembic_version").fetchone()[0] == "0002"
        columns = [r[1] for r in conn.execute("pragma table_info(cadre)")]
        assert "commended_on" not in columns  # the columns added before the failure are gone again
    finally:
        conn.close()
