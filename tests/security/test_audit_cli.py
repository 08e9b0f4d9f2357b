"""`main.py audit verify`: exit 0 on an intact chain; exit 1 naming the first broken entry after tampering."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from models.core import audit, settings_store
from models.services import audit_log as audit_query
from models.entities import AuditEvent
from models.core.errors import PermissionDenied

ROOT = Path(__file__).resolve().parents[2]


def _verify(path, tmp_path):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "audit", "verify", "--db", str(path), "--user", "cli-admin"],
        capture_output=True, text=True, env={**os.environ, "CADRECARE_DATA_DIR": str(tmp_path / "data")},
    )


@pytest.fixture
def logged_db(db, db_path, admin, officer, cli_account):
    with db.session() as s:
        settings_store.put(s, admin, "org.name", "中共甲市纪委")
        audit.record(s, officer, "update", "cadre", 7, before={"name": "张三"}, after={"name": "张叁"}, cadre_id=7,
                     summary="修改干部 张叁")
        audit.record(s, admin, "export", "cadre", None, summary="导出干部名册")
    cli_account(db)  # entry 4: the account that runs `audit verify` (its login is entry 5)
    db.dispose()
    return db_path


def test_intact_chain_exits_0(logged_db, tmp_path):
    proc = _verify(logged_db, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "审计日志完整：共 5 条" in proc.stdout


@pytest.mark.parametrize(
    "sql,expected",
    [
        ("update audit_event set summary='修改干部 李四' where seq=2", "第 2 条审计记录的内容被改动"),
        ("update audit_event set after='{\"name\": \"王五\"}' where seq=2", "第 2 条审计记录的内容被改动"),
        ("update audit_event set actor='admin' where seq=2", "第 2 条审计记录的内容被改动"),
        ("delete from audit_event where seq=1", "第 1 条审计记录缺失"),
        ("delete from audit_event where seq=2", "第 2 条审计记录缺失"),
        ("update audit_event set seq=seq+10", "第 1 条审计记录缺失"),
    ],
    ids=["summary", "after", "actor", "first-removed", "middle-removed", "renumbered"],
)
def test_tampered_entry_exits_1_naming_it(logged_db, tmp_path, sql, expected):
    conn = sqlite3.connect(logged_db)
    conn.execute(sql)
    conn.commit()
    conn.close()
    proc = _verify(logged_db, tmp_path)
    assert proc.returncode == 1
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_removed_entry_rechained_by_hand_is_still_detected(logged_db, tmp_path):
    """Deleting entry 2 and renumbering 3 → 2 breaks the next entry's hash (seq is part of the hash)."""
    conn = sqlite3.connect(logged_db)
    prev = conn.execute("select hash from audit_event where seq=1").fetchone()[0]
    conn.execute("delete from audit_event where seq=2")
    conn.execute("update audit_event set seq=2, prev_hash=? where seq=3", (prev,))
    conn.commit()
    conn.close()
    proc = _verify(logged_db, tmp_path)
    assert proc.returncode == 1 and "第 2 条审计记录的内容被改动" in proc.stderr


def test_missing_database_exits_2(tmp_path):
    proc = _verify(tmp_path / "none.sqlite3", tmp_path)
    assert proc.returncode == 2 and "找不到数据库文件" in proc.stderr
    assert not (tmp_path / "none.sqlite3").exists()


def test_audit_query_filters_and_is_admin_only(db, admin, officer, viewer):
    with db.session() as s:
        audit.record(s, officer, "update", "cadre", 7, cadre_id=7, summary="修改干部 张三 100%")
        audit.record(s, admin, "export", "cadre", None, summary="导出干部名册")
        audit.record(s, officer, "create", "handling", 3, cadre_id=8, summary="新增处分")
    with db.session() as s:
        assert audit_query.search(s, admin).total == 3
        page = audit_query.search(s, admin, audit_query.AuditFilter(actor="jbr"))
        assert [r.seq for r in page.rows] == [3, 1]  # newest first
        assert [r.seq for r in audit_query.search(s, admin, audit_query.AuditFilter(cadre_id=7)).rows] == [1]
        assert [r.action_label for r in audit_query.search(s, admin, audit_query.AuditFilter(action="export")).rows] == ["导出"]
        assert audit_query.search(s, admin, audit_query.AuditFilter(text="100%")).total == 1
        assert audit_query.search(s, admin, audit_query.AuditFilter(text="_")).total == 0  # LIKE wildcards escaped
        today = s.scalar(select(AuditEvent.at)).date()
        assert audit_query.search(s, admin, audit_query.AuditFilter(date_from=today, date_to=today)).total == 3
        assert audit_query.search(s, admin, audit_query.AuditFilter(date_to=date(2000, 1, 1))).total == 0
        assert audit_query.choices(s, admin).actors == ["admin", "jbr"]
        for actor in (officer, viewer):
            with pytest.raises(PermissionDenied):
                audit_query.search(s, actor)
